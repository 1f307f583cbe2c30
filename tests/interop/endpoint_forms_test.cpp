// libzmq 4.3's tcp endpoint forms between ringmq and libzmq: a ringmq DEALER that connects
// from a chosen source ("tcp://src:port;dst") is seen by a libzmq ROUTER to come from there
// (the accepted descriptor its monitor reports, asked with getpeername), and a ringmq socket
// bound on an interface name ("tcp://lo:*") is reached by a libzmq peer.
#include "free_port.hpp"
#include "interop/support.hpp"

#include <gtest/gtest.h>
#include <zmq.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace ringmq_interop {
namespace {

using test_support::free_port;

// A libzmq ROUTER bound on loopback, with a monitor of its accepted connections.
class libzmq_router {
 public:
  explicit libzmq_router(libzmq_context& ctx) {
    router_ = zmq_socket(ctx.get(), ZMQ_ROUTER);
    const int zero = 0;
    const int timeout = static_cast<int>(safety.count());
    zmq_setsockopt(router_, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(router_, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(router_, ZMQ_SNDTIMEO, &timeout, sizeof timeout);
    const std::string monitor_endpoint =
        "inproc://endpoint-forms-" + std::to_string(reinterpret_cast<std::uintptr_t>(this));
    zmq_socket_monitor(router_, monitor_endpoint.c_str(), ZMQ_EVENT_ACCEPTED);
    monitor_ = zmq_socket(ctx.get(), ZMQ_PAIR);
    zmq_setsockopt(monitor_, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(monitor_, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_connect(monitor_, monitor_endpoint.c_str());
    zmq_bind(router_, "tcp://127.0.0.1:*");
    char endpoint[256] = "";
    std::size_t size = sizeof endpoint;
    zmq_getsockopt(router_, ZMQ_LAST_ENDPOINT, endpoint, &size);
    endpoint_ = endpoint;
  }
  ~libzmq_router() {
    zmq_socket_monitor(router_, nullptr, 0);
    zmq_close(monitor_);
    zmq_close(router_);
  }
  libzmq_router(const libzmq_router&) = delete;
  libzmq_router& operator=(const libzmq_router&) = delete;

  // "127.0.0.1:port", to put after a source in a connect endpoint.
  [[nodiscard]] std::string address() const { return endpoint_.substr(std::strlen("tcp://")); }

  // The address:port the next accepted connection comes from (getpeername on the
  // descriptor of libzmq's ZMQ_EVENT_ACCEPTED), or a description of what went wrong.
  std::string next_accepted_peer() {
    zmq_msg_t event;
    zmq_msg_init(&event);
    if (zmq_msg_recv(&event, monitor_, 0) < 0) return "(no accepted event)";
    std::uint16_t number = 0;
    std::int32_t fd = -1;
    std::memcpy(&number, zmq_msg_data(&event), sizeof number);
    std::memcpy(&fd, static_cast<const char*>(zmq_msg_data(&event)) + 2, sizeof fd);
    zmq_msg_close(&event);
    zmq_msg_t endpoint;
    zmq_msg_init(&endpoint);
    zmq_msg_recv(&endpoint, monitor_, 0);  // the event's second frame
    zmq_msg_close(&endpoint);
    if (number != ZMQ_EVENT_ACCEPTED) return "(another event)";
    sockaddr_in from{};
    socklen_t len = sizeof from;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&from), &len) != 0) return "(getpeername failed)";
    char text[INET_ADDRSTRLEN] = "";
    ::inet_ntop(AF_INET, &from.sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(from.sin_port));
  }

  // Receives [routing id, body] and answers [routing id, "re: " body]; the body, or empty.
  std::string echo() {
    char id[256];
    char body[256];
    const int id_size = zmq_recv(router_, id, sizeof id, 0);
    if (id_size <= 0) return {};
    const int body_size = zmq_recv(router_, body, sizeof body, 0);
    if (body_size < 0) return {};
    const std::string text(body, static_cast<std::size_t>(body_size));
    const std::string reply = "re: " + text;
    zmq_send(router_, id, static_cast<std::size_t>(id_size), ZMQ_SNDMORE);
    zmq_send(router_, reply.data(), reply.size(), 0);
    return text;
  }

 private:
  void* router_ = nullptr;
  void* monitor_ = nullptr;
  std::string endpoint_;
};

class endpoint_forms : public interop_test {};

TEST_F(endpoint_forms, libzmq_sees_a_ringmq_connection_come_from_the_chosen_source_port) {
  libzmq_context zctx;
  libzmq_router router(zctx);
  ringmq::context ctx;
  auto dealer = make_ringmq_peer(ctx, socket_type::dealer);
  const int port = free_port();
  dealer->connect("tcp://127.0.0.1:" + std::to_string(port) + ";" + router.address());
  EXPECT_EQ(router.next_accepted_peer(), "127.0.0.1:" + std::to_string(port));
  ASSERT_EQ(dealer->send({"from a chosen port"}), send_status::ok);
  EXPECT_EQ(router.echo(), "from a chosen port");
  EXPECT_EQ(dealer->recv(), strings{"re: from a chosen port"});
}

TEST_F(endpoint_forms, libzmq_sees_a_ringmq_connection_come_from_the_chosen_source_address) {
  libzmq_context zctx;
  libzmq_router router(zctx);
  ringmq::context ctx;
  auto dealer = make_ringmq_peer(ctx, socket_type::dealer);
  dealer->connect("tcp://127.0.0.2;" + router.address());  // no port: the kernel picks one
  EXPECT_TRUE(router.next_accepted_peer().starts_with("127.0.0.2:"));
  ASSERT_EQ(dealer->send({"from 127.0.0.2"}), send_status::ok);
  EXPECT_EQ(router.echo(), "from 127.0.0.2");
}

TEST_F(endpoint_forms, a_source_given_as_an_interface_name_and_port) {
  libzmq_context zctx;
  libzmq_router router(zctx);
  ringmq::context ctx;
  auto dealer = make_ringmq_peer(ctx, socket_type::dealer);
  const int port = free_port();
  dealer->connect("tcp://lo:" + std::to_string(port) + ";" + router.address());
  EXPECT_EQ(router.next_accepted_peer(), "127.0.0.1:" + std::to_string(port));
}

TEST_F(endpoint_forms, a_libzmq_peer_reaches_ringmq_bound_on_an_interface_name) {
  ringmq::context ctx;
  auto rep = make_ringmq_peer(ctx, socket_type::rep);
  const std::string bound = rep->bind("tcp://lo:*");
  EXPECT_TRUE(bound.starts_with("tcp://127.0.0.1:")) << bound;
  libzmq_context zctx;
  auto req = make_libzmq_peer(zctx, socket_type::req);
  req->connect(bound);
  ASSERT_EQ(req->send({"over lo"}), send_status::ok);
  EXPECT_EQ(rep->recv(), strings{"over lo"});
}

}  // namespace
}  // namespace ringmq_interop
