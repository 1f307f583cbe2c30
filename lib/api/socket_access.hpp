// socket_access: how the library's own code reaches the internals behind public objects.
#pragma once

#include "core/context_impl.hpp"
#include "core/socket_base.hpp"

#include <ringmq/context.hpp>
#include <ringmq/socket.hpp>

#include <atomic>

namespace ringmq::detail {

struct socket_access {
  static socket_base* impl(const ringmq::socket& s) noexcept { return s.impl_; }
  static context_impl* impl(const ringmq::context& c) noexcept { return c.impl_; }
};

}  // namespace ringmq::detail
