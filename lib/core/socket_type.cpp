// Socket type names and the rfc 23/37 compatibility table.
#include <ringmq/socket_type.hpp>

#include <array>

namespace ringmq {

namespace {
constexpr std::array<std::string_view, 11> names{"PAIR", "PUB", "SUB", "REQ", "REP", "DEALER",
                                                 "ROUTER", "PULL", "PUSH", "XPUB", "XSUB"};
}

std::string_view to_string(socket_type type) noexcept {
  const auto i = static_cast<std::size_t>(type);
  return i < names.size() ? names[i] : std::string_view("UNKNOWN");
}

std::optional<socket_type> socket_type_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<socket_type>(i);
  return std::nullopt;
}

bool compatible(socket_type self, socket_type peer) noexcept {
  using t = socket_type;
  switch (self) {
    case t::pair: return peer == t::pair;
    case t::pub:
    case t::xpub: return peer == t::sub || peer == t::xsub;
    case t::sub:
    case t::xsub: return peer == t::pub || peer == t::xpub;
    case t::req: return peer == t::rep || peer == t::router;
    case t::rep: return peer == t::req || peer == t::dealer;
    case t::dealer: return peer == t::rep || peer == t::dealer || peer == t::router;
    case t::router: return peer == t::req || peer == t::dealer || peer == t::router;
    case t::pull: return peer == t::push;
    case t::push: return peer == t::pull;
  }
  return false;
}

}  // namespace ringmq
