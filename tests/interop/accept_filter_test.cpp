// TCP_ACCEPT_FILTER and the IPC peer filters against libzmq connecters in the same process:
// a ringmq listener refuses a libzmq peer outside its filters (ringmq reports ACCEPT_FAILED,
// libzmq sees its connection close before the handshake ends and keeps retrying) and serves
// one inside them.
#include "interop/support.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace ringmq_interop {
namespace {

namespace opt = ringmq::opt;

struct filter_case {
  transport via;
  bool admit;
};

void PrintTo(const filter_case& c, std::ostream* os) {
  *os << to_string(c.via) << (c.admit ? " admitted" : " refused");
}

class accept_filter : public interop_test, public ::testing::WithParamInterface<filter_case> {};

// tcp: the peer dials from 127.0.0.1; ipc: the peer is this process (our own uid).
void set_filter(ringmq::socket& s, const filter_case& c) {
  if (c.via == transport::tcp)
    s.set(opt::tcp_accept_filter, c.admit ? "127.0.0.0/8" : "10.0.0.0/8");
  else
    s.set(opt::ipc_filter_uid, static_cast<std::int64_t>(::getuid()) + (c.admit ? 0 : 1));
}

TEST_P(accept_filter, decides_for_a_libzmq_connecter) {
  const filter_case c = GetParam();
  ringmq::context ringmq_ctx;
  libzmq_context libzmq_ctx;
  auto server = make_ringmq_peer(ringmq_ctx, socket_type::router);
  set_filter(ringmq_socket_of(*server), c);
  const std::string endpoint = server->bind(bind_endpoint(c.via));
  auto client = make_libzmq_peer(libzmq_ctx, socket_type::dealer);
  client->connect(endpoint);

  if (!c.admit) {
    EXPECT_TRUE(server->wait_event(monitor_event::accept_failed)) << show(server->seen_events());
    const strings& seen = server->seen_events();
    EXPECT_EQ(std::count(seen.begin(), seen.end(), "ACCEPTED"), 0) << show(seen);
    // libzmq connected, then lost the connection before any handshake completed.
    EXPECT_TRUE(client->wait_event(monitor_event::disconnected)) << show(client->seen_events());
    const strings& client_seen = client->seen_events();
    EXPECT_EQ(std::count(client_seen.begin(), client_seen.end(), "HANDSHAKE_SUCCEEDED"), 0)
        << show(client_seen);
    return;
  }
  ASSERT_TRUE(server->wait_event(monitor_event::handshake_succeeded)) << show(server->seen_events());
  ASSERT_EQ(client->send({"hello"}), send_status::ok);
  const auto got = server->recv();
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 2u) << show(*got);
  EXPECT_EQ(got->back(), "hello");
}

INSTANTIATE_TEST_SUITE_P(over, accept_filter,
                         ::testing::Values(filter_case{transport::tcp, false},
                                           filter_case{transport::tcp, true},
                                           filter_case{transport::ipc, false},
                                           filter_case{transport::ipc, true}),
                         [](const auto& param_info) {
                           return std::string(to_string(param_info.param.via)) +
                                  (param_info.param.admit ? "_admitted" : "_refused");
                         });

}  // namespace
}  // namespace ringmq_interop
