// Shorthands for the error values patterns return.
#pragma once

#include "core/status.hpp"

#include <ringmq/error.hpp>

#include <system_error>

namespace ringmq::detail {

inline const std::error_code& would_block() { return would_block_code; }
inline std::error_code not_supported() { return make_error_code(errc::not_supported); }
inline std::error_code invalid_state() { return make_error_code(errc::invalid_state); }

}  // namespace ringmq::detail
