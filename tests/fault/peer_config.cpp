#include "fault/peer_config.hpp"

#include <stdexcept>

namespace fault {

namespace {

lib::kind parse_kind(const std::string& s) {
  using lib::kind;
  if (s == "push") return kind::push;
  if (s == "pull") return kind::pull;
  if (s == "dealer") return kind::dealer;
  if (s == "router") return kind::router;
  if (s == "req") return kind::req;
  if (s == "rep") return kind::rep;
  if (s == "pub") return kind::pub;
  if (s == "sub") return kind::sub;
  if (s == "pair") return kind::pair;
  throw std::invalid_argument("unknown socket kind " + s);
}

std::uint64_t parse_u64(const std::string& s) {
  std::size_t used = 0;
  const auto v = std::stoull(s, &used);
  if (used != s.size()) throw std::invalid_argument("not a number: " + s);
  return v;
}

std::chrono::milliseconds parse_ms(const std::string& s) {
  std::size_t used = 0;
  const auto v = std::stoll(s, &used);
  if (used != s.size()) throw std::invalid_argument("not a number of milliseconds: " + s);
  return std::chrono::milliseconds(v);
}

// "A,B" -> {A, B}; "A" -> {A}.
std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

const char* peer_usage() noexcept {
  return R"(usage: fault_peer --socket KIND (--bind EP | --connect EP) --tally FILE [options]
  KIND: push pull dealer router req rep pub sub pair
  --capacity N          sequence numbers per producer in a new tally file (default 2^26)
  --send                generate numbered multipart messages as --producer P (0-7)
  --count N             stop generating after N messages; --rate N: at most N msg/s
  --window N            DEALER: at most N messages without their echo
  --reply-timeout MS    REQ/DEALER: give up on a reply after MS (default 300)
  --req-mode relaxed|reconnect   REQ: REQ_RELAXED+REQ_CORRELATE, or a new socket per timeout
  --tiny                one-byte messages instead of numbered ones
  --parts MIN,MAX  --extra N  --large-every N  --large-size N   message shapes
  --exit-when-sent      close and exit as soon as --count messages were accepted
  --recv-rate N         PULL/SUB: receive at most N msg/s (a slow consumer)
  --echo                ROUTER/REP: send every whole message back; --echo-limit K: then close
  --sndhwm N --rcvhwm N --linger MS --reconnect-ivl MS[,MAX] --heartbeat IVL,TIMEOUT[,TTL]
  --connect-timeout MS --immediate --nodrop --routing-id ID --monitor
stdin: "stop" (stop generating), "finish MS" (stop, exit once nothing arrived for MS), "exit".
stdout: "ready LIB BACKEND ENDPOINT", "event NAME VALUE MONO_NS", "stopped", "finished",
        "closed MONO_NS", "exited MONO_NS", "error TEXT".
)";
}

peer_config parse_peer_config(const std::vector<std::string>& args) {
  peer_config c;
  bool have_kind = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw std::invalid_argument(a + " needs a value");
      return args[++i];
    };
    if (a == "--socket") {
      c.kind = parse_kind(value());
      have_kind = true;
    } else if (a == "--bind") {
      c.bind = value();
    } else if (a == "--connect") {
      c.connect = value();
    } else if (a == "--tally") {
      c.tally_path = value();
    } else if (a == "--capacity") {
      c.capacity = parse_u64(value());
    } else if (a == "--send") {
      c.send = true;
    } else if (a == "--producer") {
      c.producer = static_cast<unsigned>(parse_u64(value()));
    } else if (a == "--count") {
      c.count = parse_u64(value());
    } else if (a == "--rate") {
      c.rate = parse_u64(value());
    } else if (a == "--window") {
      c.window = parse_u64(value());
    } else if (a == "--reply-timeout") {
      c.reply_timeout = parse_ms(value());
    } else if (a == "--req-mode") {
      const std::string& m = value();
      if (m == "relaxed")
        c.req = req_mode::relaxed;
      else if (m == "reconnect")
        c.req = req_mode::reconnect;
      else
        throw std::invalid_argument("unknown --req-mode " + m);
    } else if (a == "--tiny") {
      c.tiny = true;
    } else if (a == "--parts") {
      const auto v = split_commas(value());
      c.shape.min_parts = static_cast<unsigned>(parse_u64(v.at(0)));
      c.shape.max_parts = static_cast<unsigned>(parse_u64(v.size() > 1 ? v[1] : v[0]));
    } else if (a == "--extra") {
      c.shape.max_extra = static_cast<std::uint32_t>(parse_u64(value()));
    } else if (a == "--large-every") {
      c.shape.large_every = static_cast<std::uint32_t>(parse_u64(value()));
    } else if (a == "--large-size") {
      c.shape.large_size = static_cast<std::uint32_t>(parse_u64(value()));
    } else if (a == "--exit-when-sent") {
      c.exit_when_sent = true;
    } else if (a == "--recv-rate") {
      c.recv_rate = parse_u64(value());
    } else if (a == "--echo") {
      c.echo = true;
    } else if (a == "--echo-limit") {
      c.echo_limit = parse_u64(value());
    } else if (a == "--sndhwm") {
      c.sndhwm = static_cast<int>(parse_u64(value()));
    } else if (a == "--rcvhwm") {
      c.rcvhwm = static_cast<int>(parse_u64(value()));
    } else if (a == "--linger") {
      c.linger = parse_ms(value());
    } else if (a == "--reconnect-ivl") {
      const auto v = split_commas(value());
      c.reconnect_ivl = parse_ms(v.at(0));
      if (v.size() > 1) c.reconnect_ivl_max = parse_ms(v[1]);
    } else if (a == "--heartbeat") {
      const auto v = split_commas(value());
      c.heartbeat_ivl = parse_ms(v.at(0));
      if (v.size() > 1) c.heartbeat_timeout = parse_ms(v[1]);
      if (v.size() > 2) c.heartbeat_ttl = parse_ms(v[2]);
    } else if (a == "--connect-timeout") {
      c.connect_timeout = parse_ms(value());
    } else if (a == "--immediate") {
      c.immediate = true;
    } else if (a == "--nodrop") {
      c.nodrop = true;
    } else if (a == "--routing-id") {
      c.routing_id = value();
    } else if (a == "--monitor") {
      c.monitor = true;
    } else {
      throw std::invalid_argument("unknown argument " + a);
    }
  }
  if (!have_kind) throw std::invalid_argument("--socket is required");
  if (c.bind.empty() == c.connect.empty())
    throw std::invalid_argument("give exactly one of --bind and --connect");
  if (c.tally_path.empty()) throw std::invalid_argument("--tally is required");
  if (c.producer >= 8) throw std::invalid_argument("--producer must be 0-7");
  if (c.shape.min_parts == 0 || c.shape.max_parts > 16 || c.shape.min_parts > c.shape.max_parts)
    throw std::invalid_argument("--parts must be within 1..16");
  if (c.exit_when_sent && c.count == 0) throw std::invalid_argument("--exit-when-sent needs --count");
  return c;
}

}  // namespace fault
