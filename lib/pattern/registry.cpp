#include "pattern/registry.hpp"

#include <array>
#include <utility>

namespace ringmq::detail {

pattern_factory find_pattern(socket_type type) noexcept {
  static constexpr std::array<std::pair<socket_type, pattern_factory>, 11> table{{
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
  }};
  for (const auto& [t, make] : table)
    if (t == type) return make;
  return nullptr;
}

}  // namespace ringmq::detail
