// `ringmq cat|send|recv`: one socket, messages in from arguments, files or stdin, messages
// out to stdout (see help_text.cpp for the user's view). One thread waits on the socket and
// stdin together with ringmq::poll, so every socket type, including the two-way ones
// (DEALER, ROUTER, PAIR), is served without helper threads; REQ and REP go in lock-step.
#include "cli_error.hpp"
#include "commands.hpp"
#include "message_output.hpp"
#include "message_source.hpp"
#include "socket_config.hpp"

#include <ringmq/context.hpp>
#include <ringmq/poller.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace ringmq_cli {
namespace {

using clock = std::chrono::steady_clock;
using ringmq::socket_type;
using std::chrono::milliseconds;

constexpr std::uint64_t unlimited = std::numeric_limits<std::uint64_t>::max();

bool can_send(socket_type t) { return t != socket_type::pull && t != socket_type::sub; }
bool can_recv(socket_type t) { return t != socket_type::push && t != socket_type::pub; }

std::string lower_name(socket_type t) {
  std::string s(ringmq::to_string(t));
  for (char& c : s) c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string seconds_text(milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

struct cat_options {
  socket_config sock;
  multipart fixed;  // -d/-f parts, in order
  framing input_framing = framing::lines;
  std::optional<std::string> separator;
  std::optional<output_format> format;
  std::optional<std::uint64_t> count;
  std::optional<milliseconds> timeout;
  std::optional<milliseconds> interval;
  milliseconds delay{0};
};

cat_options parse(arg_reader& args) {
  cat_options o;
  while (!args.done()) {
    if (o.sock.parse(args)) continue;
    if (auto d = args.value("data", 'd')) {
      o.fixed.push_back(*d);
    } else if (auto f = args.value("file", 'f')) {
      o.fixed.push_back(read_file(*f));
    } else if (args.flag("length-framed", 'L')) {
      o.input_framing = framing::length;
    } else if (auto s = args.value("separator")) {
      o.separator = *s;
    } else if (args.flag("raw")) {
      o.format = output_format::raw;
    } else if (args.flag("quoted")) {
      o.format = output_format::quoted;
    } else if (args.flag("hex")) {
      o.format = output_format::hex;
    } else if (args.flag("json")) {
      o.format = output_format::json;
    } else if (auto n = args.value("count", 'n')) {
      o.count = parse_count("count", *n);
    } else if (auto t = args.value("timeout")) {
      o.timeout = parse_seconds("timeout", *t);
    } else if (auto i = args.value("interval")) {
      o.interval = parse_seconds("interval", *i);
    } else if (auto w = args.value("delay")) {
      o.delay = parse_seconds("delay", *w);
    } else {
      throw usage_error("unexpected argument '" + args.positional() + "'");
    }
  }
  if (!o.format)
    o.format = o.input_framing == framing::length ? output_format::length : output_format::quoted;
  return o;
}

// The run of one cat/send/recv command: the socket, where outgoing messages come from, and
// the counters that decide when it is done.
class cat_run {
 public:
  cat_run(cat_mode mode, cat_options opts) : mode_(mode), o_(std::move(opts)) {}
  int run();

 private:
  void plan(socket_type type);
  bool done() const;
  void refill();
  void on_received(std::vector<ringmq::message>& parts);
  [[noreturn]] void timed_out(bool waiting_to_send) const;

  cat_mode mode_;
  cat_options o_;
  socket_type type_ = socket_type::push;
  bool sends_ = false;
  bool receives_ = false;
  bool prints_ = false;
  bool lockstep_req_ = false;
  bool lockstep_rep_ = false;
  bool echo_ = false;  // REP without data: the reply is the request
  std::optional<message_source> stream_;
  std::uint64_t fixed_left_ = 0;  // sends of the fixed message still to make
  std::uint64_t send_limit_ = unlimited;
  std::uint64_t recv_limit_ = unlimited;
  std::uint64_t sent_ = 0;
  std::uint64_t received_ = 0;
  std::optional<multipart> pending_;  // the next message to send
  bool awaiting_reply_ = false;       // REQ: sent, reply not yet received
};

void cat_run::plan(socket_type type) {
  type_ = type;
  const std::string name = lower_name(type);
  if (mode_ == cat_mode::send && !can_send(type))
    throw usage_error("a " + name + " socket cannot send (use ringmq recv)");
  if (mode_ == cat_mode::recv && !can_recv(type))
    throw usage_error("a " + name + " socket cannot receive (use ringmq send)");
  lockstep_req_ = type == socket_type::req;
  lockstep_rep_ = type == socket_type::rep;
  if (lockstep_req_ || lockstep_rep_) {
    sends_ = receives_ = true;  // REQ and REP cannot do one without the other
  } else {
    sends_ = mode_ != cat_mode::recv && can_send(type);
    receives_ = mode_ != cat_mode::send && can_recv(type);
  }
  prints_ = receives_ && mode_ != cat_mode::send;
  if (!sends_ && !o_.fixed.empty()) throw usage_error("-d/-f: this command does not send (" + name + ")");

  const bool sender_only = sends_ && !receives_;
  const bool fixed_counts = sender_only || lockstep_req_;
  if (lockstep_rep_) {
    echo_ = o_.fixed.empty();
    if (o_.count) recv_limit_ = *o_.count;
    return;
  }
  if (sends_) {
    if (!o_.fixed.empty()) {
      // A fixed message is sent once; with --count N (when what is counted is sends or
      // exchanges) N times; with --interval, again every interval until --count or forever.
      if (fixed_counts && o_.count)
        fixed_left_ = *o_.count;
      else
        fixed_left_ = o_.interval ? unlimited : 1;
    } else {
      stream_.emplace(STDIN_FILENO, o_.input_framing, o_.separator);
    }
    if (fixed_counts && o_.count) send_limit_ = *o_.count;
  }
  if (receives_ && !lockstep_req_ && o_.count) recv_limit_ = *o_.count;
}

bool cat_run::done() const {
  if (lockstep_rep_) return received_ >= recv_limit_ && !pending_;
  const bool sending_done =
      !sends_ || (!pending_ && (sent_ >= send_limit_ || (stream_ ? stream_->at_eof() : fixed_left_ == 0)));
  if (lockstep_req_) return sending_done && !awaiting_reply_;
  if (!receives_) return sending_done;
  if (!sends_) return received_ >= recv_limit_;
  return received_ >= recv_limit_;  // two-way sockets end on --count received (or never)
}

void cat_run::refill() {
  if (!sends_ || pending_ || sent_ >= send_limit_ || awaiting_reply_ || lockstep_rep_) return;
  if (stream_) {
    pending_ = stream_->take();
  } else if (fixed_left_ > 0) {
    if (fixed_left_ != unlimited) --fixed_left_;
    pending_ = o_.fixed;
  }
}

void cat_run::on_received(std::vector<ringmq::message>& parts) {
  ++received_;
  if (prints_) write_message(stdout, *o_.format, parts, o_.separator.value_or("\t"));
  if (lockstep_req_) awaiting_reply_ = false;
  if (lockstep_rep_) {
    if (echo_) {
      multipart reply;
      for (const auto& p : parts) reply.push_back(p.to_string());
      pending_ = std::move(reply);
    } else {
      pending_ = o_.fixed;
    }
  }
}

void cat_run::timed_out(bool waiting_to_send) const {
  const std::string t = seconds_text(*o_.timeout);
  if (waiting_to_send)
    throw timeout_error("timeout: could not send for " + t + " (no peer ready to take it)");
  std::string what = "timeout: nothing received for " + t;
  if (recv_limit_ != unlimited)
    what += " (" + std::to_string(received_) + " of " + std::to_string(recv_limit_) + " messages)";
  throw timeout_error(what);
}

int cat_run::run() {
  if (!o_.sock.type && mode_ == cat_mode::cat)
    throw usage_error(
        "choose a socket type: --push, --pull, --pub, --sub, --req, --rep, --dealer, --router, "
        "--pair or -t TYPE");
  const socket_type type =
      o_.sock.type.value_or(mode_ == cat_mode::recv ? socket_type::pull : socket_type::push);
  plan(type);

  ringmq::context ctx;
  configured_socket cs = make_socket(ctx, o_.sock, type);
  ringmq::socket& sock = cs.sock;
  // An unroutable reply is an error to report, not a message to drop silently.
  if (type == socket_type::router) sock.set(ringmq::opt::router_mandatory, true);
  // What it was told to send is delivered before the program exits (a connecting socket
  // queues its messages until the peer is there): up to --timeout, else as long as it takes,
  // as libzmq's default LINGER would. Not so for PUB and XPUB, which drop for absent peers
  // anyway: one whose subscriber went away would otherwise wait for it forever.
  const bool publishes = type == socket_type::pub || type == socket_type::xpub;
  if (o_.timeout || !publishes) sock.set(ringmq::opt::linger, o_.timeout.value_or(ringmq::infinite));
  attach_endpoints(sock, o_.sock);

  const auto start = clock::now();
  auto next_send = start + o_.delay;
  auto last_activity = start;
  for (;;) {
    refill();
    if (done()) break;
    const auto now = clock::now();
    const bool can_receive_now = receives_ && !(lockstep_req_ && !awaiting_reply_) &&
                                 !(lockstep_rep_ && pending_) && received_ < recv_limit_;
    const bool send_due = pending_ && now >= next_send;
    const bool want_stdin =
        stream_ && !pending_ && !stream_->at_eof() && !awaiting_reply_ && sent_ < send_limit_;

    ringmq::poll_item items[2];
    std::size_t n = 0;
    ringmq::events interest = ringmq::events::none;
    if (can_receive_now) interest |= ringmq::events::pollin;
    if (send_due) interest |= ringmq::events::pollout;
    items[n++] = {&sock, -1, interest, ringmq::events::none};
    if (want_stdin) items[n++] = {nullptr, STDIN_FILENO, ringmq::events::pollin, ringmq::events::none};

    // Wait until something is ready, the next send is due, or the timeout passes.
    auto wake = clock::time_point::max();
    if (pending_ && !send_due) wake = next_send;
    std::optional<clock::time_point> deadline;
    // Waiting only for stdin is not waiting on the network: --timeout does not apply to it.
    if (o_.timeout && (can_receive_now || pending_)) {
      deadline = std::max(last_activity, pending_ ? next_send : last_activity) + *o_.timeout;
      wake = std::min(wake, *deadline);
    }
    milliseconds wait{-1};
    if (wake != clock::time_point::max())
      wait = std::max(milliseconds(0), std::chrono::ceil<milliseconds>(wake - now));
    ringmq::poll(std::span(items, n), wait);

    bool active = false;
    if (any(items[0].ready & ringmq::events::pollin)) {
      std::vector<ringmq::message> parts;
      if (sock.recv_multipart(std::back_inserter(parts), ringmq::recv_flags::dontwait)) {
        on_received(parts);
        active = true;
      }
    }
    if (send_due && any(items[0].ready & ringmq::events::pollout)) {
      if (sock.send_multipart(*pending_, ringmq::send_flags::dontwait)) {
        pending_.reset();
        ++sent_;
        if (lockstep_req_) awaiting_reply_ = true;
        next_send = clock::now() + o_.interval.value_or(milliseconds(0));
        active = true;
      }
    }
    if (n == 2 && any(items[1].ready & (ringmq::events::pollin | ringmq::events::pollerr))) {
      stream_->fill();
      active = true;
    }
    const auto after = clock::now();
    if (active) {
      last_activity = after;
    } else if (deadline && after >= *deadline) {
      timed_out(pending_.has_value() && after >= next_send);
    }
  }
  return 0;
}

}  // namespace

int run_cat(cat_mode mode, arg_reader& args) {
  cat_run run(mode, parse(args));
  return run.run();
}

}  // namespace ringmq_cli
