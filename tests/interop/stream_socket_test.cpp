// STREAM sockets (libzmq's ZMQ_STREAM, documented in zmq_socket(3)): raw tcp/ipc peers with
// no ZMTP. Each test is named after the documented behaviour it checks. The peers are plain
// sockets written here (an HTTP client, netcat-style client and server, a peer that floods
// then hangs up) and libzmq's own STREAM socket, in both directions.
#include "free_port.hpp"
#include "interop/raw_stream.hpp"
#include "interop/support.hpp"

#include <zmq.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace ringmq_interop {
namespace {

namespace opt = ringmq::opt;

ringmq::socket make_stream(ringmq::context& ctx) {
  ringmq::socket s(ctx, socket_type::stream);
  s.set(opt::rcvtimeo, safety);
  s.set(opt::sndtimeo, safety);
  s.set(opt::linger, 1000ms);  // closing by an empty frame writes what was sent before
  return s;
}

// One message of a STREAM socket: [routing id, data], or empty on timeout.
std::optional<strings> recv_pair(ringmq::socket& s) {
  std::vector<ringmq::message> parts;
  if (!s.recv_multipart(std::back_inserter(parts))) return std::nullopt;
  strings out;
  for (const auto& m : parts) out.push_back(m.to_string());
  return out;
}

void send_pair(ringmq::socket& s, std::string_view id, std::string_view data) {
  ASSERT_TRUE(s.send(id, ringmq::send_flags::sndmore));
  ASSERT_TRUE(s.send(data));
}

// Receives [id, data] messages from one peer until `n` data octets arrived; returns them.
std::string recv_data(ringmq::socket& s, const std::string& id, std::size_t n) {
  std::string got;
  while (got.size() < n) {
    auto m = recv_pair(s);
    if (!m) break;
    EXPECT_EQ(m->size(), 2U);
    EXPECT_EQ(m->at(0), id);
    if (m->size() != 2 || m->at(1).empty()) break;  // an end notification cuts it short
    got += m->at(1);
  }
  return got;
}

bool nothing_more(ringmq::socket& s) {
  s.set(opt::rcvtimeo, quiet);
  ringmq::message m;
  const bool none = !s.recv(m);
  s.set(opt::rcvtimeo, safety);
  return none;
}

class stream_socket : public interop_test {
 protected:
  ringmq::context ctx_;
};

class stream_socket_over : public interop_test, public ::testing::WithParamInterface<transport> {
 protected:
  ringmq::context ctx_;
};

TEST_F(stream_socket, serves_a_plain_http_client_and_closes_by_an_empty_frame) {
  auto server = make_stream(ctx_);
  server.bind("tcp://127.0.0.1:*");
  auto client = raw_stream::connect(server.last_endpoint());

  // "When a connection is made, a zero-length message will be received by the application."
  auto hello = recv_pair(server);
  ASSERT_TRUE(hello);
  ASSERT_EQ(hello->size(), 2U);
  const std::string id = hello->at(0);
  EXPECT_EQ(id.size(), 5U) << "a generated routing id is 5 octets, as libzmq's";
  EXPECT_EQ(id[0], '\0');
  EXPECT_EQ(hello->at(1), "");

  const std::string request = "GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n";
  ASSERT_TRUE(client.write(request));
  EXPECT_EQ(recv_data(server, id, request.size()), request) << "no ZMTP framing: the bytes as sent";

  const std::string response = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello, World!";
  send_pair(server, id, response);
  // "To close a specific connection, send the identity frame followed by a zero-length message."
  send_pair(server, id, "");
  EXPECT_EQ(client.read_exact(response.size()), response) << "no greeting, no frame headers";
  EXPECT_TRUE(client.closed_by_peer()) << "the response is followed by the end of the stream";
  EXPECT_TRUE(nothing_more(server)) << "a connection we closed is not announced as gone";
}

TEST_P(stream_socket_over, talks_to_a_netcat_style_server_by_its_connect_routing_id) {
  std::optional<raw_listener> listener(std::in_place, GetParam());
  auto s = make_stream(ctx_);
  s.set(opt::connect_routing_id, std::string("server-1"));
  s.connect(listener->endpoint());
  auto server = listener->accept();
  ASSERT_TRUE(server);

  EXPECT_EQ(recv_pair(s), (strings{"server-1", ""})) << "an outgoing connection is announced too";
  send_pair(s, "server-1", "hello\n");
  EXPECT_EQ(server->read_exact(6), "hello\n");
  ASSERT_TRUE(server->write("world\n"));
  EXPECT_EQ(recv_data(s, "server-1", 6), "world\n");

  // "When a connection is lost, a zero-length message will be received by the application."
  // The server stops listening first: a reconnection, announced alike, cannot stand in.
  listener.reset();
  *server = raw_stream(-1);  // closes it
  EXPECT_EQ(recv_pair(s), (strings{"server-1", ""}));
  EXPECT_TRUE(nothing_more(s));
}

// A tcp listener on a port chosen before it listens; accept() has a deadline.
struct port_listener {
  int fd = -1;
  explicit port_listener(int port) {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 4) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ~port_listener() {
    if (fd >= 0) ::close(fd);
  }
  port_listener(const port_listener&) = delete;
  port_listener& operator=(const port_listener&) = delete;
  std::optional<raw_stream> accept() const {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(safety.count())) <= 0) return std::nullopt;
    const int c = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) return std::nullopt;
    return raw_stream(c);
  }
};

TEST_F(stream_socket, what_is_sent_to_a_connect_before_it_connected_is_written_once_it_is) {
  const int port = test_support::free_port();
  auto s = make_stream(ctx_);
  s.set(opt::connect_routing_id, std::string("later"));
  s.set(opt::reconnect_ivl, 10ms);
  s.connect("tcp://127.0.0.1:" + std::to_string(port));  // nobody listens yet
  send_pair(s, "later", "queued while disconnected");
  port_listener listener(port);
  ASSERT_GE(listener.fd, 0);
  auto server = listener.accept();
  ASSERT_TRUE(server);
  EXPECT_EQ(server->read_exact(25), "queued while disconnected");
  EXPECT_EQ(recv_pair(s), (strings{"later", ""}));
}

TEST_P(stream_socket_over, delivers_everything_a_peer_sent_before_it_hung_up_then_the_end) {
  auto s = make_stream(ctx_);
  s.set(opt::rcvhwm, 4);  // the session pauses reading often: the end must still come last
  s.bind(bind_endpoint(GetParam()));
  auto peer = raw_stream::connect(s.last_endpoint());
  auto hello = recv_pair(s);
  ASSERT_TRUE(hello);
  const std::string id = hello->at(0);

  const std::string sent = body(std::size_t{2} << 20, 7);
  // Written by a helper thread, since the kernel's buffers hold less than what is sent and
  // this thread must read meanwhile; then the peer hangs up in the middle of our reading.
  std::thread writer([&] {
    (void)peer.write(sent);
    peer = raw_stream(-1);
  });
  const std::string got = recv_data(s, id, sent.size());
  writer.join();
  EXPECT_EQ(got.size(), sent.size());
  EXPECT_TRUE(got == sent) << describe_difference(sent, got);
  EXPECT_EQ(recv_pair(s), (strings{id, ""})) << "the end notification follows the last byte";
  EXPECT_TRUE(nothing_more(s));
}

INSTANTIATE_TEST_SUITE_P(transports, stream_socket_over, ::testing::Values(transport::tcp, transport::ipc),
                         [](const auto& param_info) { return std::string(to_string(param_info.param)); });

TEST_F(stream_socket, an_unknown_routing_id_is_host_unreachable) {
  auto s = make_stream(ctx_);
  std::error_code ec;
  EXPECT_FALSE(s.send(ringmq::message(std::string_view("nobody")), ringmq::send_flags::sndmore, ec));
  EXPECT_EQ(ec, std::errc::host_unreachable);
}

TEST_F(stream_socket, a_peer_that_left_is_host_unreachable) {
  auto s = make_stream(ctx_);
  s.bind("tcp://127.0.0.1:*");
  std::string id;
  {
    auto peer = raw_stream::connect(s.last_endpoint());
    auto hello = recv_pair(s);
    ASSERT_TRUE(hello);
    id = hello->at(0);
  }
  EXPECT_EQ(recv_pair(s), (strings{id, ""}));
  std::error_code ec;
  EXPECT_FALSE(s.send(ringmq::message(id), ringmq::send_flags::sndmore, ec));
  EXPECT_EQ(ec, std::errc::host_unreachable);
}

TEST_F(stream_socket, stream_notify_off_announces_neither_connections_nor_their_end) {
  auto s = make_stream(ctx_);
  s.set(opt::stream_notify, false);
  s.bind("tcp://127.0.0.1:*");
  {
    auto peer = raw_stream::connect(s.last_endpoint());
    ASSERT_TRUE(peer.write("abc"));
    auto first = recv_pair(s);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->at(1), "abc") << "the first message is the peer's data";
  }
  EXPECT_TRUE(nothing_more(s));
}

TEST_F(stream_socket, stream_notify_is_an_option_of_stream_sockets_only) {
  ringmq::socket router(ctx_, socket_type::router);
  std::error_code ec;
  router.set_option(ringmq::option::stream_notify, 0, ec);
  EXPECT_EQ(ec, ringmq::errc::not_supported)
      << "as router_notify on a non-ROUTER: a real option this type lacks";
}

// ---- against libzmq's STREAM socket ------------------------------------------------------

struct libzmq_stream {
  void* s;
  explicit libzmq_stream(libzmq_context& ctx) : s(zmq_socket(ctx.get(), ZMQ_STREAM)) {
    const int timeout = static_cast<int>(safety.count()), zero = 0;
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(s, ZMQ_SNDTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
  }
  ~libzmq_stream() { zmq_close(s); }
  libzmq_stream(const libzmq_stream&) = delete;
  libzmq_stream& operator=(const libzmq_stream&) = delete;

  std::optional<std::string> recv_part() {
    zmq_msg_t m;
    zmq_msg_init(&m);
    if (zmq_msg_recv(&m, s, 0) < 0) {
      zmq_msg_close(&m);
      return std::nullopt;
    }
    std::string out(static_cast<const char*>(zmq_msg_data(&m)), zmq_msg_size(&m));
    zmq_msg_close(&m);
    return out;
  }
  std::optional<strings> recv_pair() {
    auto id = recv_part();
    if (!id) return std::nullopt;
    auto data = recv_part();
    if (!data) return std::nullopt;
    return strings{*id, *data};
  }
  bool send_pair(const std::string& id, const std::string& data) {
    return zmq_send(s, id.data(), id.size(), ZMQ_SNDMORE) >= 0 &&
           zmq_send(s, data.data(), data.size(), 0) >= 0;
  }
};

TEST_F(stream_socket, exchanges_raw_bytes_with_a_libzmq_stream_socket_that_binds) {
  libzmq_context lctx;
  libzmq_stream theirs(lctx);
  ASSERT_EQ(zmq_bind(theirs.s, "tcp://127.0.0.1:*"), 0);
  char ep[256];
  size_t len = sizeof ep;
  zmq_getsockopt(theirs.s, ZMQ_LAST_ENDPOINT, ep, &len);

  auto ours = make_stream(ctx_);
  ours.set(opt::connect_routing_id, std::string("libzmq"));
  ours.connect(ep);
  EXPECT_EQ(recv_pair(ours), (strings{"libzmq", ""}));
  auto hello = theirs.recv_pair();
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->at(1), "") << "libzmq announces the connection";
  const std::string their_id = hello->at(0);

  send_pair(ours, "libzmq", "ping");
  EXPECT_EQ(theirs.recv_pair(), (strings{their_id, "ping"}));
  ASSERT_TRUE(theirs.send_pair(their_id, "pong"));
  EXPECT_EQ(recv_data(ours, "libzmq", 4), "pong");

  ASSERT_TRUE(theirs.send_pair(their_id, ""));  // libzmq closes it
  // libzmq closes the connection once its socket has acted on the pipe's termination, which
  // it does only inside a call: it polls while we wait for the end notification.
  auto next = [&] {
    std::optional<strings> m;
    ours.set(opt::rcvtimeo, 10ms);
    for (auto deadline = std::chrono::steady_clock::now() + safety;
         !m && std::chrono::steady_clock::now() < deadline;) {
      zmq_pollitem_t item{theirs.s, 0, ZMQ_POLLIN, 0};
      zmq_poll(&item, 1, 10);
      m = recv_pair(ours);
    }
    return m;
  };
  EXPECT_EQ(next(), (strings{"libzmq", ""})) << "the end";
  // Connected sockets reconnect: the same routing id, announced again (as libzmq's STREAM).
  EXPECT_EQ(next(), (strings{"libzmq", ""})) << "the next connection";
  auto again = theirs.recv_pair();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->at(1), "");
  send_pair(ours, "libzmq", "still there");
  EXPECT_EQ(theirs.recv_pair(), (strings{again->at(0), "still there"}));
}

TEST_F(stream_socket, exchanges_raw_bytes_with_a_libzmq_stream_socket_that_connects) {
  auto ours = make_stream(ctx_);
  ours.bind("tcp://127.0.0.1:*");
  libzmq_context lctx;
  libzmq_stream theirs(lctx);
  ASSERT_EQ(zmq_connect(theirs.s, ours.last_endpoint().c_str()), 0);

  auto hello = recv_pair(ours);
  ASSERT_TRUE(hello);
  const std::string id = hello->at(0);
  EXPECT_EQ(hello->at(1), "");
  auto their_hello = theirs.recv_pair();
  ASSERT_TRUE(their_hello);
  EXPECT_EQ(their_hello->at(1), "");
  const std::string their_id = their_hello->at(0);

  ASSERT_TRUE(theirs.send_pair(their_id, "from libzmq"));
  EXPECT_EQ(recv_data(ours, id, 11), "from libzmq");
  send_pair(ours, id, "from ringmq");
  EXPECT_EQ(theirs.recv_pair(), (strings{their_id, "from ringmq"}));

  send_pair(ours, id, "");  // we close it: libzmq hears of the end
  EXPECT_EQ(theirs.recv_pair(), (strings{their_id, ""}));
}

}  // namespace
}  // namespace ringmq_interop
