// A peer that floods PINGs and reads nothing (issue 15): ringmq answers with PONGs until
// they no longer go out, then stops reading from that peer, so TCP holds the flooder back
// after a bounded amount instead of ringmq decoding PINGs for as long as it sends them. Once
// the peer reads again, the connection carries on.
#include "interop/raw_stream.hpp"
#include "interop/support.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>

namespace ringmq_interop {
namespace {

namespace opt = ringmq::opt;

constexpr int small_buffer = 64 * 1024;
// More than the flooder can write once held back: the socket buffers of both ends (set
// small here) plus what ringmq read before its PONGs stopped going out.
constexpr std::size_t held_back_within = std::size_t{8} << 20;
// What the flooder tries to write; without back-pressure it gets all of it through.
constexpr std::size_t flood_limit = std::size_t{64} << 20;
// A writer whose socket stays unwritable this long is held back (ringmq stopped reading):
// while ringmq reads, room comes back within microseconds.
constexpr std::chrono::milliseconds stalled{500};

void set_buffers(int fd) {
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small_buffer, sizeof small_buffer);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small_buffer, sizeof small_buffer);
}

// A PING with TTL 0 and no context.
const std::string ping = zmtp_command("PING", std::string(2, '\0'));

// Writes PINGs without reading until the socket stays unwritable for `stalled` or
// flood_limit octets went out; returns the octets written (the last PING may be cut).
std::size_t flood_pings(int fd) {
  std::string burst;
  while (burst.size() + ping.size() <= std::size_t{64} * 1024) burst += ping;
  std::size_t total = 0;
  std::size_t offset = 0;  // into `burst`: a partial write resumes mid-frame
  while (total < flood_limit) {
    const ssize_t n = ::send(fd, burst.data() + offset, burst.size() - offset, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      total += static_cast<std::size_t>(n);
      offset = (offset + static_cast<std::size_t>(n)) % burst.size();
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      ADD_FAILURE() << "send: errno " << errno;
      break;
    }
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(stalled.count())) == 0) break;  // held back
  }
  return total;
}

// Reads until nothing arrives for `stalled`; returns the octets read.
std::size_t drain(int fd) {
  std::size_t total = 0;
  char buf[64 * 1024];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(stalled.count())) <= 0) return total;
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) return total;
    total += static_cast<std::size_t>(n);
  }
}

TEST(ping_flood, a_peer_that_floods_pings_and_reads_nothing_is_held_back) {
  ringmq::context ctx;
  ringmq::socket dealer(ctx, socket_type::dealer);
  dealer.set(opt::sndbuf, small_buffer);
  dealer.set(opt::rcvbuf, small_buffer);
  raw_listener listener(transport::tcp);
  dealer.connect(listener.endpoint());
  auto raw = listener.accept();
  ASSERT_TRUE(raw);
  set_buffers(raw->fd());
  ASSERT_TRUE(raw->handshake(1, "ROUTER"));

  const std::size_t flooded = flood_pings(raw->fd());
  std::printf("[ flood    ] the PING flooder wrote %zu octets before it was held back (limit %zu)\n", flooded,
              held_back_within);
  EXPECT_LT(flooded, held_back_within) << "ringmq kept reading PINGs it could not answer";

  // The flooder reads: the PONGs drain, ringmq reads (and answers) the rest of its PINGs,
  // and the connection works as before.
  const std::size_t drained = drain(raw->fd());
  std::printf("[ flood    ] then it read %zu octets of PONGs (%zu PINGs sent)\n", drained, flooded / 9);
  // rfc 37: every PING is answered (the one the flood cut is not complete yet).
  EXPECT_EQ(drained, flooded / ping.size() * zmtp_command("PONG", "").size());
  // The rest of a PING the flood cut, then a message.
  const std::string rest = flooded % ping.size() == 0 ? std::string() : ping.substr(flooded % ping.size());
  ASSERT_TRUE(raw->write(rest + zmtp_data_frame("after the flood")));
  dealer.set(opt::rcvtimeo, safety);
  std::optional<ringmq::message> got = dealer.recv();
  ASSERT_TRUE(got) << "the DEALER heard nothing after the flood";
  EXPECT_EQ(got->view(), "after the flood");
}

}  // namespace
}  // namespace ringmq_interop
