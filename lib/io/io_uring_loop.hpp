// io_uring_loop: the primary backend — one ring per loop, created on the loop thread.
//   receive  one multishot IORING_OP_RECV per stream into a provided-buffer ring shared by
//            the loop's streams; each buffer goes back to the ring right after on_data.
//            Re-armed whenever a completion lacks IORING_CQE_F_MORE (CQ overflow, ENOBUFS,
//            single-shot kernels). pause_recv cancels it, so the socket buffer fills and TCP
//            pushes back; resume_recv re-arms.
//   send     one IORING_OP_SENDMSG in flight per stream (MSG_NOSIGNAL | MSG_WAITALL); a
//            short count is resubmitted for the rest. No SEND_ZC: on loopback and AF_UNIX
//            it is slower or unsupported (docs/io_uring.md).
//   accept   multishot IORING_OP_ACCEPT (SOCK_NONBLOCK | SOCK_CLOEXEC).
//   connect  IORING_OP_CONNECT on the caller's fd.
//   timers   the loop_base heap; the nearest deadline is the timeout of the one
//            io_uring_submit_and_wait_timeout per iteration (needs IORING_FEAT_EXT_ARG).
//   wake-up  an IORING_OP_READ kept armed on the post_queue's eventfd.
//   close    IORING_OP_ASYNC_CANCEL by fd, then close() once every operation of the
//            stream has completed.
// Ring flags, from most to least capable (the first the kernel accepts):
// SINGLE_ISSUER|DEFER_TASKRUN|TASKRUN_FLAG, then COOP_TASKRUN|TASKRUN_FLAG (both with
// SUBMIT_ALL|CQSIZE), then SUBMIT_ALL|CQSIZE, then CQSIZE. Kernels without multishot
// receive (before 6.0) get single-shot receives from the same buffer ring. Minimum: Linux
// 5.19 (buffer rings, cancel by fd, multishot accept), with IORING_FEAT_EXT_ARG and NODROP.
// Not used, on purpose: SQPOLL (a spinning kernel thread per ring, incompatible with
// DEFER_TASKRUN; wrong on 2 vCPUs), SEND_ZC (see above), registered files and buffers
// (multishot receive takes its file reference once per arm; copying I/O gains nothing
// from registered buffers and they count against RLIMIT_MEMLOCK), linked timeouts
// (timers live in user space).
#pragma once

#include "io/io_loop.hpp"

#include <memory>

namespace ringmq::detail::io {

struct uring_config {
  unsigned sq_entries = 256;
  unsigned cq_entries = 4096;   // generous: a full CQ ends multishot receives
  unsigned buffer_count = 256;  // provided buffers (a power of two, at most 32768)
  unsigned buffer_size = 16 * 1024;
  bool multishot = true;      // false: single-shot recv/accept (what old kernels get)
  bool defer_taskrun = true;  // false: start the flag ladder at COOP_TASKRUN
};

// Must be called on the thread that will run the loop (the ring is single-issuer). Throws
// std::system_error naming the errno and its likely cause if io_uring cannot start.
std::unique_ptr<io_loop> make_io_uring_loop(const uring_config& config = uring_config{});

}  // namespace ringmq::detail::io
