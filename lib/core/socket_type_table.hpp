// socket_type_table: one row per socket type, the only place that says what a socket type
// is outside its pattern: its number, its ZMTP name, the peer types it may talk to, and the
// traits the layers under the pattern act on (zmtp, the stream sessions, socket_base). The
// pattern layer adds each row's factory (pattern/registry.cpp), checked at compile time
// against this table's order. Adding a socket type: its number in the public enum, one row
// here, its pattern in lib/pattern/ and its factory line in the registry.
#pragma once

#include <ringmq/socket_type.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringmq::detail {

// A set of socket types: bit n stands for socket_type n.
using socket_type_set = std::uint32_t;

constexpr socket_type_set type_bit(socket_type t) noexcept {
  return socket_type_set{1} << static_cast<unsigned>(t);
}

struct socket_type_row {
  socket_type type;
  // rfc 23/37: the Socket-Type property of READY, exact and upper case.
  std::string_view name;
  // rfc 23/37: the peer types a connection may have; any other fails the handshake.
  socket_type_set peers = 0;
  // rfc 37: READY carries an Identity property (the routing id a ROUTER addresses us by).
  bool sends_identity = false;
  // The type subscribes upstream: the messages "\x01topic"/"\x00topic" it sends are
  // SUBSCRIBE/CANCEL commands to a 3.1 peer, and each new connection must hear all its
  // subscriptions again, since a publisher starts a connection with none.
  bool sends_subscriptions = false;
  // The type is subscribed to: a peer's SUBSCRIBE/CANCEL commands reach the pattern as
  // messages, and what it reads steers what it sends.
  bool receives_subscriptions = false;
  // Several threads may call the socket at once (the draft types): each call holds the
  // socket's lock, which a blocking call lets go while it waits (core/call_lock.hpp).
  bool thread_safe = false;
  // What CONFLATE does (libzmq applies it to DEALER, PULL, SUB, PUB and PUSH only):
  // ringmq conflates what a socket receives; a type that only sends refuses the option,
  // the others ignore it as libzmq's do.
  enum class conflation : std::uint8_t { ignored, inbound, refused };
  conflation conflate = conflation::ignored;
  // The type speaks no ZMTP: its tcp/ipc connections carry the application's octets as
  // they are (zmtp::raw_connection, chosen by the stream session), and it has no ZMTP peers.
  bool raw_wire = false;
};

// In number order; numbers may be missing (libzmq's other draft types), so lookups go
// through row_index below.
inline constexpr std::array<socket_type_row, 16> socket_types{{
    // rfc 31 (exclusive pair)
    {.type = socket_type::pair, .name = "PAIR", .peers = type_bit(socket_type::pair)},
    // rfc 29 (publish-subscribe)
    {.type = socket_type::pub,
     .name = "PUB",
     .peers = type_bit(socket_type::sub) | type_bit(socket_type::xsub),
     .receives_subscriptions = true,
     .conflate = socket_type_row::conflation::refused},
    {.type = socket_type::sub,
     .name = "SUB",
     .peers = type_bit(socket_type::pub) | type_bit(socket_type::xpub),
     .sends_subscriptions = true,
     .conflate = socket_type_row::conflation::inbound},
    // rfc 28 (request-reply)
    {.type = socket_type::req,
     .name = "REQ",
     .peers = type_bit(socket_type::rep) | type_bit(socket_type::router),
     .sends_identity = true},
    {.type = socket_type::rep,
     .name = "REP",
     .peers = type_bit(socket_type::req) | type_bit(socket_type::dealer)},
    {.type = socket_type::dealer,
     .name = "DEALER",
     .peers = type_bit(socket_type::rep) | type_bit(socket_type::dealer) | type_bit(socket_type::router),
     .sends_identity = true,
     .conflate = socket_type_row::conflation::inbound},
    // libzmq sends Identity from a ROUTER too, which the rfc 37 example does not.
    {.type = socket_type::router,
     .name = "ROUTER",
     .peers = type_bit(socket_type::req) | type_bit(socket_type::dealer) | type_bit(socket_type::router),
     .sends_identity = true},
    // rfc 30 (pipeline)
    {.type = socket_type::pull,
     .name = "PULL",
     .peers = type_bit(socket_type::push),
     .conflate = socket_type_row::conflation::inbound},
    {.type = socket_type::push,
     .name = "PUSH",
     .peers = type_bit(socket_type::pull),
     .conflate = socket_type_row::conflation::refused},
    // rfc 29 (publish-subscribe, the raw ends)
    {.type = socket_type::xpub,
     .name = "XPUB",
     .peers = type_bit(socket_type::sub) | type_bit(socket_type::xsub),
     .receives_subscriptions = true},
    {.type = socket_type::xsub,
     .name = "XSUB",
     .peers = type_bit(socket_type::pub) | type_bit(socket_type::xpub),
     .sends_subscriptions = true},
    // libzmq's STREAM (no rfc): raw peers, no ZMTP peer type.
    {.type = socket_type::stream, .name = "STREAM", .peers = 0, .raw_wire = true},
    // rfc 41 (client-server)
    {.type = socket_type::server,
     .name = "SERVER",
     .peers = type_bit(socket_type::client),
     .thread_safe = true},
    {.type = socket_type::client,
     .name = "CLIENT",
     .peers = type_bit(socket_type::server),
     .thread_safe = true},
    // rfc 49 (scatter-gather)
    {.type = socket_type::gather,
     .name = "GATHER",
     .peers = type_bit(socket_type::scatter),
     .thread_safe = true},
    {.type = socket_type::scatter,
     .name = "SCATTER",
     .peers = type_bit(socket_type::gather),
     .thread_safe = true},
}};

namespace socket_type_index {
consteval std::size_t table_size() {
  std::size_t size = 0;
  for (const socket_type_row& row : socket_types)
    size = std::max(size, static_cast<std::size_t>(row.type) + 1);
  return size;
}
inline constexpr std::int8_t no_row = -1;
// row_index[n]: the position in socket_types of the row of type n, or no_row.
inline constexpr std::array<std::int8_t, table_size()> row_index = [] {
  std::array<std::int8_t, table_size()> index{};
  index.fill(no_row);
  for (std::size_t i = 0; i < socket_types.size(); ++i)
    index[static_cast<std::size_t>(socket_types[i].type)] = static_cast<std::int8_t>(i);
  return index;
}();
}  // namespace socket_type_index

constexpr bool known_socket_type(socket_type t) noexcept {
  const auto n = static_cast<std::size_t>(t);  // a negative number becomes too large
  return n < socket_type_index::row_index.size() &&
         socket_type_index::row_index[n] != socket_type_index::no_row;
}

// The position of a known type's row (known_socket_type); every socket's type is one.
constexpr std::size_t row_position(socket_type t) noexcept {
  return static_cast<std::size_t>(socket_type_index::row_index[static_cast<std::size_t>(t)]);
}

constexpr const socket_type_row& row_of(socket_type t) noexcept { return socket_types[row_position(t)]; }

namespace socket_type_checks {
consteval bool rows_in_number_order() {
  for (std::size_t i = 1; i < socket_types.size(); ++i)
    if (socket_types[i - 1].type >= socket_types[i].type) return false;
  return true;
}
// A connection either works both ways or not at all.
consteval bool peers_symmetric() {
  for (const socket_type_row& a : socket_types)
    for (const socket_type_row& b : socket_types)
      if (((a.peers & type_bit(b.type)) != 0) != ((b.peers & type_bit(a.type)) != 0)) return false;
  return true;
}
// Peers name only types that have a row.
consteval bool peers_known() {
  socket_type_set all = 0;
  for (const socket_type_row& row : socket_types) all |= type_bit(row.type);
  for (const socket_type_row& row : socket_types)
    if ((row.peers & ~all) != 0) return false;
  return true;
}
}  // namespace socket_type_checks

static_assert(socket_type_checks::rows_in_number_order(), "socket_types must be in number order, once each");
static_assert(socket_type_checks::peers_symmetric(), "socket type compatibility must be symmetric");
static_assert(socket_type_checks::peers_known(), "a row names a peer type without a row");
static_assert(socket_type_index::table_size() <= 32, "socket_type_set has 32 bits");

}  // namespace ringmq::detail
