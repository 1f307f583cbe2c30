// Endpoint strings: "scheme://address".
#pragma once

#include <optional>
#include <string_view>

namespace ringmq::detail {

struct endpoint_parts {
  std::string_view scheme;
  std::string_view address;
};

// Splits "tcp://host:port" into scheme and address; empty if there is no "://", the scheme
// is empty or the address is empty.
std::optional<endpoint_parts> split_endpoint(std::string_view endpoint) noexcept;

}  // namespace ringmq::detail
