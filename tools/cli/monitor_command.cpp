// `ringmq monitor`: one socket connected (or bound) to the endpoints given, printing its
// connection events (the library's monitor, libzmq's event names) as lines. Messages the
// socket receives are read and dropped, so a peer that sends is not held up.
#include "cli_error.hpp"
#include "commands.hpp"
#include "message_output.hpp"
#include "socket_config.hpp"

#include <ringmq/context.hpp>
#include <ringmq/monitor.hpp>
#include <ringmq/poller.hpp>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace ringmq_cli {
namespace {

using clock = std::chrono::steady_clock;

ringmq::monitor_event parse_event(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.starts_with("EVENT_")) upper.erase(0, 6);
  for (std::uint32_t bit = 1; bit <= 0x8000; bit <<= 1) {
    const auto e = static_cast<ringmq::monitor_event>(bit);
    if (ringmq::to_string(e) == upper) return e;
  }
  throw usage_error("--event: unknown event '" + std::string(name) +
                    "' (CONNECTED, HANDSHAKE_SUCCEEDED, ...)");
}

// UTC wall-clock time with milliseconds: "2026-12-08T01:23:45.678Z".
std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms));
  return buf;
}

void print_event(const ringmq::socket_event& e, bool json) {
  const std::string_view name = ringmq::to_string(e.type);
  std::string line;
  if (json) {
    line = "{\"time\":\"" + timestamp() + "\",\"event\":" + json_string(name) +
           ",\"value\":" + std::to_string(e.value) + ",\"endpoint\":" + json_string(e.endpoint);
    if (!e.peer_address.empty()) line += ",\"peer\":" + json_string(e.peer_address);
    if (e.dropped_before != 0) line += ",\"dropped_before\":" + std::to_string(e.dropped_before);
    line += "}\n";
  } else {
    line = timestamp() + " " + std::string(name) + " " + e.endpoint + " value=" + std::to_string(e.value);
    if (!e.peer_address.empty()) line += " peer=" + e.peer_address;
    if (e.dropped_before != 0) line += " (" + std::to_string(e.dropped_before) + " events lost before)";
    line += '\n';
  }
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

int run_monitor(arg_reader& args) {
  socket_config config;
  ringmq::monitor_event mask = ringmq::monitor_event::none;
  std::optional<std::uint64_t> count;
  std::optional<std::chrono::milliseconds> timeout;
  bool json = false;
  while (!args.done()) {
    if (config.parse(args)) continue;
    if (auto e = args.value("event", 'e')) {
      mask = mask | parse_event(*e);
    } else if (auto n = args.value("count", 'n')) {
      count = parse_count("count", *n);
    } else if (auto t = args.value("timeout")) {
      timeout = parse_seconds("timeout", *t);
    } else if (args.flag("json")) {
      json = true;
    } else {
      config.endpoints.push_back({false, args.positional()});  // a bare ENDPOINT is connected to
    }
  }
  if (mask == ringmq::monitor_event::none) mask = ringmq::monitor_event::all;
  // DEALER talks to ROUTER, REP and DEALER peers; another type with -t (an incompatible
  // peer shows up as a failed handshake, which is worth seeing too).
  const auto type = config.type.value_or(ringmq::socket_type::dealer);

  ringmq::context ctx;
  configured_socket cs = make_socket(ctx, config, type);
  ringmq::monitor events = cs.sock.monitor(mask);  // before connecting: no event is missed
  attach_endpoints(cs.sock, config);

  std::uint64_t seen = 0;
  auto last = clock::now();
  while (!count || seen < *count) {
    ringmq::poll_item items[2] = {{&cs.sock, -1, ringmq::events::pollin, ringmq::events::none},
                                  {nullptr, events.fd(), ringmq::events::pollin, ringmq::events::none}};
    std::chrono::milliseconds wait{-1};
    if (timeout)
      wait = std::max(std::chrono::milliseconds(0),
                      std::chrono::ceil<std::chrono::milliseconds>(last + *timeout - clock::now()));
    ringmq::poll(items, wait);
    if (any(items[0].ready & ringmq::events::pollin)) {
      std::vector<ringmq::message> dropped;
      (void)cs.sock.recv_multipart(std::back_inserter(dropped), ringmq::recv_flags::dontwait);
    }
    bool got = false;
    while (!count || seen < *count) {
      auto e = events.next(std::chrono::milliseconds(0));
      if (!e) break;
      print_event(*e, json);
      ++seen;
      got = true;
    }
    if (got) {
      last = clock::now();
    } else if (timeout && clock::now() >= last + *timeout) {
      std::string what = "timeout: no event for " + std::to_string(timeout->count()) + " ms";
      if (count) what += " (" + std::to_string(seen) + " of " + std::to_string(*count) + " events)";
      throw timeout_error(what);
    }
  }
  return 0;
}

}  // namespace ringmq_cli
