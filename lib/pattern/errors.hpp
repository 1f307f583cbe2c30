// Shorthands for the error values patterns return.
#pragma once

#include <ringmq/error.hpp>

#include <system_error>

namespace ringmq::detail {

inline std::error_code would_block() { return std::make_error_code(std::errc::resource_unavailable_try_again); }
inline std::error_code not_supported() { return make_error_code(errc::not_supported); }
inline std::error_code invalid_state() { return make_error_code(errc::invalid_state); }

}  // namespace ringmq::detail
