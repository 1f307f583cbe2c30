// Socket types, numbered as libzmq numbers them (and as ZMTP/2.0 put them on the wire).
#pragma once

#include <ringmq/export.hpp>

#include <optional>
#include <string_view>

namespace ringmq {

enum class socket_type : int {
  pair = 0,
  pub = 1,
  sub = 2,
  req = 3,
  rep = 4,
  dealer = 5,
  router = 6,
  pull = 7,
  push = 8,
  xpub = 9,
  xsub = 10,
  // Raw TCP/ipc peers, no ZMTP: [routing id, data] per chunk read or to write.
  stream = 11,
  // Draft types (libzmq's numbers), thread-safe: several threads may use one at a time.
  server = 12,  // rfc 41
  client = 13,  // rfc 41
  // rfc 49 (scatter-gather)
  gather = 16,
  scatter = 17,
};

// Whether several threads may use a socket of this type at once (CLIENT, SERVER);
// the others belong to one thread at a time, as in libzmq.
RINGMQ_API bool thread_safe(socket_type type) noexcept;

// "PAIR", "PUB", ... as sent in the ZMTP Socket-Type property.
RINGMQ_API std::string_view to_string(socket_type type) noexcept;
// Parses the ZMTP name (exact, upper case); empty for an unknown name.
RINGMQ_API std::optional<socket_type> socket_type_from_string(std::string_view name) noexcept;
// rfc 23/37: whether a socket of type `self` may talk to a peer of type `peer`.
RINGMQ_API bool compatible(socket_type self, socket_type peer) noexcept;

}  // namespace ringmq
