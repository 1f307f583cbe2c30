// z85: the ZeroMQ Base-85 encoding (rfc 32), used for CURVE keys in text form (40
// characters for a 32-byte key) and in certificate files.
//
// rfc 32: "The binary frame SHALL have a length that is divisible by 4 with no remainder"
// and the string "a length that is divisible by 5"; every 4 octets, taken as a big-endian
// 32-bit value, become 5 characters, most significant first. Decoding rejects characters
// outside the alphabet and 5-character groups whose value exceeds 2^32-1 (libzmq >= 4.3.3).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ringmq::security {

// Encodes `in` (size divisible by 4) into `out` (replaced). False, leaving `out` empty, when
// the size is not divisible by 4.
bool z85_encode(std::span<const std::byte> in, std::string& out);

// Decodes `text` (length divisible by 5) into `out`, whose size must be text.size() / 5 * 4.
// False on a bad length or character; `out` may then hold garbage (callers wipe secrets).
bool z85_decode(std::string_view text, std::span<std::byte> out) noexcept;

// Convenience: the decoded bytes, or empty on bad input.
std::optional<std::string> z85_decode(std::string_view text);

}  // namespace ringmq::security
