// frame: the ZMTP 3.x frame header.
//
// rfc 23: frame = flags(1) size(1 | 8, network order) body. Flags bit 0 MORE, bit 1 LONG
// (8-octet size), bit 2 COMMAND; bits 3-7 "reserved ... MUST be zero", which libzmq does not
// check and neither do we. A short frame carries 0-255 octets, a long one 0 to 2^63-1.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringmq::zmtp {

namespace frame_flag {
inline constexpr std::uint8_t more = 0x01;
inline constexpr std::uint8_t long_size = 0x02;
inline constexpr std::uint8_t command = 0x04;
}  // namespace frame_flag

inline constexpr std::size_t short_header_size = 2;
inline constexpr std::size_t long_header_size = 9;
inline constexpr std::size_t max_header_size = long_header_size;
inline constexpr std::size_t max_short_body = 255;
// rfc 23: "A long frame has a body of 0 to 2^63-1 octets."
inline constexpr std::uint64_t max_frame_body = (std::uint64_t{1} << 63U) - 1;

}  // namespace ringmq::zmtp
