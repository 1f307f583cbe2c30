// The transport socket options of libzmq 4.3 on real loopback connections: TCP_KEEPALIVE*,
// TCP_MAXRT, TOS, BINDTODEVICE, TCP_ACCEPT_FILTER and the IPC peer filters. Each test reads
// what the kernel holds with getsockopt on the descriptors the monitor events carry
// (LISTENING, ACCEPTED and CONNECTED report the fd), while the connection is up.
#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>

namespace ringmq_test {
namespace {

using namespace std::chrono_literals;
using ringmq::monitor_event;
using ringmq::socket_type;
namespace opt = ringmq::opt;

constexpr auto safety = 10s;

// The descriptors of one connection, as the monitor events reported them.
struct connection_fds {
  int listening = -1;
  int accepted = -1;
  int connected = -1;
};

int int_option(int fd, int level, int name) {
  int value = -1;
  socklen_t len = sizeof value;
  EXPECT_EQ(::getsockopt(fd, level, name, &value, &len), 0) << std::strerror(errno);
  return value;
}

// What a tcp socket the kernel just made holds for `name` (its default).
int kernel_default(int level, int name) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int value = int_option(fd, level, name);
  ::close(fd);
  return value;
}

std::string device_of(int fd) {
  char name[32] = {};
  socklen_t len = sizeof name;
  EXPECT_EQ(::getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len), 0) << std::strerror(errno);
  return std::string(name, ::strnlen(name, sizeof name));
}

// Why SO_BINDTODEVICE cannot be tested here (no CAP_NET_RAW), or empty.
std::optional<std::string> missing_bind_to_device() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int rc = ::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 2);
  const int error = errno;
  ::close(fd);
  if (rc == 0) return std::nullopt;
  return std::string("SO_BINDTODEVICE refused here (needs CAP_NET_RAW): ") + std::strerror(error);
}

class transport_options : public ::testing::Test {
 protected:
  ringmq::context ctx;

  transport_options() { ctx.set(opt::linger, 0ms); }

  ringmq::socket make(socket_type type) {
    ringmq::socket s(ctx, type);
    s.set(opt::rcvtimeo, safety);
    s.set(opt::sndtimeo, safety);
    return s;
  }

  // Binds `server` to `endpoint`, connects `client` to it, and waits until both ends
  // completed the handshake; returns the connection's descriptors.
  static connection_fds connect_pair(ringmq::socket& server, ringmq::socket& client,
                                     const std::string& endpoint = "tcp://127.0.0.1:*") {
    connection_fds fds;
    auto server_events = server.monitor(monitor_event::listening | monitor_event::accepted |
                                        monitor_event::accept_failed | monitor_event::handshake_succeeded);
    auto client_events = client.monitor(monitor_event::connected | monitor_event::handshake_succeeded);
    server.bind(endpoint);
    client.connect(server.last_endpoint());
    for (bool done = false; !done;) {
      auto e = server_events.next(safety);
      if (!e) {
        ADD_FAILURE() << "the server saw no handshake";
        return fds;
      }
      if (e->type == monitor_event::listening) fds.listening = static_cast<int>(e->value);
      if (e->type == monitor_event::accepted) fds.accepted = static_cast<int>(e->value);
      if (e->type == monitor_event::accept_failed) ADD_FAILURE() << "accept failed: " << e->value;
      done = e->type == monitor_event::handshake_succeeded;
    }
    for (bool done = false; !done;) {
      auto e = client_events.next(safety);
      if (!e) {
        ADD_FAILURE() << "the client saw no handshake";
        return fds;
      }
      if (e->type == monitor_event::connected) fds.connected = static_cast<int>(e->value);
      done = e->type == monitor_event::handshake_succeeded;
    }
    EXPECT_GE(fds.listening, 0);
    EXPECT_GE(fds.accepted, 0);
    EXPECT_GE(fds.connected, 0);
    return fds;
  }

  // Whether `server`, bound to `endpoint` with its filters set, admits `client`: waits for
  // the server's first verdict, ACCEPTED (then a message must arrive) or ACCEPT_FAILED.
  // With `via_ipv4`, the client dials 127.0.0.1 at the bound port (a dual-stack listener).
  static bool admitted(ringmq::socket& server, ringmq::socket& client, const std::string& endpoint,
                       bool via_ipv4 = false) {
    auto events = server.monitor(monitor_event::accepted | monitor_event::accept_failed);
    server.bind(endpoint);
    const std::string bound = server.last_endpoint();
    client.connect(via_ipv4 ? "tcp://127.0.0.1:" + bound.substr(bound.rfind(':') + 1) : bound);
    auto e = events.next(safety);
    if (!e) {
      ADD_FAILURE() << "the server neither accepted nor refused within the deadline";
      return false;
    }
    if (e->type == monitor_event::accept_failed) {
      EXPECT_EQ(e->value, EACCES) << "a refused peer is reported as EACCES";
      return false;
    }
    // Admitted: messages flow.
    EXPECT_TRUE(client.send(std::string_view("ping")));
    auto m = server.recv();
    EXPECT_TRUE(m && m->to_string() == "ping");
    return true;
  }
};

// ---- TCP_KEEPALIVE, _CNT, _IDLE, _INTVL ---------------------------------------------------

TEST_F(transport_options, TCP_KEEPALIVE_and_its_parameters_apply_to_connected_and_accepted_sockets) {
  auto server = make(socket_type::pull);
  server.set(opt::tcp_keepalive, 1);
  server.set(opt::tcp_keepalive_cnt, 3);
  server.set(opt::tcp_keepalive_idle, 45);
  server.set(opt::tcp_keepalive_intvl, 6);
  auto client = make(socket_type::push);
  client.set(opt::tcp_keepalive, 1);
  client.set(opt::tcp_keepalive_cnt, 4);
  client.set(opt::tcp_keepalive_idle, 50);
  client.set(opt::tcp_keepalive_intvl, 7);
  const connection_fds fds = connect_pair(server, client);

  EXPECT_EQ(int_option(fds.accepted, SOL_SOCKET, SO_KEEPALIVE), 1);
  EXPECT_EQ(int_option(fds.accepted, IPPROTO_TCP, TCP_KEEPCNT), 3);
  EXPECT_EQ(int_option(fds.accepted, IPPROTO_TCP, TCP_KEEPIDLE), 45);
  EXPECT_EQ(int_option(fds.accepted, IPPROTO_TCP, TCP_KEEPINTVL), 6);
  EXPECT_EQ(int_option(fds.connected, SOL_SOCKET, SO_KEEPALIVE), 1);
  EXPECT_EQ(int_option(fds.connected, IPPROTO_TCP, TCP_KEEPCNT), 4);
  EXPECT_EQ(int_option(fds.connected, IPPROTO_TCP, TCP_KEEPIDLE), 50);
  EXPECT_EQ(int_option(fds.connected, IPPROTO_TCP, TCP_KEEPINTVL), 7);
}

TEST_F(transport_options, TCP_KEEPALIVE_minus_one_leaves_the_kernel_defaults_even_with_parameters_set) {
  // libzmq: the three parameters are applied only when TCP_KEEPALIVE is 0 or 1.
  auto server = make(socket_type::pull);
  server.set(opt::tcp_keepalive_cnt, 3);
  server.set(opt::tcp_keepalive_idle, 45);
  auto client = make(socket_type::push);
  client.set(opt::tcp_keepalive_intvl, 7);
  ASSERT_EQ(client.get(opt::tcp_keepalive), -1) << "the default";
  const connection_fds fds = connect_pair(server, client);
  for (const int fd : {fds.accepted, fds.connected}) {
    EXPECT_EQ(int_option(fd, SOL_SOCKET, SO_KEEPALIVE), kernel_default(SOL_SOCKET, SO_KEEPALIVE));
    EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPCNT), kernel_default(IPPROTO_TCP, TCP_KEEPCNT));
    EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE), kernel_default(IPPROTO_TCP, TCP_KEEPIDLE));
    EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPINTVL), kernel_default(IPPROTO_TCP, TCP_KEEPINTVL));
  }
}

TEST_F(transport_options, TCP_KEEPALIVE_zero_turns_keepalives_off_with_the_parameters_still_set) {
  auto server = make(socket_type::pull);
  server.set(opt::tcp_keepalive, 0);
  server.set(opt::tcp_keepalive_idle, 77);
  auto client = make(socket_type::push);
  const connection_fds fds = connect_pair(server, client);
  EXPECT_EQ(int_option(fds.accepted, SOL_SOCKET, SO_KEEPALIVE), 0);
  EXPECT_EQ(int_option(fds.accepted, IPPROTO_TCP, TCP_KEEPIDLE), 77);
}

// ---- TCP_MAXRT ---------------------------------------------------------------------------

TEST_F(transport_options, TCP_MAXRT_is_the_connections_TCP_USER_TIMEOUT) {
  auto server = make(socket_type::pull);
  server.set(opt::tcp_maxrt, 1500ms);
  auto client = make(socket_type::push);
  client.set(opt::tcp_maxrt, 2500ms);
  const connection_fds fds = connect_pair(server, client);
  EXPECT_EQ(int_option(fds.accepted, IPPROTO_TCP, TCP_USER_TIMEOUT), 1500);
  EXPECT_EQ(int_option(fds.connected, IPPROTO_TCP, TCP_USER_TIMEOUT), 2500);
}

TEST_F(transport_options, TCP_MAXRT_zero_leaves_the_kernels_timeout) {
  auto server = make(socket_type::pull);
  auto client = make(socket_type::push);
  ASSERT_EQ(client.get(opt::tcp_maxrt), 0ms);
  const connection_fds fds = connect_pair(server, client);
  EXPECT_EQ(int_option(fds.accepted, IPPROTO_TCP, TCP_USER_TIMEOUT), 0);
  EXPECT_EQ(int_option(fds.connected, IPPROTO_TCP, TCP_USER_TIMEOUT), 0);
}

// ---- TOS ---------------------------------------------------------------------------------

// The kernel keeps the ECN bits (the low two) of a tcp socket's TOS to itself.
constexpr int dscp_bits = 0xfc;

TEST_F(transport_options, TOS_is_set_on_the_listener_the_accepted_and_the_connected_socket) {
  auto server = make(socket_type::pull);
  server.set(opt::tos, 0x28);
  auto client = make(socket_type::push);
  client.set(opt::tos, 0x48);
  const connection_fds fds = connect_pair(server, client);
  EXPECT_EQ(int_option(fds.listening, IPPROTO_IP, IP_TOS) & dscp_bits, 0x28);
  EXPECT_EQ(int_option(fds.accepted, IPPROTO_IP, IP_TOS) & dscp_bits, 0x28);
  EXPECT_EQ(int_option(fds.connected, IPPROTO_IP, IP_TOS) & dscp_bits, 0x48);
}

TEST_F(transport_options, TOS_is_the_traffic_class_of_IPv6_connections) {
  auto server = make(socket_type::pull);
  server.set(opt::ipv6, true);
  server.set(opt::tos, 0x28);
  auto client = make(socket_type::push);
  client.set(opt::ipv6, true);
  client.set(opt::tos, 0x48);
  const connection_fds fds = connect_pair(server, client, "tcp://[::1]:*");
  EXPECT_EQ(int_option(fds.accepted, IPPROTO_IPV6, IPV6_TCLASS) & dscp_bits, 0x28);
  EXPECT_EQ(int_option(fds.connected, IPPROTO_IPV6, IPV6_TCLASS) & dscp_bits, 0x48);
}

// ---- BINDTODEVICE ------------------------------------------------------------------------

TEST_F(transport_options, BINDTODEVICE_binds_the_listener_and_the_connecting_socket) {
  if (auto why = missing_bind_to_device()) GTEST_SKIP() << *why;
  auto server = make(socket_type::pull);
  server.set(opt::bindtodevice, "lo");
  auto client = make(socket_type::push);
  client.set(opt::bindtodevice, "lo");
  EXPECT_EQ(client.get(opt::bindtodevice), "lo");
  const connection_fds fds = connect_pair(server, client);
  EXPECT_EQ(device_of(fds.listening), "lo");
  EXPECT_EQ(device_of(fds.connected), "lo");
}

TEST_F(transport_options, BINDTODEVICE_naming_no_device_fails_bind_and_connect_with_ENODEV) {
  if (auto why = missing_bind_to_device()) GTEST_SKIP() << *why;
  auto server = make(socket_type::pull);
  server.set(opt::bindtodevice, "nosuchdev0");
  std::error_code ec;
  server.bind("tcp://127.0.0.1:*", ec);
  EXPECT_EQ(ec, std::errc::no_such_device) << ec.message();
  auto client = make(socket_type::push);
  client.set(opt::bindtodevice, "nosuchdev0");
  client.connect("tcp://127.0.0.1:5555", ec);
  EXPECT_EQ(ec, std::errc::no_such_device) << ec.message();
  // Cleared, the same sockets work.
  server.set(opt::bindtodevice, "");
  client.set(opt::bindtodevice, "");
  connect_pair(server, client);
}

// ---- TCP_ACCEPT_FILTER -------------------------------------------------------------------

TEST_F(transport_options, TCP_ACCEPT_FILTER_refuses_a_peer_outside_every_filter) {
  auto server = make(socket_type::pull);
  server.set(opt::tcp_accept_filter, "10.0.0.0/8");
  server.set(opt::tcp_accept_filter, "127.0.0.2");
  auto client = make(socket_type::push);
  EXPECT_FALSE(admitted(server, client, "tcp://127.0.0.1:*"));
}

TEST_F(transport_options, TCP_ACCEPT_FILTER_admits_a_peer_inside_one_filter) {
  auto server = make(socket_type::pull);
  server.set(opt::tcp_accept_filter, "10.0.0.0/8");
  server.set(opt::tcp_accept_filter, "127.0.0.0/30");
  auto client = make(socket_type::push);
  EXPECT_TRUE(admitted(server, client, "tcp://127.0.0.1:*"));
}

TEST_F(transport_options, TCP_ACCEPT_FILTER_empty_removes_every_filter) {
  auto server = make(socket_type::pull);
  server.set(opt::tcp_accept_filter, "10.0.0.0/8");
  server.set(opt::tcp_accept_filter, "");
  auto client = make(socket_type::push);
  EXPECT_TRUE(admitted(server, client, "tcp://127.0.0.1:*"));
}

TEST_F(transport_options, TCP_ACCEPT_FILTER_compares_IPv4_peers_of_a_dual_stack_listener_as_IPv4) {
  auto server = make(socket_type::pull);
  server.set(opt::ipv6, true);
  server.set(opt::tcp_accept_filter, "127.0.0.0/8");
  auto client = make(socket_type::push);
  EXPECT_TRUE(admitted(server, client, "tcp://*:*", true)) << "::ffff:127.0.0.1 lies in 127.0.0.0/8";

  auto server6 = make(socket_type::pull);
  server6.set(opt::ipv6, true);
  server6.set(opt::tcp_accept_filter, "::1");
  auto client4 = make(socket_type::push);
  EXPECT_FALSE(admitted(server6, client4, "tcp://*:*", true)) << "an IPv4 peer is not ::1";
}

// ---- IPC_FILTER_PID, _UID, _GID ----------------------------------------------------------

TEST_F(transport_options, IPC_FILTER_UID_admits_our_own_uid_and_refuses_another) {
  auto own = make(socket_type::pull);
  own.set(opt::ipc_filter_uid, static_cast<std::int64_t>(::getuid()));
  auto client = make(socket_type::push);
  EXPECT_TRUE(admitted(own, client, "ipc://*"));

  auto other = make(socket_type::pull);
  other.set(opt::ipc_filter_uid, static_cast<std::int64_t>(::getuid()) + 1);
  auto client2 = make(socket_type::push);
  EXPECT_FALSE(admitted(other, client2, "ipc://*"));
}

TEST_F(transport_options, IPC_FILTER_PID_admits_our_own_process_and_refuses_another) {
  auto own = make(socket_type::pull);
  own.set(opt::ipc_filter_pid, static_cast<std::int64_t>(::getpid()));
  auto client = make(socket_type::push);
  EXPECT_TRUE(admitted(own, client, "ipc://*"));

  auto other = make(socket_type::pull);
  other.set(opt::ipc_filter_pid, static_cast<std::int64_t>(::getppid()));
  auto client2 = make(socket_type::push);
  EXPECT_FALSE(admitted(other, client2, "ipc://*"));
}

TEST_F(transport_options, IPC_FILTER_GID_admits_our_own_group_and_refuses_another) {
  auto own = make(socket_type::pull);
  own.set(opt::ipc_filter_gid, static_cast<std::int64_t>(::getgid()));
  auto client = make(socket_type::push);
  EXPECT_TRUE(admitted(own, client, "ipc://*"));

  // A group that is neither ours nor one we are listed in (the test's user is a member of
  // no group with that id: getgid()+1000 is far from the system's groups).
  auto other = make(socket_type::pull);
  other.set(opt::ipc_filter_gid, static_cast<std::int64_t>(::getgid()) + 1000);
  auto client2 = make(socket_type::push);
  EXPECT_FALSE(admitted(other, client2, "ipc://*"));
}

TEST_F(transport_options, IPC_filters_of_any_kind_admit_a_peer_that_one_of_them_matches) {
  auto server = make(socket_type::pull);
  server.set(opt::ipc_filter_uid, static_cast<std::int64_t>(::getuid()) + 1);
  server.set(opt::ipc_filter_pid, static_cast<std::int64_t>(::getpid()));
  auto client = make(socket_type::push);
  EXPECT_TRUE(admitted(server, client, "ipc://*"));
}

TEST_F(transport_options, IPC_filter_minus_one_removes_the_filters_of_its_kind) {
  auto server = make(socket_type::pull);
  server.set(opt::ipc_filter_uid, static_cast<std::int64_t>(::getuid()) + 1);
  server.set(opt::ipc_filter_uid, -1);
  auto client = make(socket_type::push);
  EXPECT_TRUE(admitted(server, client, "ipc://*"));
}

TEST_F(transport_options, TCP_ACCEPT_FILTER_does_not_apply_to_ipc_nor_IPC_filters_to_tcp) {
  auto ipc = make(socket_type::pull);
  ipc.set(opt::tcp_accept_filter, "10.0.0.0/8");
  auto client = make(socket_type::push);
  EXPECT_TRUE(admitted(ipc, client, "ipc://*"));
  auto tcp = make(socket_type::pull);
  tcp.set(opt::ipc_filter_uid, static_cast<std::int64_t>(::getuid()) + 1);
  auto client2 = make(socket_type::push);
  EXPECT_TRUE(admitted(tcp, client2, "tcp://127.0.0.1:*"));
}

}  // namespace
}  // namespace ringmq_test
