// accept_errors: how both backends react to a failed accept (io_loop::listen_handler).
#pragma once

#include <cerrno>
#include <chrono>

namespace ringmq::detail::io {

// Out of descriptors or memory: the pending connection stays queued, so retrying at once
// would spin; accepting resumes after this pause.
constexpr std::chrono::milliseconds accept_backoff{50};

constexpr bool is_accept_resource_error(int error) noexcept {
  return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
}

// The socket cannot accept at all (not a listening socket, closed under us): retrying
// would fail forever, so accepting stops after reporting it.
constexpr bool is_accept_fatal_error(int error) noexcept {
  return error == EBADF || error == EINVAL || error == ENOTSOCK || error == EOPNOTSUPP || error == EFAULT;
}

}  // namespace ringmq::detail::io
