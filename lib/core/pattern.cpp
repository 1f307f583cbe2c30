#include "core/pattern.hpp"

#include <ringmq/error.hpp>

namespace ringmq::detail {

namespace {
std::error_code unknown_for_type(option id) {
  // A real option that this socket type does not have is "not supported", anything else is
  // unknown.
  return find_option(id) ? make_error_code(errc::not_supported) : make_error_code(errc::unknown_option);
}
}  // namespace

std::error_code pattern::set_option(option id, std::int64_t) { return unknown_for_type(id); }
std::error_code pattern::set_option(option id, std::string_view) { return unknown_for_type(id); }
std::error_code pattern::get_option(option id, std::int64_t&) const { return unknown_for_type(id); }
std::error_code pattern::get_option(option id, std::string&) const { return unknown_for_type(id); }

}  // namespace ringmq::detail
