// The throwing overloads' one way of turning an error_code into ringmq::error.
#pragma once

#include <ringmq/error.hpp>

#include <string>
#include <string_view>
#include <system_error>

namespace ringmq::detail {

// Throws ringmq::error("<what> <argument>: <message>") if `ec` is set.
inline void throw_on_error(std::error_code ec, std::string_view what, std::string_view argument = {}) {
  if (!ec) return;
  std::string context(what);
  if (!argument.empty()) {
    context += ' ';
    context += argument;
  }
  throw error(ec, context);
}

}  // namespace ringmq::detail
