// Helpers shared by the fuzz targets written after fuzz_zmtp and fuzz_curve_server: the oracle
// check, a reader over the fuzz input, ZMTP frames built byte by byte (rfc 23), and an
// independent reader of what a connection wrote. They share no code with lib/zmtp (only the
// constants of its bounds on a peer's metadata), so an oracle built on them does not inherit
// the library's mistakes.
#pragma once

#include "zmtp/metadata_codec.hpp"
#include "zmtp/output_batch.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// An oracle: on violation, name the check and abort, which libFuzzer and the replay driver
// both report as a crash with the input that caused it.
#define FUZZ_REQUIRE(cond)                                                 \
  do {                                                                     \
    if (!(cond)) ::ringmq::fuzz::oracle_failed(#cond, __FILE__, __LINE__); \
  } while (false)

namespace ringmq::fuzz {

[[noreturn]] inline void oracle_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz oracle failed: %s (%s:%d)\n", what, file, line);
  std::abort();
}

// Reads the fuzz input front to back; past its end every read yields zeros / empty, so a
// truncated input is still a complete script.
struct reader {
  const std::uint8_t* p;
  std::size_t n;
  [[nodiscard]] bool empty() const { return n == 0; }
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8U)); }
  std::string take(std::size_t k) {
    k = k < n ? k : n;
    std::string s(reinterpret_cast<const char*>(p), k);
    p += k;
    n -= k;
    return s;
  }
  std::string rest() { return take(n); }
};

// ---- building what a peer sends ----

inline std::string be32(std::uint32_t v) {
  std::string s(4, '\0');
  for (std::size_t i = 4; i-- > 0; v >>= 8U) s[i] = static_cast<char>(v & 0xffU);
  return s;
}

// rfc 23: a frame is flags (bit 0 MORE, bit 1 LONG, bit 2 COMMAND), a 1- or 8-octet size and
// the body; the short form for bodies up to 255 octets.
inline std::string frame(const std::string& body, bool command, bool more = false) {
  const unsigned flags = (command ? 4U : 0U) | (more ? 1U : 0U);
  if (body.size() <= 255)
    return std::string(1, static_cast<char>(flags)) + static_cast<char>(body.size()) + body;
  std::string h(1, static_cast<char>(flags | 2U));
  const auto size = static_cast<std::uint64_t>(body.size());
  for (unsigned shift = 64; shift != 0;) {
    shift -= 8;
    h += static_cast<char>((size >> shift) & 0xffU);
  }
  return h + body;
}

// A command body: name-len name data.
inline std::string command_body(std::string_view name, std::string_view data) {
  return std::string(1, static_cast<char>(name.size())) + std::string(name) + std::string(data);
}

// rfc 23 property: name-len name value-len(4, network order) value.
inline std::string prop(std::string_view name, std::string_view value) {
  return std::string(1, static_cast<char>(name.size())) + std::string(name) +
         be32(static_cast<std::uint32_t>(value.size())) + std::string(value);
}

// A ZMTP 3.1 greeting for `mechanism`, as libzmq sends it (padding zero, as-server 0).
inline std::string greeting(std::string_view mechanism) {
  std::string g(64, '\0');
  g[0] = '\xff';
  g[9] = '\x7f';
  g[10] = '\x03';
  g[11] = '\x01';
  g.replace(12, mechanism.size(), mechanism);
  return g;
}

// ---- reading what the connection under test wrote ----

struct wire_frame {
  bool command = false;
  bool more = false;
  std::string body;
};

// Splits a ZMTP 3 stream (a connection's output, or what its peer sent) into the greeting
// and frames, however it was cut.
class wire_reader {
 public:
  // Appends everything pending in `out` and empties it.
  void take(ringmq::zmtp::output_batch& out) {
    while (!out.empty()) {
      std::size_t n = 0;
      for (const iovec& v : out.iovecs()) {
        buf_.append(static_cast<const char*>(v.iov_base), v.iov_len);
        n += v.iov_len;
      }
      out.consume(n);
    }
  }
  // Appends octets from elsewhere (what a peer sent).
  void append(std::string_view octets) { buf_.append(octets); }
  // The next complete frame after the 64-octet greeting, if any.
  std::optional<wire_frame> next() {
    if (!greeting_seen_) {
      if (buf_.size() < 64) return std::nullopt;
      greeting_ = buf_.substr(0, 64);
      buf_.erase(0, 64);
      greeting_seen_ = true;
    }
    if (buf_.size() < 2) return std::nullopt;
    const auto flags = static_cast<unsigned char>(buf_[0]);
    std::size_t header = 2;
    std::uint64_t size = static_cast<unsigned char>(buf_[1]);
    if ((flags & 2U) != 0) {
      if (buf_.size() < 9) return std::nullopt;
      header = 9;
      size = 0;
      for (std::size_t i = 1; i < 9; ++i) size = (size << 8U) | static_cast<unsigned char>(buf_[i]);
    }
    if (buf_.size() - header < size) return std::nullopt;
    wire_frame f{(flags & 4U) != 0, (flags & 1U) != 0, buf_.substr(header, size)};
    buf_.erase(0, header + size);
    return f;
  }
  [[nodiscard]] const std::string& greeting() const { return greeting_; }

 private:
  std::string buf_;
  std::string greeting_;
  bool greeting_seen_ = false;
};

// The command name of a body ("" when the body is not name-len name ...).
inline std::string_view command_name_of(std::string_view body) {
  if (body.empty()) return {};
  const std::size_t n = static_cast<unsigned char>(body[0]);
  if (n == 0 || n > body.size() - 1) return {};
  return body.substr(1, n);
}

// ---- an independent rfc 23 metadata parser, the reference for the library's ----

struct property_ref {
  std::string name;
  std::string value;
  friend bool operator==(const property_ref&, const property_ref&) = default;
};

// rfc 23: name-char = ALPHA | DIGIT | "-" | "_" | "." | "+"
inline bool name_char_ref(char c) {
  return std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+").find(c) !=
         std::string_view::npos;
}

// rfc 23: metadata = *property; name = short-size 1*255name-char; value = 4OCTET *OCTET with
// the size at most 2^31-1. Empty on any fault; `parsed` then holds the properties before it.
inline bool parse_metadata_ref(std::string_view in, std::vector<property_ref>& parsed) {
  parsed.clear();
  while (!in.empty()) {
    const std::size_t name_len = static_cast<unsigned char>(in[0]);
    in.remove_prefix(1);
    if (name_len == 0 || in.size() < name_len) return false;
    const std::string_view name = in.substr(0, name_len);
    for (char c : name)
      if (!name_char_ref(c)) return false;
    in.remove_prefix(name_len);
    if (in.size() < 4) return false;
    std::uint64_t value_len = 0;
    for (std::size_t i = 0; i < 4; ++i) value_len = (value_len << 8U) | static_cast<unsigned char>(in[i]);
    in.remove_prefix(4);
    if (value_len > 0x7fffffffU || in.size() < value_len) return false;
    parsed.push_back({std::string(name), std::string(in.substr(0, value_len))});
    in.remove_prefix(value_len);
  }
  return true;
}

// What a connection accepts from a peer besides rfc 23 (metadata_codec.hpp, issue 15): at
// most max_peer_properties properties, each charged its name and value octets plus
// property_overhead, at most max_peer_metadata_cost in all.
inline bool within_peer_bounds(const std::vector<property_ref>& props) {
  if (props.size() > zmtp::max_peer_properties) return false;
  std::size_t cost = 0;
  for (const auto& p : props) cost += p.name.size() + p.value.size() + zmtp::property_overhead;
  return cost <= zmtp::max_peer_metadata_cost;
}

inline char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

inline bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  return true;
}

}  // namespace ringmq::fuzz
