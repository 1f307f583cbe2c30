// metadata_codec: the ZMTP property list carried by READY (NULL), by PLAIN/CURVE INITIATE
// and READY, and by ZAP replies.
//
// rfc 23: metadata = *property; property = name value;
//         name = short-size 1*255name-char; name-char = ALPHA | DIGIT | "-" | "_" | "." | "+"
//         value = 4OCTET *OCTET (size in network byte order, 0 to 2^31-1 octets)
// The parser is iterative, checks every length as `len > end - pos`, and copies nothing:
// views point into the input (at most one per 6 input octets).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zmtp/wire.hpp"

namespace ringmq::zmtp {

// rfc 23: "The value SHALL be 0 to 2,147,483,647 (2^31-1 ...) octets".
inline constexpr std::uint32_t max_property_value = 0x7fffffff;

namespace property_name {
inline constexpr std::string_view socket_type = "Socket-Type";
inline constexpr std::string_view identity = "Identity";
inline constexpr std::string_view resource = "Resource";
inline constexpr std::string_view user_id = "User-Id";            // set by authentication
inline constexpr std::string_view peer_address = "Peer-Address";  // set locally, never sent
}  // namespace property_name

using property = std::pair<std::string, std::string>;

struct property_view {
  std::string_view name;
  std::string_view value;
};

// 1-255 characters of [A-Za-z0-9-_.+].
bool valid_property_name(std::string_view name) noexcept;
// rfc 23: "The case (upper or lower) of names SHALL NOT be significant." (libzmq compares
// case-sensitively; we accept both, as the rfc asks.)
bool property_name_equal(std::string_view a, std::string_view b) noexcept;
// Names starting with "X-" (any case) are application properties (rfc 23).
bool is_application_property(std::string_view name) noexcept;

// Appends one encoded property. Preconditions: valid_property_name(name) and
// value.size() <= max_property_value.
void append_property(std::string& out, std::string_view name, std::string_view value);
std::string encode_properties(const std::vector<property>& properties);

// Parses a whole property list into `out` (cleared first). Returns nullptr on success or a
// static text saying what is wrong: a truncated name or value, an empty or invalid name, a
// value length above 2^31-1. On failure `out` holds the properties parsed before the fault.
const char* parse_properties(bytes in, std::vector<property_view>& out);

}  // namespace ringmq::zmtp
