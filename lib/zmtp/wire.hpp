// wire: network-byte-order integers and byte-span helpers shared by the ZMTP codecs.
// rfc 23: every multi-octet size on the wire is an unsigned integer in network byte order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ringmq::zmtp {

using bytes = std::span<const std::byte>;

inline std::uint16_t get_u16(const std::byte* p) noexcept {
  return static_cast<std::uint16_t>((std::to_integer<unsigned>(p[0]) << 8U) |
                                    std::to_integer<unsigned>(p[1]));
}

inline std::uint32_t get_u32(const std::byte* p) noexcept {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8U) | std::to_integer<std::uint32_t>(p[i]);
  return v;
}

inline std::uint64_t get_u64(const std::byte* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8U) | std::to_integer<std::uint64_t>(p[i]);
  return v;
}

inline void put_u16(std::byte* p, std::uint16_t v) noexcept {
  p[0] = static_cast<std::byte>(v >> 8U);
  p[1] = static_cast<std::byte>(v);
}

inline void put_u32(std::byte* p, std::uint32_t v) noexcept {
  for (int i = 3; i >= 0; --i) {
    p[i] = static_cast<std::byte>(v);
    v >>= 8U;
  }
}

inline void put_u64(std::byte* p, std::uint64_t v) noexcept {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<std::byte>(v);
    v >>= 8U;
  }
}

inline bytes as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

inline std::string_view as_text(bytes b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace ringmq::zmtp
