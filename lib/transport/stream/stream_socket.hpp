// Small helpers around the fds of the stream transports: creating and configuring sockets,
// naming peers, and the non-blocking write of the direct-send path.
#pragma once

#include "core/socket_options.hpp"
#include "zmtp/output_batch.hpp"

#include <string>

namespace ringmq::detail {

// A non-blocking, close-on-exec stream socket of `family`, configured as configure_stream_fd
// does; -1 on failure (errno set).
int open_stream_socket(int family, const socket_options& options);
// TCP_NODELAY (inet families), SO_SNDBUF / SO_RCVBUF when set.
void configure_stream_fd(int fd, const socket_options& options);
// The connected peer as an endpoint ("tcp://10.0.0.2:51234", "ipc://..."), empty if unknown.
std::string peer_name(int fd);
// "tcp://10.0.0.2:51234" -> "10.0.0.2" (the Peer-Address property and ZAP's address field
// carry the bare address, as libzmq's do); "ipc:///x" -> "/x".
std::string address_without_scheme(const std::string& endpoint);
// Writes as much of `out` as the kernel takes now without blocking (MSG_DONTWAIT,
// MSG_NOSIGNAL) and consumes it. Errors are left for the I/O thread's own send to see.
void write_now(int fd, zmtp::output_batch& out) noexcept;

}  // namespace ringmq::detail
