// Errors at the public API: what each failure reports, in which category, through the
// throwing and the error_code overloads; closed and moved-from sockets; incompatible peers.
#include "spec/support.hpp"

#include <set>
#include <string>
#include <type_traits>

namespace ringmq_test {
namespace {

using ringmq::errc;

TEST(api_errors, error_codes_have_a_category_and_a_message) {
  EXPECT_STREQ(ringmq::error_category().name(), "ringmq");
  std::set<std::string> messages;
  for (int i = static_cast<int>(errc::invalid_state); i <= static_cast<int>(errc::socket_closed); ++i) {
    const std::error_code ec = ringmq::make_error_code(static_cast<errc>(i));
    EXPECT_EQ(&ec.category(), &ringmq::error_category());
    EXPECT_FALSE(ec.message().empty());
    messages.insert(ec.message());
  }
  EXPECT_EQ(messages.size(), 11u) << "every condition has its own message";
  const std::error_code ec = errc::invalid_state;  // is_error_code_enum
  EXPECT_EQ(ec, errc::invalid_state);
  EXPECT_NE(ec, errc::context_terminated);
  EXPECT_TRUE((std::is_base_of_v<std::system_error, ringmq::error>));
}

TEST(api_errors, thrown_errors_say_what_failed) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pull);
  try {
    s.bind("bogus-endpoint");
    FAIL() << "must throw";
  } catch (const ringmq::error& e) {
    EXPECT_EQ(e.code(), errc::invalid_endpoint);
    EXPECT_NE(std::string(e.what()).find("bind"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("bogus-endpoint"), std::string::npos) << e.what();
  }
  try {
    s.set_option(ringmq::option::sndhwm, -1);
    FAIL() << "must throw";
  } catch (const ringmq::error& e) {
    EXPECT_NE(std::string(e.what()).find("sndhwm"), std::string::npos) << e.what();
  }
}

TEST(api_errors, malformed_endpoints_are_errc_invalid_endpoint) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pair);
  for (std::string_view ep : {"", "inproc", "inproc:/x", "inproc://", "://name", "no scheme at all"}) {
    std::error_code ec;
    s.bind(ep, ec);
    EXPECT_EQ(ec, errc::invalid_endpoint) << '"' << ep << '"';
    s.connect(ep, ec);
    EXPECT_EQ(ec, errc::invalid_endpoint) << '"' << ep << '"';
  }
}

TEST(api_errors, unknown_schemes_are_errc_unsupported_transport) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pair);
  for (std::string_view ep :
       {"udp://127.0.0.1:5555", "pgm://eth0;239.1.1.1:5555", "INPROC://x", "foo://bar"}) {
    std::error_code ec;
    s.bind(ep, ec);
    EXPECT_EQ(ec, errc::unsupported_transport) << ep;
    s.connect(ep, ec);
    EXPECT_EQ(ec, errc::unsupported_transport) << ep;
  }
}

TEST(api_errors, binding_a_taken_inproc_name_is_address_in_use) {
  ringmq::context ctx;
  ringmq::socket a(ctx, socket_type::pull);
  ringmq::socket b(ctx, socket_type::pull);
  a.bind("inproc://taken");
  std::error_code ec;
  b.bind("inproc://taken", ec);
  EXPECT_EQ(ec, std::errc::address_in_use);
  EXPECT_EQ(&ec.category(), &std::generic_category());
  a.bind("inproc://taken", ec);
  EXPECT_EQ(ec, std::errc::address_in_use) << "also for the socket that holds it";
  // Names are per context.
  ringmq::context other;
  ringmq::socket c(other, socket_type::pull);
  EXPECT_NO_THROW(c.bind("inproc://taken"));
}

TEST(api_errors, unbind_and_disconnect_of_unknown_endpoints_are_errc_endpoint_not_found) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::dealer);
  std::error_code ec;
  s.unbind("inproc://never", ec);
  EXPECT_EQ(ec, errc::endpoint_not_found);
  s.disconnect("inproc://never", ec);
  EXPECT_EQ(ec, errc::endpoint_not_found);
  s.bind("inproc://bound");
  s.disconnect("inproc://bound", ec);
  EXPECT_EQ(ec, errc::endpoint_not_found) << "disconnect does not undo a bind";
  ringmq::socket peer(ctx, socket_type::dealer);
  peer.bind("inproc://other");
  s.connect("inproc://other");
  s.unbind("inproc://other", ec);
  EXPECT_EQ(ec, errc::endpoint_not_found) << "unbind does not undo a connect";
  s.unbind("inproc://bound", ec);
  EXPECT_FALSE(ec);
  s.unbind("inproc://bound", ec);
  EXPECT_EQ(ec, errc::endpoint_not_found) << "twice";
  s.unbind("not an endpoint", ec);
  EXPECT_EQ(ec, errc::invalid_endpoint);
  EXPECT_EQ(thrown_code([&] { s.disconnect("inproc://never"); }), errc::endpoint_not_found);
}

TEST(api_errors, incompatible_socket_types_cannot_connect_over_inproc) {
  ringmq::context ctx;
  struct pairing {
    socket_type binder;
    socket_type connector;
  };
  int n = 0;
  for (const pairing& p :
       {pairing{socket_type::push, socket_type::push}, pairing{socket_type::pull, socket_type::pub},
        pairing{socket_type::pub, socket_type::pull}, pairing{socket_type::req, socket_type::req},
        pairing{socket_type::rep, socket_type::router}, pairing{socket_type::pair, socket_type::dealer},
        pairing{socket_type::sub, socket_type::sub}, pairing{socket_type::router, socket_type::rep}}) {
    const std::string ep = "inproc://incompatible" + std::to_string(n++);
    ringmq::socket binder(ctx, p.binder);
    binder.bind(ep);
    ringmq::socket connector(ctx, p.connector);
    std::error_code ec;
    connector.connect(ep, ec);
    EXPECT_EQ(ec, errc::incompatible_socket_type)
        << ringmq::to_string(p.connector) << " -> " << ringmq::to_string(p.binder);
    EXPECT_EQ(connector.last_endpoint(), "") << "a failed connect is not an endpoint";
  }
}

TEST(api_errors, an_incompatible_connect_before_bind_is_refused_when_the_bind_arrives) {
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  pub.connect("inproc://early");  // nobody to check against yet
  ASSERT_TRUE(pub.send("lost"));
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://early");
  EXPECT_FALSE(wait_readable(pull, 50ms));
  // A compatible peer can still use the name.
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://early");
  ASSERT_TRUE(push.send("fine"));
  EXPECT_EQ(recv_string(pull), "fine");
}

TEST(api_errors, compatible_follows_rfc_23) {
  using t = socket_type;
  const std::set<std::pair<t, t>> allowed{
      {t::pair, t::pair},  {t::pub, t::sub},       {t::pub, t::xsub},      {t::xpub, t::sub},
      {t::xpub, t::xsub},  {t::sub, t::pub},       {t::sub, t::xpub},      {t::xsub, t::pub},
      {t::xsub, t::xpub},  {t::req, t::rep},       {t::req, t::router},    {t::rep, t::req},
      {t::rep, t::dealer}, {t::dealer, t::rep},    {t::dealer, t::dealer}, {t::dealer, t::router},
      {t::router, t::req}, {t::router, t::dealer}, {t::router, t::router}, {t::pull, t::push},
      {t::push, t::pull},
  };
  for (int a = 0; a <= 10; ++a)
    for (int b = 0; b <= 10; ++b) {
      const auto x = static_cast<t>(a);
      const auto y = static_cast<t>(b);
      EXPECT_EQ(ringmq::compatible(x, y), allowed.contains({x, y}))
          << ringmq::to_string(x) << "/" << ringmq::to_string(y);
    }
}

TEST(api_errors, socket_type_names_round_trip) {
  for (int i = 0; i <= 11; ++i) {
    const auto type = static_cast<socket_type>(i);
    const auto name = ringmq::to_string(type);
    EXPECT_EQ(ringmq::socket_type_from_string(name), type) << name;
  }
  EXPECT_EQ(ringmq::to_string(socket_type::router), "ROUTER");
  EXPECT_FALSE(ringmq::socket_type_from_string("router"));
  EXPECT_FALSE(ringmq::socket_type_from_string("RADIO"));  // a draft type ringmq has not got
}

// Every operation on a socket that is not open reports errc::socket_closed.
void expect_all_closed(ringmq::socket& s) {
  EXPECT_FALSE(static_cast<bool>(s));
  auto closed = [](std::error_code ec) { return ec == errc::socket_closed; };
  EXPECT_TRUE(closed(thrown_code([&] { (void)s.type(); })));
  EXPECT_TRUE(closed(thrown_code([&] { s.bind("inproc://x"); })));
  EXPECT_TRUE(closed(thrown_code([&] { s.connect("inproc://x"); })));
  EXPECT_TRUE(closed(thrown_code([&] { s.unbind("inproc://x"); })));
  EXPECT_TRUE(closed(thrown_code([&] { s.disconnect("inproc://x"); })));
  EXPECT_TRUE(closed(thrown_code([&] { (void)s.last_endpoint(); })));
  EXPECT_TRUE(closed(thrown_code([&] { s.send("x"); })));
  EXPECT_TRUE(closed(thrown_code([&] { (void)s.recv(); })));
  EXPECT_TRUE(closed(thrown_code([&] {
    std::array<std::byte, 4> buf{};
    (void)s.recv(std::span(buf));
  })));
  EXPECT_TRUE(closed(thrown_code([&] { s.set(opt::sndhwm, 1); })));
  EXPECT_TRUE(closed(thrown_code([&] { (void)s.get(opt::sndhwm); })));
  EXPECT_TRUE(closed(thrown_code([&] { (void)s.get(opt::routing_id); })));
  EXPECT_TRUE(closed(thrown_code([&] { (void)s.events(); })));
  EXPECT_TRUE(closed(thrown_code([&] { (void)s.fd(); })));
  EXPECT_TRUE(closed(thrown_code([&] { (void)s.send_multipart(std::vector<std::string>{"a", "b"}); })));

  std::error_code ec;
  s.bind("inproc://x", ec);
  EXPECT_TRUE(closed(ec));
  s.connect("inproc://x", ec);
  EXPECT_TRUE(closed(ec));
  s.unbind("inproc://x", ec);
  EXPECT_TRUE(closed(ec));
  s.disconnect("inproc://x", ec);
  EXPECT_TRUE(closed(ec));
  EXPECT_FALSE(s.send(ringmq::message("x"), send_flags::none, ec));
  EXPECT_TRUE(closed(ec));
  ringmq::message m;
  EXPECT_FALSE(s.recv(m, recv_flags::none, ec));
  EXPECT_TRUE(closed(ec));
  s.set_option(ringmq::option::sndhwm, 1, ec);
  EXPECT_TRUE(closed(ec));
  s.set_option(ringmq::option::routing_id, std::string_view("x"), ec);
  EXPECT_TRUE(closed(ec));
  s.close();  // closing again is harmless
  ringmq::poll_item item{&s, -1, ringmq::events::pollin};
  EXPECT_TRUE(closed(thrown_code([&] { (void)ringmq::poll(std::span(&item, 1), 0ms); })));
}

TEST(api_errors, a_closed_socket_reports_errc_socket_closed) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::dealer);
  EXPECT_TRUE(static_cast<bool>(s));
  s.close();
  expect_all_closed(s);
}

TEST(api_errors, a_moved_from_socket_reports_errc_socket_closed) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::dealer);
  ringmq::socket t(std::move(s));
  expect_all_closed(s);
  EXPECT_EQ(t.type(), socket_type::dealer);
  ringmq::socket u;
  u = std::move(t);
  expect_all_closed(t);
  EXPECT_EQ(u.type(), socket_type::dealer);
}

TEST(api_errors, a_default_constructed_socket_reports_errc_socket_closed) {
  ringmq::socket s;
  expect_all_closed(s);
}

TEST(api_errors, move_assigning_onto_an_open_socket_closes_it) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://reassign");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://reassign");
  ASSERT_TRUE(push.send("before"));
  push = make_socket(ctx, socket_type::push);  // the old PUSH is closed; its message lingers
  EXPECT_EQ(recv_string(pull), "before");
  EXPECT_FALSE(push.send("no peer", send_flags::dontwait));
  auto self = make_socket(ctx, socket_type::push);
  auto& alias = self;
  self = std::move(alias);  // self-move keeps the socket open
  EXPECT_TRUE(static_cast<bool>(self));
}

TEST(api_errors, error_code_overloads_never_throw) {
  static_assert(
      noexcept(std::declval<ringmq::socket&>().bind(std::string_view{}, std::declval<std::error_code&>())));
  static_assert(noexcept(
      std::declval<ringmq::socket&>().connect(std::string_view{}, std::declval<std::error_code&>())));
  static_assert(
      noexcept(std::declval<ringmq::socket&>().unbind(std::string_view{}, std::declval<std::error_code&>())));
  static_assert(noexcept(
      std::declval<ringmq::socket&>().disconnect(std::string_view{}, std::declval<std::error_code&>())));
  static_assert(noexcept(std::declval<ringmq::socket&>().send(
      std::declval<ringmq::message&&>(), send_flags::none, std::declval<std::error_code&>())));
  static_assert(noexcept(std::declval<ringmq::socket&>().recv(
      std::declval<ringmq::message&>(), recv_flags::none, std::declval<std::error_code&>())));
  static_assert(noexcept(std::declval<ringmq::socket&>().set_option(ringmq::option::sndhwm, std::int64_t{},
                                                                    std::declval<std::error_code&>())));
  static_assert(noexcept(std::declval<ringmq::socket&>().close()));

  // And they report through the code, clearing it on success.
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::req);
  std::error_code ec = errc::invalid_state;
  s.bind("inproc://ok", ec);
  EXPECT_FALSE(ec) << "success clears the code";
  ringmq::message m;
  EXPECT_FALSE(s.recv(m, recv_flags::dontwait, ec));
  EXPECT_EQ(ec, errc::invalid_state);
  ringmq::socket push(ctx, socket_type::push);
  EXPECT_FALSE(push.send(ringmq::message("x"), send_flags::dontwait, ec));
  EXPECT_FALSE(ec) << "would-block is not an error";
}

TEST(api_errors, a_shut_down_context_refuses_new_sockets_and_operations) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pull);
  ctx.shutdown();
  ctx.shutdown();  // idempotent
  EXPECT_EQ(thrown_code([&] { ringmq::socket t(ctx, socket_type::push); }), errc::context_terminated);
  EXPECT_EQ(thrown_code([&] { (void)s.recv(recv_flags::dontwait); }), errc::context_terminated);
  EXPECT_EQ(thrown_code([&] { s.bind("inproc://late"); }), errc::context_terminated);
  EXPECT_EQ(thrown_code([&] { s.connect("inproc://late"); }), errc::context_terminated);
  std::error_code ec;
  ringmq::message m;
  EXPECT_FALSE(s.recv(m, recv_flags::none, ec));
  EXPECT_EQ(ec, errc::context_terminated);
  ringmq::poll_item item{&s, -1, ringmq::events::pollin};
  EXPECT_EQ(thrown_code([&] { (void)ringmq::poll(std::span(&item, 1), 0ms); }), errc::context_terminated);
  s.close();  // closing still works
}

TEST(api_errors, version_matches_the_headers) {
  const auto v = ringmq::version();
  EXPECT_EQ(v.major, RINGMQ_VERSION_MAJOR);
  EXPECT_EQ(v.minor, RINGMQ_VERSION_MINOR);
  EXPECT_EQ(v.patch, RINGMQ_VERSION_PATCH);
}

}  // namespace
}  // namespace ringmq_test
