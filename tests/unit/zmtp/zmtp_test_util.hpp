// Helpers shared by the zmtp unit tests: byte strings, draining an output_batch, a sink that
// records every event, and peer greetings / READY commands built byte by byte.
#pragma once

#include "core/message_access.hpp"
#include "zmtp/connection.hpp"
#include "zmtp/output_batch.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ringmq::zmtp::test {

using namespace std::string_literals;
using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;
using std::chrono::milliseconds;

inline constexpr time_point t0 = time_point{} + std::chrono::hours{1};

inline bytes B(const std::string& s) { return as_bytes(s); }

// "ff 00 7f" -> bytes (spaces ignored).
inline std::string hex(std::string_view h) {
  std::string out;
  int nibble = -1;
  for (char c : h) {
    int v = -1;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    else
      continue;
    if (nibble < 0) {
      nibble = v;
    } else {
      out.push_back(static_cast<char>(nibble * 16 + v));
      nibble = -1;
    }
  }
  return out;
}

inline std::string to_hex(std::string_view s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (!out.empty()) out += ' ';
    out += digits[c >> 4U];
    out += digits[c & 15U];
  }
  return out;
}

// Everything pending in `out`, which is then emptied.
inline std::string drain(output_batch& out) {
  std::string s;
  while (!out.empty()) {
    std::size_t n = 0;
    for (const iovec& v : out.iovecs()) {
      s.append(static_cast<const char*>(v.iov_base), v.iov_len);
      n += v.iov_len;
    }
    out.consume(n);
  }
  return s;
}

inline std::string u32be(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 3; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xffU);
    v >>= 8U;
  }
  return s;
}

inline std::string prop(const std::string& name, const std::string& value) {
  return std::string(1, static_cast<char>(name.size())) + name +
         u32be(static_cast<std::uint32_t>(value.size())) + value;
}

// A command frame (short or long form) around `body`.
inline std::string command_frame(const std::string& body) {
  if (body.size() <= 255) return "\x04"s + static_cast<char>(body.size()) + body;
  std::string h = "\x06"s;
  for (int i = 7; i >= 0; --i)
    h += static_cast<char>((body.size() >> (8U * static_cast<unsigned>(i))) & 0xffU);
  return h + body;
}

inline std::string data_frame(const std::string& body, bool more = false) {
  const char flags = more ? 1 : 0;
  if (body.size() <= 255) return std::string(1, flags) + static_cast<char>(body.size()) + body;
  std::string h(1, static_cast<char>(flags | 2));
  for (int i = 7; i >= 0; --i)
    h += static_cast<char>((body.size() >> (8U * static_cast<unsigned>(i))) & 0xffU);
  return h + body;
}

inline std::string ready_frame(const std::string& props) { return command_frame("\x05READY" + props); }

// A peer greeting. `padding` fills octets 1-8 (libzmq puts a length there).
inline std::string greeting(const std::string& mechanism = "NULL", int major = 3, int minor = 1,
                            char padding = 0, bool as_server = false) {
  std::string g(64, '\0');
  g[0] = '\xff';
  for (int i = 1; i <= 8; ++i) g[static_cast<std::size_t>(i)] = padding;
  g[9] = '\x7f';
  g[10] = static_cast<char>(major);
  g[11] = static_cast<char>(minor);
  g.replace(12, mechanism.size(), mechanism);
  g[32] = as_server ? 1 : 0;
  return g;
}

// libzmq 4.3.4's greeting as captured (docs/wire-and-security.md): padding 00.. 01.
inline std::string libzmq_greeting() {
  return hex("ff 00 00 00 00 00 00 00 01 7f 03 01 4e 55 4c 4c") + std::string(48, '\0');
}

struct recording_sink final : connection_sink {
  std::vector<handshake_info> handshakes;
  std::vector<message> messages;
  std::vector<zap_request> zaps;
  std::vector<error_info> errors;
  std::size_t pause_every = 0;  // 0: never pause

  void on_handshake_succeeded(const handshake_info& info) override { handshakes.push_back(info); }
  bool on_message(message&& frame) override {
    messages.push_back(std::move(frame));
    return pause_every == 0 || messages.size() % pause_every != 0;
  }
  void on_zap_request(const zap_request& r) override { zaps.push_back(r); }
  void on_error(const error_info& e) override { errors.push_back(e); }

  [[nodiscard]] std::vector<std::string> texts() const {
    std::vector<std::string> v;
    for (const auto& m : messages) v.push_back(m.to_string());
    return v;
  }
};

inline bool has_more(const message& m) {
  return detail::message_access::has(m, detail::message_access::more);
}

}  // namespace ringmq::zmtp::test
