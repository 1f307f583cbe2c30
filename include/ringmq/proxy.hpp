// Proxies (libzmq's zmq_proxy and zmq_proxy_steerable): a loop that moves every message
// arriving on one socket to the other, in both directions, optionally copying each part to
// a capture socket. Typical pairs: ROUTER/DEALER (a shared queue), XSUB/XPUB (a forwarder),
// PULL/PUSH (a streamer).
//
// The loop runs on the calling thread, which uses the sockets for as long as it runs (they
// must not be used elsewhere meanwhile). Whole multipart messages are moved; a message is
// taken from its socket only when the other side can take it, so a full queue on one side
// never stops the other direction. Sends to the capture socket block, as libzmq's do.
#pragma once

#include <ringmq/export.hpp>
#include <ringmq/socket.hpp>

#include <cstdint>
#include <system_error>

namespace ringmq {

// Counters of one side of a proxy: whole messages and their bytes (all parts) received from
// it and sent to it.
struct proxy_side_statistics {
  std::uint64_t messages_in = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t messages_out = 0;
  std::uint64_t bytes_out = 0;
};

struct proxy_statistics {
  proxy_side_statistics frontend;
  proxy_side_statistics backend;
};

// Runs until the context is shut down, which ends it with errc::context_terminated, or a
// socket fails. `frontend` and `backend` may be the same socket (then it answers itself);
// `capture` may be null. The throwing form throws ringmq::error.
RINGMQ_API void proxy(socket& frontend, socket& backend, socket* capture = nullptr);
RINGMQ_API void proxy(socket& frontend, socket& backend, socket* capture, std::error_code& ec) noexcept;

// As proxy(), steered by single-part commands received on `control`:
//   "PAUSE"      stop moving messages (commands are still read);
//   "RESUME"     move them again;
//   "TERMINATE"  return (normally: no error);
//   "STATISTICS" reply on `control` with 8 parts, each a 64-bit count in host byte order:
//                frontend messages in, bytes in, messages out, bytes out, then the same for
//                the backend (libzmq's layout).
// Other commands, and commands of more than one part, are ignored. Commands are copied to
// the capture socket too, as libzmq does.
RINGMQ_API void proxy_steerable(socket& frontend, socket& backend, socket* capture, socket& control);
RINGMQ_API void proxy_steerable(socket& frontend, socket& backend, socket* capture, socket& control,
                                std::error_code& ec) noexcept;

}  // namespace ringmq
