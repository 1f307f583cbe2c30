// metadata_codec: the ZMTP property list carried by READY (NULL), by PLAIN/CURVE INITIATE
// and READY, and by ZAP replies.
//
// rfc 23: metadata = *property; property = name value;
//         name = short-size 1*255name-char; name-char = ALPHA | DIGIT | "-" | "_" | "." | "+"
//         value = 4OCTET *OCTET (size in network byte order, 0 to 2^31-1 octets)
// The parser is iterative, checks every length as `len > end - pos`, and copies nothing:
// views point into the input (at most one per 6 input octets).
#pragma once

#include "zmtp/wire.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// What the metadata a peer sends may cost us (issue 15: a READY of empty properties, 6
// octets each on the wire, cost 11 times its size in memory). A property is charged its
// name and value octets plus property_overhead, the objects that hold it (the view made
// while parsing, 32 octets, and the pair of strings a kept one lives in, 64). A peer over
// either bound is refused. Legitimate peers are far below both: libzmq sends Socket-Type
// and, from REQ, DEALER and ROUTER, an Identity of at most 255 octets, plus one X- property
// per ZMQ_METADATA entry; the whole list is also capped by the largest handshake frame.
inline constexpr std::size_t max_peer_properties = 128;
inline constexpr std::size_t max_peer_metadata_cost = std::size_t{64} * 1024;
inline constexpr std::size_t property_overhead = 96;

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
// value length above 2^31-1, more than `max_count` properties (checked before the one past
// it is stored). On failure `out` holds the properties parsed before the fault.
const char* parse_properties(bytes in, std::vector<property_view>& out,
                             std::size_t max_count = static_cast<std::size_t>(-1));

// What `properties` cost under the rule above: octets of names and values plus
// property_overhead each.
std::size_t metadata_cost(const std::vector<property_view>& properties) noexcept;

// The bounds above applied to a peer's property list: nullptr when it is within them (and
// well formed, see parse_properties), else a static text saying which bound or rule it breaks.
const char* parse_peer_properties(bytes in, std::vector<property_view>& out);

}  // namespace ringmq::zmtp
