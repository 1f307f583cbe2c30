// A connecting ringmq socket whose peer (a raw ZMTP listener) misbehaves around a
// reconnect: the connection is cut in the middle of a multipart message, or the peer sends
// ERROR once the handshake is done. The socket reconnects and nothing of the old
// connection leaks into what arrives on the new one.
#include "interop/raw_stream.hpp"
#include "interop/support.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace ringmq_interop {
namespace {

struct reconnect_param {
  socket_type receiver;   // the connecting ringmq socket
  const char* peer_type;  // what the raw listener claims to be
  transport via;
};

void PrintTo(const reconnect_param& p, std::ostream* os) {
  *os << p.peer_type << " to ringmq over " << to_string(p.via);
}

class reconnect : public interop_test, public ::testing::WithParamInterface<reconnect_param> {
 protected:
  void SetUp() override {
    interop_test::SetUp();
    if (IsSkipped()) return;
    receiver_ = make_ringmq_peer(ctx_, GetParam().receiver);
    receiver_->set_reconnect_ivl(10ms, 10ms);
    receiver_->connect(listener_.endpoint());
  }

  // Accepts the receiver's next connection and completes the handshake.
  std::optional<raw_stream> accept_and_handshake() {
    auto raw = listener_.accept();
    if (!raw || !raw->handshake(1, GetParam().peer_type)) return std::nullopt;
    if (!receiver_->wait_event(monitor_event::handshake_succeeded)) return std::nullopt;
    return raw;
  }

  ringmq::context ctx_;
  raw_listener listener_{GetParam().via};
  std::unique_ptr<peer> receiver_;
};

// libzmq rolls back the frames of a message its connection did not finish (session_base
// clean_pipes); the next message arrives whole and alone: [B1, B2, B3], not [A1, B1, B2, B3].
TEST_P(reconnect, a_message_cut_by_the_connections_end_is_dropped) {
  {
    auto first = accept_and_handshake();
    ASSERT_TRUE(first);
    ASSERT_TRUE(first->write(zmtp_data_frame("A1", true)));
  }  // closed: the receiver reads A1, then the end of the stream
  ASSERT_TRUE(receiver_->wait_event(monitor_event::disconnected)) << show(receiver_->seen_events());
  auto second = accept_and_handshake();
  ASSERT_TRUE(second) << show(receiver_->seen_events());
  ASSERT_TRUE(
      second->write(zmtp_data_frame("B1", true) + zmtp_data_frame("B2", true) + zmtp_data_frame("B3")));
  const auto got = receiver_->recv();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, (strings{"B1", "B2", "B3"})) << show(*got);
  EXPECT_FALSE(receiver_->recv(quiet)) << "more than one message arrived";
}

// An ERROR with a ZAP status ("400") during the handshake refuses our credentials, and
// libzmq does not dial again. Once traffic flows, libzmq does not act on ERROR at all, and
// a peer that then closes is dialled again as after any disconnect. Anyone on the path can
// inject the command into a NULL or PLAIN connection: it must not stop reconnection.
TEST_P(reconnect, an_error_after_the_handshake_does_not_stop_reconnection) {
  {
    auto first = accept_and_handshake();
    ASSERT_TRUE(first);
    ASSERT_TRUE(first->write(zmtp_command("ERROR", std::string("\x03") + "400")));
  }
  ASSERT_TRUE(receiver_->wait_event(monitor_event::disconnected)) << show(receiver_->seen_events());
  auto second = accept_and_handshake();
  ASSERT_TRUE(second) << "no reconnection after ERROR; events: " << show(receiver_->seen_events());
  ASSERT_TRUE(second->write(zmtp_data_frame("after")));
  const auto got = receiver_->recv();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, strings{"after"}) << show(*got);
}

std::vector<reconnect_param> all_params() {
  std::vector<reconnect_param> out;
  for (const transport via : {transport::tcp, transport::ipc}) {
    out.push_back({socket_type::pull, "PUSH", via});
    out.push_back({socket_type::dealer, "ROUTER", via});
  }
  return out;
}

std::string param_name(const ::testing::TestParamInfo<reconnect_param>& info) {
  return std::string(info.param.peer_type) + "_" + std::string(to_string(info.param.via));
}

INSTANTIATE_TEST_SUITE_P(peers, reconnect, ::testing::ValuesIn(all_params()), param_name);

}  // namespace
}  // namespace ringmq_interop
