// The interop matrix: every compatible socket-type pair, over tcp and ipc, with each side
// being ringmq in turn and each side binding in turn, against Debian's libzmq 4.3.4 in the
// same process. Each case runs the pattern's whole conversation: round trips where the
// pattern allows them, multipart messages, bodies of 0, 255, 256 bytes (the short/long frame
// boundary) and 1 MiB, routing ids, and subscriptions reaching the publisher.
#include "interop/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <ostream>
#include <string>
#include <vector>

namespace ringmq_interop {
namespace {

struct pattern_pair {
  const char* name;
  socket_type a;  // the side that speaks first (sender, requester, publisher)
  socket_type b;
};

constexpr pattern_pair pairs[] = {
    {"push_pull", socket_type::push, socket_type::pull},
    {"pub_sub", socket_type::pub, socket_type::sub},
    {"xpub_sub", socket_type::xpub, socket_type::sub},
    {"pub_xsub", socket_type::pub, socket_type::xsub},
    {"req_rep", socket_type::req, socket_type::rep},
    {"req_router", socket_type::req, socket_type::router},
    {"dealer_rep", socket_type::dealer, socket_type::rep},
    {"dealer_router", socket_type::dealer, socket_type::router},
    {"dealer_dealer", socket_type::dealer, socket_type::dealer},
    {"router_router", socket_type::router, socket_type::router},
    {"pair_pair", socket_type::pair, socket_type::pair},
};

enum class side { a, b };

struct matrix_param {
  pattern_pair pair;
  transport via;
  side binder;
  side ringmq_side;
};

std::ostream& operator<<(std::ostream& os, const matrix_param& p) {
  return os << p.pair.name << " over " << to_string(p.via) << ", ringmq is side "
            << (p.ringmq_side == side::a ? "a" : "b") << ", side " << (p.binder == side::a ? "a" : "b")
            << " binds";
}

// "dealer_router_tcp_ringmq_dealer_binds": the pair, the transport, which type ringmq plays
// (with a/b for same-type pairs) and which library binds.
std::string param_name(const ::testing::TestParamInfo<matrix_param>& info) {
  const matrix_param& p = info.param;
  const socket_type ringmq_type = p.ringmq_side == side::a ? p.pair.a : p.pair.b;
  std::string name = std::string(p.pair.name) + "_" + std::string(to_string(p.via)) + "_ringmq_";
  std::string type(ringmq::to_string(ringmq_type));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](char c) { return static_cast<char>(c - 'A' + 'a'); });
  name += type;
  if (p.pair.a == p.pair.b) name += p.ringmq_side == side::a ? "_a" : "_b";
  name += p.binder == p.ringmq_side ? "_ringmq_binds" : "_libzmq_binds";
  return name;
}

std::vector<matrix_param> all_params() {
  std::vector<matrix_param> out;
  for (const auto& pair : pairs)
    for (const transport via : {transport::tcp, transport::ipc})
      for (const side binder : {side::a, side::b})
        for (const side ringmq_side : {side::a, side::b}) out.push_back({pair, via, binder, ringmq_side});
  return out;
}

constexpr std::size_t big = std::size_t{1} << 20;

// The messages every pattern carries: single and multipart, with empty parts, and bodies on
// both sides of the one-byte/eight-byte frame size boundary.
std::vector<strings> payloads(unsigned seed) {
  return {
      {"hello"},
      {"one", "", "three"},
      {body(0, seed)},
      {body(255, seed + 1)},
      {body(256, seed + 2)},
      {body(big, seed + 3)},
      {body(0, seed), body(255, seed + 1), body(256, seed + 2), body(big + 1, seed + 4), "tail"},
  };
}

strings concat(strings head, const strings& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

// The reply a server makes to a request: the parts reversed, so that a misrouted or stale
// reply shows.
strings reply_to(const strings& request) {
  strings out(request.rbegin(), request.rend());
  out.emplace_back("reply");
  return out;
}

::testing::AssertionResult same_parts(const strings& expected, const strings& actual) {
  if (expected.size() != actual.size())
    return ::testing::AssertionFailure() << "expected " << expected.size() << " parts " << show(expected)
                                         << ", got " << actual.size() << " parts " << show(actual);
  for (std::size_t i = 0; i < expected.size(); ++i)
    if (expected[i] != actual[i])
      return ::testing::AssertionFailure()
             << "part " << i << " of " << show(expected) << ": "
             << describe_difference(expected[i], actual[i]) << "; got " << show(actual);
  return ::testing::AssertionSuccess();
}

// The next message at `to` is `expected`.
::testing::AssertionResult receives(peer& to, const strings& expected) {
  const auto got = to.recv();
  if (!got)
    return ::testing::AssertionFailure()
           << to.library() << " " << ringmq::to_string(to.type()) << " received nothing within "
           << safety.count() << " ms; expected " << show(expected);
  return same_parts(expected, *got);
}

// The next message at `to` is `expected`, while `other` is kept busy: both libraries attach
// a new connection to a socket only when the application calls into that socket, and a
// subscription made before the attachment waits for it.
::testing::AssertionResult receives_touching(peer& to, const strings& expected, peer& other) {
  const auto deadline = std::chrono::steady_clock::now() + safety;
  while (std::chrono::steady_clock::now() < deadline) {
    if (const auto got = to.recv(10ms)) return same_parts(expected, *got);
    if (const auto got = other.recv(0ms))
      return ::testing::AssertionFailure() << other.library() << " " << ringmq::to_string(other.type())
                                           << " unexpectedly received " << show(*got);
  }
  return ::testing::AssertionFailure()
         << to.library() << " " << ringmq::to_string(to.type()) << " received nothing within "
         << safety.count() << " ms; expected " << show(expected);
}

::testing::AssertionResult sends(peer& from, const strings& parts) {
  const send_status status = from.send(parts);
  if (status == send_status::ok) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << from.library() << " " << ringmq::to_string(from.type()) << " could not send " << show(parts)
         << (status == send_status::unroutable ? ": unroutable" : ": timed out");
}

::testing::AssertionResult nothing_more(peer& p) {
  if (const auto got = p.recv(quiet))
    return ::testing::AssertionFailure()
           << p.library() << " " << ringmq::to_string(p.type()) << " unexpectedly received " << show(*got);
  return ::testing::AssertionSuccess();
}

// What an XPUB receives for a subscription and for its cancellation.
std::string subscription(std::string_view topic) { return '\x01' + std::string(topic); }
std::string cancel(std::string_view topic) { return '\x00' + std::string(topic); }

// The next message at `p` that is not `skip`.
std::optional<strings> recv_skipping(peer& p, const strings& skip) {
  for (;;) {
    auto got = p.recv();
    if (!got || *got != skip) return got;
  }
}

class interop_matrix : public interop_test, public ::testing::WithParamInterface<matrix_param> {
 protected:
  void SetUp() override {
    interop_test::SetUp();
    if (IsSkipped()) return;
    a_ = make(side::a);
    b_ = make(side::b);
    RecordProperty("io_backend", ringmq_ctx_.io_backend());
  }

  std::unique_ptr<peer> make(side s) {
    const matrix_param& p = GetParam();
    const socket_type type = s == side::a ? p.pair.a : p.pair.b;
    return s == p.ringmq_side ? make_ringmq_peer(ringmq_ctx_, type) : make_libzmq_peer(libzmq_ctx_, type);
  }

  // Binds the parameter's binder (of `a` and `b`), connects the other and waits until both
  // report a completed handshake.
  void link(peer& a, peer& b) {
    peer& binder = GetParam().binder == side::a ? a : b;
    peer& other = GetParam().binder == side::a ? b : a;
    const std::string endpoint = binder.bind(bind_endpoint(GetParam().via));
    other.connect(endpoint);
    for (peer* p : {&binder, &other}) {
      ASSERT_TRUE(p->wait_event(monitor_event::handshake_succeeded))
          << p->library() << " " << ringmq::to_string(p->type()) << " saw no handshake on " << endpoint
          << "; events: " << show(p->seen_events());
    }
  }

  // Every payload from `from` to `to`, all sent before any is received, then a marker: what
  // arrives is exactly what was sent, in order, nothing lost or repeated.
  void one_way(peer& from, peer& to, unsigned seed) {
    auto messages = payloads(seed);
    messages.push_back({"end"});
    for (const auto& m : messages) ASSERT_TRUE(sends(from, m));
    for (const auto& m : messages) ASSERT_TRUE(receives(to, m));
  }

  void pipeline();
  void symmetric();
  void request_reply();
  void request_router();
  void dealer_rep();
  void dealer_router();
  void router_router();
  void publish_subscribe();

  // Declared before the peers: destroyed after them.
  ringmq::context ringmq_ctx_;
  libzmq_context libzmq_ctx_;
  std::unique_ptr<peer> a_;
  std::unique_ptr<peer> b_;
};

// PUSH -> PULL: one way only.
void interop_matrix::pipeline() {
  ASSERT_NO_FATAL_FAILURE(link(*a_, *b_));
  ASSERT_NO_FATAL_FAILURE(one_way(*a_, *b_, 1));
}

// PAIR <-> PAIR, DEALER <-> DEALER: both ways, then ping-pong.
void interop_matrix::symmetric() {
  ASSERT_NO_FATAL_FAILURE(link(*a_, *b_));
  ASSERT_NO_FATAL_FAILURE(one_way(*a_, *b_, 1));
  ASSERT_NO_FATAL_FAILURE(one_way(*b_, *a_, 2));
  for (int i = 0; i < 10; ++i) {
    const strings ping{"ping", std::to_string(i)};
    ASSERT_TRUE(sends(*a_, ping));
    ASSERT_TRUE(receives(*b_, ping));
    ASSERT_TRUE(sends(*b_, reply_to(ping)));
    ASSERT_TRUE(receives(*a_, reply_to(ping)));
  }
}

// REQ <-> REP: the REP sees the request without the envelope; the REQ sees the reply.
void interop_matrix::request_reply() {
  ASSERT_NO_FATAL_FAILURE(link(*a_, *b_));
  for (const auto& request : payloads(1)) {
    ASSERT_TRUE(sends(*a_, request));
    ASSERT_TRUE(receives(*b_, request));
    ASSERT_TRUE(sends(*b_, reply_to(request)));
    ASSERT_TRUE(receives(*a_, reply_to(request)));
  }
}

// REQ <-> ROUTER: the ROUTER sees [generated id, "", request...] and routes the reply back
// by that id.
void interop_matrix::request_router() {
  ASSERT_NO_FATAL_FAILURE(link(*a_, *b_));
  std::string id;
  for (const auto& request : payloads(1)) {
    ASSERT_TRUE(sends(*a_, request));
    const auto got = b_->recv();
    ASSERT_TRUE(got) << "ROUTER received nothing";
    ASSERT_GE(got->size(), 2U + request.size()) << show(*got);
    if (id.empty()) {
      id = (*got)[0];
      // libzmq (and ringmq after it): 5 bytes, a zero byte and a 32-bit counter.
      EXPECT_EQ(id.size(), 5U) << show(*got);
      EXPECT_EQ(id[0], '\0') << show(*got);
    }
    ASSERT_TRUE(same_parts(concat({id, ""}, request), *got));
    ASSERT_TRUE(sends(*b_, concat({id, ""}, reply_to(request))));
    ASSERT_TRUE(receives(*a_, reply_to(request)));
  }
}

// DEALER <-> REP: the DEALER writes the envelope itself; a REP keeps every frame up to the
// empty delimiter and puts them back on the reply.
void interop_matrix::dealer_rep() {
  ASSERT_NO_FATAL_FAILURE(link(*a_, *b_));
  for (const auto& request : payloads(1)) {
    ASSERT_TRUE(sends(*a_, concat({""}, request)));
    ASSERT_TRUE(receives(*b_, request));
    ASSERT_TRUE(sends(*b_, reply_to(request)));
    ASSERT_TRUE(receives(*a_, concat({""}, reply_to(request))));
  }
  // A deeper envelope, as a proxy in between would build it.
  ASSERT_TRUE(sends(*a_, {"hop-2", "hop-1", "", "via proxies"}));
  ASSERT_TRUE(receives(*b_, {"via proxies"}));
  ASSERT_TRUE(sends(*b_, {"answer"}));
  ASSERT_TRUE(receives(*a_, {"hop-2", "hop-1", "", "answer"}));
}

// DEALER <-> ROUTER: a DEALER's ROUTING_ID is what the ROUTER sees; a second DEALER without
// one gets a generated id; replies reach the right DEALER.
void interop_matrix::dealer_router() {
  a_->set_routing_id("dealer-A");
  ASSERT_NO_FATAL_FAILURE(link(*a_, *b_));
  for (const auto& request : payloads(1)) {
    ASSERT_TRUE(sends(*a_, request));
    ASSERT_TRUE(receives(*b_, concat({"dealer-A"}, request)));
    ASSERT_TRUE(sends(*b_, concat({"dealer-A"}, reply_to(request))));
    ASSERT_TRUE(receives(*a_, reply_to(request)));
  }

  // The second DEALER is of the same library as the first and joins the same way (binding
  // its own endpoint when DEALERs bind).
  auto anonymous = make(side::a);
  ASSERT_NO_FATAL_FAILURE(link(*anonymous, *b_));
  ASSERT_TRUE(sends(*anonymous, {"who am I"}));
  const auto got = b_->recv();
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 2U) << show(*got);
  const std::string id = (*got)[0];
  EXPECT_EQ(id.size(), 5U) << show(*got);
  EXPECT_EQ(id[0], '\0') << show(*got);
  EXPECT_EQ((*got)[1], "who am I");
  ASSERT_TRUE(sends(*b_, {id, "anonymous"}));
  ASSERT_TRUE(sends(*b_, {"dealer-A", "named"}));
  ASSERT_TRUE(receives(*anonymous, {"anonymous"}));
  ASSERT_TRUE(receives(*a_, {"named"}));
  // Markers last: a misrouted or repeated message would have arrived before them.
  ASSERT_TRUE(sends(*b_, {id, "end"}));
  ASSERT_TRUE(sends(*b_, {"dealer-A", "end"}));
  ASSERT_TRUE(receives(*anonymous, {"end"}));
  ASSERT_TRUE(receives(*a_, {"end"}));
}

// ROUTER <-> ROUTER: both name themselves; the connecting one speaks first, addressing the
// bound one by the Identity it announced.
void interop_matrix::router_router() {
  a_->set_routing_id("router-A");
  b_->set_routing_id("router-B");
  a_->set_router_mandatory();
  b_->set_router_mandatory();
  ASSERT_NO_FATAL_FAILURE(link(*a_, *b_));
  const bool a_binds = GetParam().binder == side::a;
  peer& connector = a_binds ? *b_ : *a_;
  peer& binder = a_binds ? *a_ : *b_;
  const std::string connector_id = a_binds ? "router-B" : "router-A";
  const std::string binder_id = a_binds ? "router-A" : "router-B";

  // Both handshakes were reported, so both libraries have the peer attached: once the
  // connector took that in, the bound ROUTER is routable at the first attempt.
  connector.catch_up();
  ASSERT_TRUE(sends(connector, {binder_id, "hello"})) << "the connector did not know the bound ROUTER yet";
  ASSERT_TRUE(receives(binder, {connector_id, "hello"}));
  for (const auto& m : payloads(1)) {
    ASSERT_TRUE(sends(binder, concat({connector_id}, m)));
    ASSERT_TRUE(receives(connector, concat({binder_id}, m)));
    ASSERT_TRUE(sends(connector, concat({binder_id}, reply_to(m))));
    ASSERT_TRUE(receives(binder, concat({connector_id}, reply_to(m))));
  }
  // ROUTER_MANDATORY: an unknown id is refused, in both libraries.
  EXPECT_EQ(connector.send({"nobody", "x"}), send_status::unroutable);
  ASSERT_TRUE(sends(connector, {binder_id, "end"}));
  ASSERT_TRUE(receives(binder, {connector_id, "end"}));
}

// PUB/XPUB -> SUB/XSUB: subscriptions reach the publisher (an XPUB shows them as
// "\x01topic" / "\x00topic"), and the publisher filters by prefix.
void interop_matrix::publish_subscribe() {
  peer& pub = *a_;
  peer& sub = *b_;
  const bool xpub = pub.type() == socket_type::xpub;
  ASSERT_NO_FATAL_FAILURE(link(pub, sub));

  // Waits until the publisher applies the subscriptions sent so far: an XPUB receives them;
  // a PUB is probed with `probe` until the subscriber gets one.
  auto wait_subscribed = [&](const strings& xpub_sees, const strings& probe, const strings& skip) {
    if (xpub) {
      for (const auto& s : xpub_sees)
        ASSERT_TRUE(receives_touching(pub, {s}, sub)) << "the subscription did not reach the XPUB";
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + safety;
    for (;;) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline)
          << "the subscription never took effect at the PUB";
      ASSERT_TRUE(sends(pub, probe));
      if (const auto got = sub.recv(10ms)) {
        if (*got == probe) break;
        ASSERT_TRUE(same_parts(skip, *got)) << "unexpected message while probing";
      }
    }
  };
  const strings probe_a{"A", "probe"};
  sub.subscribe("A");
  ASSERT_NO_FATAL_FAILURE(wait_subscribed({subscription("A")}, probe_a, probe_a));

  // Prefix filtering at the publisher: only "A..." topics arrive, in order.
  ASSERT_TRUE(sends(pub, {"B", "filtered"}));
  ASSERT_TRUE(sends(pub, {"A", "one"}));
  ASSERT_TRUE(sends(pub, {"", "filtered"}));
  ASSERT_TRUE(sends(pub, {"AB", "two"}));
  ASSERT_TRUE(sends(pub, {"a", "filtered"}));
  ASSERT_TRUE(sends(pub, {"xA", "filtered"}));
  auto got = recv_skipping(sub, probe_a);
  ASSERT_TRUE(got);
  ASSERT_TRUE(same_parts({"A", "one"}, *got));
  ASSERT_TRUE(receives(sub, {"AB", "two"}));
  for (const auto& m : payloads(1)) {
    ASSERT_TRUE(sends(pub, concat({"A"}, m)));
    ASSERT_TRUE(receives(sub, concat({"A"}, m)));
  }

  // Unsubscribe from "A", subscribe to "C": once "C" is in effect, "A" is gone (a publisher
  // applies a connection's subscriptions in order).
  sub.unsubscribe("A");
  sub.subscribe("C");
  const strings probe_c{"C", "probe"};
  ASSERT_NO_FATAL_FAILURE(wait_subscribed({cancel("A"), subscription("C")}, probe_c, probe_c));
  ASSERT_TRUE(sends(pub, {"A", "late"}));
  ASSERT_TRUE(sends(pub, {"C", "end"}));
  got = recv_skipping(sub, probe_c);
  ASSERT_TRUE(got);
  EXPECT_TRUE(same_parts({"C", "end"}, *got));  // "A late" was filtered: it would come first

  if (xpub) {
    // The empty subscription (everything) travels as a lone "\x01", its cancel as "\x00".
    sub.subscribe("");
    ASSERT_TRUE(receives(pub, {subscription("")}));
    ASSERT_TRUE(sends(pub, {"anything"}));
    ASSERT_TRUE(receives(sub, {"anything"}));
    sub.unsubscribe("");
    ASSERT_TRUE(receives(pub, {cancel("")}));
    EXPECT_TRUE(nothing_more(pub));
  }
}

TEST_P(interop_matrix, conversation) {
  const pattern_pair& pair = GetParam().pair;
  const auto is = [&](socket_type a, socket_type b) { return pair.a == a && pair.b == b; };
  using st = socket_type;
  if (is(st::push, st::pull))
    pipeline();
  else if (is(st::pair, st::pair) || is(st::dealer, st::dealer))
    symmetric();
  else if (is(st::req, st::rep))
    request_reply();
  else if (is(st::req, st::router))
    request_router();
  else if (is(st::dealer, st::rep))
    dealer_rep();
  else if (is(st::dealer, st::router))
    dealer_router();
  else if (is(st::router, st::router))
    router_router();
  else
    publish_subscribe();
}

INSTANTIATE_TEST_SUITE_P(pairs, interop_matrix, ::testing::ValuesIn(all_params()), param_name);

// The backend the suite asked for is the one ringmq runs: a silent fallback would make the
// io_uring run test epoll twice.
class interop_backend : public interop_test {};

TEST_F(interop_backend, runs_the_backend_requested_by_RINGMQ_IO_BACKEND) {
  const char* requested = std::getenv("RINGMQ_IO_BACKEND");
  if (requested == nullptr) GTEST_SKIP() << "RINGMQ_IO_BACKEND is not set";
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pull);
  s.bind("tcp://127.0.0.1:*");  // starts the I/O threads
  EXPECT_EQ(ctx.io_backend(), requested);
}

}  // namespace
}  // namespace ringmq_interop
