// The factories of core's socket_type_table, one per row in the same order: the compiler
// refuses a row without its factory or a factory out of place.
#include "pattern/registry.hpp"

#include "core/socket_type_table.hpp"

#include <array>
#include <cstddef>

namespace ringmq::detail {

namespace {

struct factory_row {
  socket_type type;
  pattern_factory make;
};

constexpr std::array<factory_row, socket_types.size()> factories{{
    {socket_type::pair, &make_pair},
    {socket_type::pub, &make_pub},
    {socket_type::sub, &make_sub},
    {socket_type::req, &make_req},
    {socket_type::rep, &make_rep},
    {socket_type::dealer, &make_dealer},
    {socket_type::router, &make_router},
    {socket_type::pull, &make_pull},
    {socket_type::push, &make_push},
    {socket_type::xpub, &make_xpub},
    {socket_type::xsub, &make_xsub},
    {socket_type::stream, &make_stream},
    {socket_type::server, &make_server},
    {socket_type::client, &make_client},
    {socket_type::gather, &make_gather},
    {socket_type::scatter, &make_scatter},
}};

// A missing row leaves a value-initialised entry (type 0, no factory) where a later type
// belongs, so the type check catches it too. (Comparing a function's address with null is
// not a constant expression for GCC under -fsanitize.)
consteval bool one_factory_per_row() {
  for (std::size_t i = 0; i < socket_types.size(); ++i)
    if (factories[i].type != socket_types[i].type) return false;
  return true;
}
static_assert(one_factory_per_row(), "pattern factories must follow socket_type_table row by row");

}  // namespace

pattern_factory find_pattern(socket_type type) noexcept {
  return known_socket_type(type) ? factories[row_position(type)].make : nullptr;
}

}  // namespace ringmq::detail
