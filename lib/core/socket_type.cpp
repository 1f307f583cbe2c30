// Socket type names and the rfc 23/37 compatibility check, read from socket_type_table.
#include "core/socket_type_table.hpp"

#include <ringmq/socket_type.hpp>

namespace ringmq {

using detail::known_socket_type;
using detail::row_of;

std::string_view to_string(socket_type type) noexcept {
  return known_socket_type(type) ? row_of(type).name : std::string_view("UNKNOWN");
}

std::optional<socket_type> socket_type_from_string(std::string_view name) noexcept {
  for (const detail::socket_type_row& row : detail::socket_types)
    if (row.name == name) return row.type;
  return std::nullopt;
}

bool compatible(socket_type self, socket_type peer) noexcept {
  return known_socket_type(self) && known_socket_type(peer) &&
         (row_of(self).peers & detail::type_bit(peer)) != 0;
}

bool thread_safe(socket_type type) noexcept { return known_socket_type(type) && row_of(type).thread_safe; }

}  // namespace ringmq
