#include "core/endpoint.hpp"

namespace ringmq::detail {

std::optional<endpoint_parts> split_endpoint(std::string_view endpoint) noexcept {
  const auto sep = endpoint.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  endpoint_parts parts{endpoint.substr(0, sep), endpoint.substr(sep + 3)};
  if (parts.address.empty()) return std::nullopt;
  return parts;
}

}  // namespace ringmq::detail
