#include "core/metadata.hpp"

#include <algorithm>
#include <cctype>

namespace ringmq::detail {

metadata* metadata::create(std::vector<property> properties) { return new metadata(std::move(properties)); }

std::optional<std::string_view> metadata::find(std::string_view name) const noexcept {
  const auto same = [](std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
  };
  for (const auto& [key, value] : props_)
    if (same(key, name)) return std::string_view(value);
  return std::nullopt;
}

}  // namespace ringmq::detail
