// epoll_loop: the fallback backend, for kernels and sandboxes without io_uring (Docker's
// and containerd's default seccomp profiles block it). Same io_loop contract, readiness
// underneath:
//   receive  level-triggered EPOLLIN, one recv() into a loop-owned 64 KiB buffer per
//            readiness (up to 4 while each fills the buffer), so busy streams share fairly;
//   send     sendmsg() at once from send(), EPOLLOUT only after EAGAIN;
//   accept   accept4() until EAGAIN (bounded per event);
//   connect  non-blocking connect(), EPOLLOUT, then SO_ERROR;
//   timers   the loop_base heap, the nearest deadline as epoll_pwait2's timeout (ns);
//   wake-up  the post_queue's eventfd, registered once, level-triggered.
// Level- rather than edge-triggered: interest is exactly what the stream wants now
// (EPOLLIN unless paused or ended, EPOLLOUT only while a send is blocked), so a paused
// stream is not woken by its own data, and AF_UNIX peers' reads (which signal EPOLLOUT on
// every consumed skb) do not wake a stream that has nothing to send.
#pragma once

#include "io/io_loop.hpp"

#include <memory>

namespace ringmq::detail::io {

// Throws std::system_error if epoll or the eventfd cannot be created.
std::unique_ptr<io_loop> make_epoll_loop();

}  // namespace ringmq::detail::io
