// command: what other threads ask of a socket, delivered through its mailbox and executed
// on the socket's own thread.
#pragma once

#include "core/link.hpp"

#include <cstdint>
#include <functional>
#include <memory>

namespace ringmq::detail {

struct command {
  enum class kind : std::uint8_t {
    wake,            // nothing to do: re-check state (context shutdown, monitor)
    activate_read,   // our end `side` of `target` has messages again (or a delimiter)
    activate_write,  // our end `side` of `target` has send credit again
    attach,          // a new connection: adopt end `side` of `target`
    call,            // run `fn` on the socket's thread
  };

  kind what = kind::wake;
  int side = 0;
  std::shared_ptr<link> target;
  const void* origin = nullptr;  // attach: the bind/connect the connection belongs to
  std::function<void()> fn;
};

}  // namespace ringmq::detail
