// The error codes of the hot paths, made once. Constructing a std::error_code calls into
// libstdc++ (std::system_category()); copying one of these does not, which matters at
// tens of millions of messages per second.
#pragma once

#include <cerrno>
#include <system_error>

namespace ringmq::detail {

inline const std::error_code no_error{};
inline const std::error_code would_block_code =
    std::make_error_code(std::errc::resource_unavailable_try_again);

inline bool is_would_block(const std::error_code& ec) noexcept {
  return ec.value() == EAGAIN && &ec.category() == &would_block_code.category();
}

}  // namespace ringmq::detail
