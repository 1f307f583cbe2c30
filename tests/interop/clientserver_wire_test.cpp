// CLIENT and SERVER (rfc 41) on the wire, against a raw ZMTP peer: what they accept from a
// peer that breaks their rules. (Debian's libzmq is built without its draft socket types,
// so no libzmq peer can play CLIENT or SERVER here.)
#include "interop/raw_stream.hpp"

#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>

namespace ringmq_interop {
namespace {

using ringmq::socket_type;
namespace opt = ringmq::opt;

ringmq::socket make_server(ringmq::context& ctx) {
  ringmq::socket s(ctx, socket_type::server);
  s.set(opt::rcvtimeo, safety);
  s.set(opt::linger, 0ms);
  return s;
}

TEST(clientserver_wire, a_server_drops_a_multipart_message_whole_and_keeps_the_connection) {
  ringmq::context ctx;
  auto server = make_server(ctx);
  server.bind("tcp://127.0.0.1:*");
  raw_stream raw = raw_stream::connect(server.last_endpoint());
  ASSERT_TRUE(raw.handshake(1, "CLIENT"));
  ASSERT_TRUE(
      raw.write(zmtp_data_frame("first", true) + zmtp_data_frame("second") + zmtp_data_frame("single")));
  auto m = server.recv();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->to_string(), "single") << "rfc 41 messages have one part; a longer one is dropped";
  EXPECT_NE(m->routing_id(), 0U);
  // The connection still works both ways.
  ringmq::message reply(std::string_view("reply"));
  reply.set_routing_id(m->routing_id());
  ASSERT_TRUE(server.send(std::move(reply)));
  auto frame = raw.read_frame();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->body, "reply");
  EXPECT_FALSE(frame->more());
}

TEST(clientserver_wire, a_server_refuses_a_peer_that_is_not_a_client) {
  ringmq::context ctx;
  auto server = make_server(ctx);
  server.bind("tcp://127.0.0.1:*");
  raw_stream raw = raw_stream::connect(server.last_endpoint());
  raw.handshake(1, "DEALER");  // ringmq may close before READY is read back
  raw.write(zmtp_data_frame("hello"));
  EXPECT_TRUE(raw.closed_by_peer());
  ringmq::message m;
  EXPECT_FALSE(server.recv(m, ringmq::recv_flags::dontwait));
}

TEST(clientserver_wire, a_client_announces_itself_and_sends_one_frame_per_message) {
  ringmq::context ctx;
  ringmq::socket client(ctx, socket_type::client);
  client.set(opt::linger, 0ms);
  raw_listener listener(transport::tcp);
  client.connect(listener.endpoint());
  auto raw = listener.accept();
  ASSERT_TRUE(raw);
  raw_frame ready;
  ASSERT_TRUE(raw->handshake(1, "SERVER", &ready));
  EXPECT_NE(ready.body.find("CLIENT"), std::string::npos) << "READY names the socket type";
  ASSERT_TRUE(client.send("request"));
  auto frame = raw->read_frame();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->body, "request");
  EXPECT_FALSE(frame->more());
}

}  // namespace
}  // namespace ringmq_interop
