// Helpers shared by the spec and API suites: sockets with a safety-net timeout, and short
// ways to send and receive strings and multipart messages.
//
// Nothing here sleeps. Blocking calls carry RCVTIMEO/SNDTIMEO of `safety` so that a bug
// fails the test after a few seconds instead of hanging it; the timeout is never reached
// when the library behaves.
#pragma once

#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ringmq_test {

using namespace std::chrono_literals;
using ringmq::recv_flags;
using ringmq::send_flags;
using ringmq::socket_type;
namespace opt = ringmq::opt;

// How long a blocking call may take before the test declares the library stuck.
inline constexpr std::chrono::milliseconds safety{5000};

// A socket whose blocking calls give up after `safety`, with LINGER 0.
inline ringmq::socket make_socket(ringmq::context& ctx, socket_type type) {
  ringmq::socket s(ctx, type);
  s.set(opt::rcvtimeo, safety);
  s.set(opt::sndtimeo, safety);
  s.set(opt::linger, 0ms);
  return s;
}

// Sends `parts` as one multipart message; false if it would block or timed out.
inline bool send_parts(ringmq::socket& s, std::initializer_list<std::string_view> parts,
                       send_flags flags = send_flags::none) {
  return s.send_multipart(std::vector<std::string_view>(parts), flags).has_value();
}

// Receives one whole message as strings; empty when nothing arrived (would-block/timeout).
inline std::vector<std::string> recv_parts(ringmq::socket& s, recv_flags flags = recv_flags::none) {
  std::vector<ringmq::message> msgs;
  if (!s.recv_multipart(std::back_inserter(msgs), flags)) return {};
  std::vector<std::string> out;
  out.reserve(msgs.size());
  for (const auto& m : msgs) out.push_back(m.to_string());
  return out;
}

// Receives one part as a string.
inline std::optional<std::string> recv_string(ringmq::socket& s, recv_flags flags = recv_flags::none) {
  auto m = s.recv(flags);
  if (!m) return std::nullopt;
  return m->to_string();
}

// The code of the ringmq::error `fn` throws, or empty when it throws none.
template <class Fn>
std::error_code thrown_code(Fn&& fn) {
  try {
    fn();
  } catch (const ringmq::error& e) {
    return e.code();
  }
  return {};
}

// True when nothing can be received right now.
inline bool nothing_to_recv(ringmq::socket& s) {
  ringmq::message m;
  return !s.recv(m, recv_flags::dontwait).has_value();
}

// Sends empty messages with dontwait until one would block (or `limit` were sent).
inline int send_until_blocked(ringmq::socket& s, int limit = 100000) {
  int n = 0;
  while (n < limit && s.send(std::string_view{}, send_flags::dontwait)) ++n;
  return n;
}

// Receives with dontwait until nothing is left; returns how many messages were read.
inline int drain(ringmq::socket& s) {
  int n = 0;
  ringmq::message m;
  while (s.recv(m, recv_flags::dontwait)) {
    if (!m.more()) ++n;
  }
  return n;
}

// Milliseconds elapsed while running `fn`.
template <class Fn>
std::chrono::milliseconds time_of(Fn&& fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

// Waits (with poll and the safety deadline) until `s` has something to receive.
inline bool wait_readable(ringmq::socket& s, std::chrono::milliseconds timeout = safety) {
  ringmq::poll_item item{&s, -1, ringmq::events::pollin};
  return ringmq::poll(std::span(&item, 1), timeout) == 1;
}

// Waits until some of `socks` can receive; returns the index of the only one that can, or
// -1 if none could within the deadline or more than one could.
inline int which_readable(std::vector<ringmq::socket>& socks, std::chrono::milliseconds timeout = safety) {
  std::vector<ringmq::poll_item> items;
  items.reserve(socks.size());
  for (auto& s : socks) items.push_back({&s, -1, ringmq::events::pollin});
  if (ringmq::poll(items, timeout) != 1) return -1;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (ringmq::any(items[i].ready & ringmq::events::pollin)) return static_cast<int>(i);
  return -1;
}

using strings = std::vector<std::string>;

}  // namespace ringmq_test
