// The option contract of the public API: typed tags, the untyped interface for bindings,
// the error for each kind of misuse, read-only and write-only options, find_option, and
// the socket defaults a context hands out.
#include "spec/support.hpp"

#include <array>
#include <set>
#include <string>
#include <thread>

namespace ringmq_test {
namespace {

using ringmq::errc;
using ringmq::option;
using ringmq::option_kind;

TEST(api_options, typed_tags_round_trip) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::dealer);
  s.set(opt::sndhwm, 17);
  EXPECT_EQ(s.get(opt::sndhwm), 17);
  s.set(opt::rcvhwm, 0);
  EXPECT_EQ(s.get(opt::rcvhwm), 0);
  s.set(opt::linger, 250ms);
  EXPECT_EQ(s.get(opt::linger), 250ms);
  s.set(opt::linger, ringmq::infinite);
  EXPECT_EQ(s.get(opt::linger), ringmq::infinite);
  s.set(opt::rcvtimeo, 0ms);
  EXPECT_EQ(s.get(opt::rcvtimeo), 0ms);
  s.set(opt::sndtimeo, 1234ms);
  EXPECT_EQ(s.get(opt::sndtimeo), 1234ms);
  s.set(opt::reconnect_ivl, 50ms);
  EXPECT_EQ(s.get(opt::reconnect_ivl), 50ms);
  s.set(opt::reconnect_ivl_max, 5000ms);
  EXPECT_EQ(s.get(opt::reconnect_ivl_max), 5000ms);
  s.set(opt::backlog, 7);
  EXPECT_EQ(s.get(opt::backlog), 7);
  s.set(opt::maxmsgsize, std::int64_t{1} << 33);
  EXPECT_EQ(s.get(opt::maxmsgsize), std::int64_t{1} << 33);
  s.set(opt::maxmsgsize, std::int64_t{-1});
  EXPECT_EQ(s.get(opt::maxmsgsize), -1);
  s.set(opt::sndbuf, 65536);
  EXPECT_EQ(s.get(opt::sndbuf), 65536);
  s.set(opt::rcvbuf, -1);
  EXPECT_EQ(s.get(opt::rcvbuf), -1);
  s.set(opt::immediate, true);
  EXPECT_TRUE(s.get(opt::immediate));
  s.set(opt::ipv6, true);
  EXPECT_TRUE(s.get(opt::ipv6));
  s.set(opt::handshake_ivl, 0ms);
  EXPECT_EQ(s.get(opt::handshake_ivl), 0ms);
  s.set(opt::heartbeat_ivl, 100ms);
  EXPECT_EQ(s.get(opt::heartbeat_ivl), 100ms);
  s.set(opt::heartbeat_ttl, 2000ms);
  EXPECT_EQ(s.get(opt::heartbeat_ttl), 2000ms);
  s.set(opt::heartbeat_timeout, 300ms);
  EXPECT_EQ(s.get(opt::heartbeat_timeout), 300ms);
  s.set(opt::connect_timeout, 400ms);
  EXPECT_EQ(s.get(opt::connect_timeout), 400ms);
  s.set(opt::zap_domain, "global");
  EXPECT_EQ(s.get(opt::zap_domain), "global");
  s.set(opt::zap_enforce_domain, true);
  EXPECT_TRUE(s.get(opt::zap_enforce_domain));
  s.set(opt::plain_username, "user");
  s.set(opt::plain_password, "secret");
  EXPECT_EQ(s.get(opt::plain_username), "user");
  EXPECT_EQ(s.get(opt::plain_password), "secret");
  const std::string key(32, '\x07');
  s.set(opt::curve_publickey, key);
  EXPECT_EQ(s.get(opt::curve_publickey), key);
}

TEST(api_options, routing_id_is_binary_and_up_to_255_bytes) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::dealer);
  EXPECT_EQ(s.get(opt::routing_id), "");
  const std::string binary("A\0\xff", 3);
  s.set(opt::routing_id, binary);
  EXPECT_EQ(s.get(opt::routing_id), binary);
  const std::string longest(255, 'x');
  s.set(opt::routing_id, longest);
  EXPECT_EQ(s.get(opt::routing_id), longest);
  EXPECT_EQ(thrown_code([&] { s.set(opt::routing_id, std::string(256, 'x')); }), errc::invalid_option_value);
  // A leading zero byte is reserved for generated ids (rfc 23).
  EXPECT_EQ(thrown_code([&] { s.set(opt::routing_id, std::string("\0abc", 4)); }),
            errc::invalid_option_value);
}

TEST(api_options, untyped_interface_takes_integers_and_bytes) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::sub);
  s.set_option(option::sndhwm, 33);
  EXPECT_EQ(s.get_int_option(option::sndhwm), 33);
  s.set_option(option::linger, -1);
  EXPECT_EQ(s.get_int_option(option::linger), -1);
  s.set_option(option::immediate, 1);
  EXPECT_EQ(s.get_int_option(option::immediate), 1);
  s.set_option(option::routing_id, std::string_view("id"));
  EXPECT_EQ(s.get_bytes_option(option::routing_id), "id");
  s.set_option(option::subscribe, std::string_view("topic"));
  EXPECT_EQ(s.get_int_option(option::type), static_cast<int>(socket_type::sub));
}

TEST(api_options, unknown_option_is_errc_unknown_option) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::push);
  const auto bogus = static_cast<option>(9999);
  std::error_code ec;
  s.set_option(bogus, 1, ec);
  EXPECT_EQ(ec, errc::unknown_option);
  s.set_option(bogus, std::string_view("x"), ec);
  EXPECT_EQ(ec, errc::unknown_option);
  EXPECT_EQ(thrown_code([&] { (void)s.get_int_option(bogus); }), errc::unknown_option);
  EXPECT_EQ(thrown_code([&] { (void)s.get_bytes_option(bogus); }), errc::unknown_option);
  EXPECT_EQ(thrown_code([&] { s.set_option(bogus, 1); }), errc::unknown_option);
}

TEST(api_options, wrong_value_kind_is_errc_wrong_option_type) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::sub);
  std::error_code ec;
  s.set_option(option::sndhwm, std::string_view("1000"), ec);
  EXPECT_EQ(ec, errc::wrong_option_type);
  s.set_option(option::routing_id, 5, ec);
  EXPECT_EQ(ec, errc::wrong_option_type);
  s.set_option(option::subscribe, 1, ec);
  EXPECT_EQ(ec, errc::wrong_option_type);
  s.set_option(option::linger, std::string_view("-1"), ec);
  EXPECT_EQ(ec, errc::wrong_option_type);
  EXPECT_EQ(thrown_code([&] { (void)s.get_bytes_option(option::sndhwm); }), errc::wrong_option_type);
  EXPECT_EQ(thrown_code([&] { (void)s.get_int_option(option::routing_id); }), errc::wrong_option_type);
}

TEST(api_options, type_specific_option_with_the_wrong_kind_is_errc_wrong_option_type) {
  ringmq::context ctx;
  ringmq::socket req(ctx, socket_type::req);
  std::error_code ec;
  req.set_option(option::req_relaxed, std::string_view("1"), ec);
  EXPECT_EQ(ec, errc::wrong_option_type);
}

TEST(api_options, out_of_range_value_is_errc_invalid_option_value) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::router);
  std::error_code ec;
  for (auto [id, value] : std::array<std::pair<option, std::int64_t>, 10>{{
           {option::sndhwm, -1},
           {option::rcvhwm, -5},
           {option::sndhwm, std::int64_t{1} << 40},
           {option::linger, -2},
           {option::rcvtimeo, -3},
           {option::immediate, 2},
           {option::router_mandatory, 7},
           {option::reconnect_ivl_max, -1},
           {option::heartbeat_ttl, 6553600},
           {option::maxmsgsize, -2},
       }}) {
    s.set_option(id, value, ec);
    EXPECT_EQ(ec, errc::invalid_option_value) << static_cast<int>(id) << " = " << value;
  }
  s.set_option(option::curve_secretkey, std::string_view("too short"), ec);
  EXPECT_EQ(ec, errc::invalid_option_value);
  // A refused value leaves the option as it was.
  EXPECT_EQ(s.get(opt::sndhwm), 1000);
}

TEST(api_options, type_specific_option_on_another_type_is_errc_not_supported) {
  ringmq::context ctx;
  struct misuse {
    socket_type type;
    option id;
    bool bytes;
  };
  for (const misuse& m : std::array<misuse, 11>{{
           {socket_type::push, option::subscribe, true},
           {socket_type::pub, option::subscribe, true},
           {socket_type::xpub, option::unsubscribe, true},
           {socket_type::dealer, option::router_mandatory, false},
           {socket_type::rep, option::req_relaxed, false},
           {socket_type::dealer, option::req_correlate, false},
           {socket_type::sub, option::xpub_verbose, false},
           {socket_type::pub, option::xpub_verbose, false},
           {socket_type::pull, option::xpub_nodrop, false},
           {socket_type::sub, option::xpub_max_subscriptions, false},
           {socket_type::req, option::router_handover, false},
       }}) {
    ringmq::socket s(ctx, m.type);
    std::error_code ec;
    if (m.bytes)
      s.set_option(m.id, std::string_view("x"), ec);
    else
      s.set_option(m.id, 1, ec);
    EXPECT_EQ(ec, errc::not_supported) << ringmq::to_string(m.type) << " option " << static_cast<int>(m.id);
  }
}

TEST(api_options, type_specific_options_work_on_their_types) {
  ringmq::context ctx;
  ringmq::socket router(ctx, socket_type::router);
  router.set(opt::router_mandatory, true);
  router.set(opt::router_handover, true);
  ringmq::socket req(ctx, socket_type::req);
  req.set(opt::req_relaxed, true);
  req.set(opt::req_correlate, true);
  ringmq::socket xpub(ctx, socket_type::xpub);
  xpub.set(opt::xpub_verbose, true);
  xpub.set(opt::xpub_verboser, true);
  xpub.set(opt::xpub_nodrop, true);
  xpub.set(opt::xpub_max_subscriptions, 10);
  ringmq::socket pub(ctx, socket_type::pub);
  pub.set(opt::xpub_nodrop, true);
  pub.set(opt::xpub_max_subscriptions, -1);
  ringmq::socket sub(ctx, socket_type::sub);
  sub.set(opt::subscribe, "a");
  sub.set(opt::unsubscribe, "a");
}

TEST(api_options, XPUB_MAX_SUBSCRIPTIONS_is_a_positive_count_or_minus_one) {
  ringmq::context ctx;
  ringmq::socket pub(ctx, socket_type::pub);
  EXPECT_EQ(pub.get(opt::xpub_max_subscriptions), 65536) << "the default";
  pub.set(opt::xpub_max_subscriptions, 3);
  EXPECT_EQ(pub.get(opt::xpub_max_subscriptions), 3);
  pub.set(opt::xpub_max_subscriptions, -1);
  EXPECT_EQ(pub.get(opt::xpub_max_subscriptions), -1) << "no limit";
  for (const std::int64_t bad : {std::int64_t{0}, std::int64_t{-2}}) {
    std::error_code ec;
    pub.set_option(option::xpub_max_subscriptions, bad, ec);
    EXPECT_EQ(ec, errc::invalid_option_value) << bad;
  }
  EXPECT_EQ(ringmq::find_option("XPUB_MAX_SUBSCRIPTIONS")->id, option::xpub_max_subscriptions);
}

TEST(api_options, CONNECT_ROUTING_ID_is_accepted_by_ROUTER) {
  // libzmq 4.3: ZMQ_CONNECT_ROUTING_ID names the peer of the next connect on a ROUTER.
  ringmq::context ctx;
  ringmq::socket server(ctx, socket_type::dealer);
  server.bind("inproc://named");
  ringmq::socket router(ctx, socket_type::router);
  router.set(opt::router_mandatory, true);
  std::error_code ec;
  router.set_option(option::connect_routing_id, std::string_view("alias"), ec);
  ASSERT_FALSE(ec) << "connect_routing_id on ROUTER: " << ec.message();
  router.connect("inproc://named");
  ASSERT_TRUE(send_parts(router, {"alias", "hello"}));
  ringmq::socket& dealer = server;
  dealer.set(opt::rcvtimeo, safety);
  EXPECT_EQ(recv_string(dealer), "hello");
}

TEST(api_options, read_only_options_refuse_to_be_set) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pull);
  for (option id : {option::rcvmore, option::fd, option::events, option::type, option::mechanism}) {
    const auto info = ringmq::find_option(id);
    ASSERT_TRUE(info);
    EXPECT_TRUE(info->readable);
    EXPECT_FALSE(info->writable) << info->name;
    std::error_code ec;
    s.set_option(id, 0, ec);
    EXPECT_TRUE(ec) << info->name;
  }
  std::error_code ec;
  s.set_option(option::last_endpoint, std::string_view("inproc://x"), ec);
  EXPECT_TRUE(ec);
  EXPECT_EQ(s.get(opt::type), socket_type::pull);
  EXPECT_EQ(s.get(opt::mechanism), ringmq::mechanism_kind::null);
  EXPECT_FALSE(s.get(opt::rcvmore));
  EXPECT_EQ(s.get(opt::fd), s.fd());
  EXPECT_EQ(s.get(opt::events), ringmq::events::none);
  EXPECT_EQ(s.get(opt::last_endpoint), "");
}

TEST(api_options, write_only_options_refuse_to_be_read) {
  ringmq::context ctx;
  ringmq::socket sub(ctx, socket_type::sub);
  ringmq::socket router(ctx, socket_type::router);
  for (option id : {option::subscribe, option::unsubscribe}) {
    EXPECT_FALSE(ringmq::find_option(id)->readable);
    EXPECT_THROW((void)sub.get_bytes_option(id), ringmq::error);
  }
  EXPECT_FALSE(ringmq::find_option(option::router_mandatory)->readable);
  EXPECT_THROW((void)router.get_int_option(option::router_mandatory), ringmq::error);
}

TEST(api_options, defaults_are_the_documented_ones) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::dealer);
  EXPECT_EQ(s.get(opt::sndhwm), 1000);
  EXPECT_EQ(s.get(opt::rcvhwm), 1000);
  EXPECT_EQ(s.get(opt::rcvtimeo), ringmq::infinite);
  EXPECT_EQ(s.get(opt::sndtimeo), ringmq::infinite);
  EXPECT_GE(s.get(opt::linger), 0ms) << "ringmq's linger is finite, unlike libzmq's";
  EXPECT_GT(s.get(opt::maxmsgsize), 0) << "ringmq bounds message size by default";
  EXPECT_FALSE(s.get(opt::immediate));
  EXPECT_FALSE(s.get(opt::ipv6));
  EXPECT_EQ(s.get(opt::routing_id), "");
  EXPECT_EQ(s.get(opt::reconnect_ivl), 100ms);
  EXPECT_GT(s.get(opt::reconnect_ivl_max), s.get(opt::reconnect_ivl)) << "exponential back-off";
  EXPECT_EQ(s.get(opt::heartbeat_ivl), 0ms);
  EXPECT_EQ(s.get(opt::type), socket_type::dealer);
}

TEST(api_options, find_option_by_number_and_by_name) {
  const auto by_id = ringmq::find_option(option::sndhwm);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->name, "sndhwm");
  EXPECT_EQ(by_id->kind, option_kind::integer);
  EXPECT_TRUE(by_id->readable && by_id->writable);
  for (std::string_view name : {"sndhwm", "SNDHWM", "ZMQ_SNDHWM", "zmq_sndhwm", "SndHwm"}) {
    const auto info = ringmq::find_option(name);
    ASSERT_TRUE(info) << name;
    EXPECT_EQ(info->id, option::sndhwm) << name;
  }
  EXPECT_EQ(ringmq::find_option("linger")->kind, option_kind::duration);
  EXPECT_EQ(ringmq::find_option("routing_id")->kind, option_kind::bytes);
  EXPECT_EQ(ringmq::find_option("immediate")->kind, option_kind::boolean);
  EXPECT_EQ(static_cast<int>(ringmq::find_option("ZMQ_SUBSCRIBE")->id), 6) << "libzmq's number";
  EXPECT_FALSE(ringmq::find_option("no_such_option"));
  EXPECT_FALSE(ringmq::find_option(""));
  EXPECT_FALSE(ringmq::find_option("zmq_"));
  EXPECT_FALSE(ringmq::find_option(static_cast<option>(0)));
}

TEST(api_options, every_typed_tag_has_a_table_entry_whose_name_finds_it_again) {
  const std::array<option, 55> all{
      opt::routing_id.id,
      opt::subscribe.id,
      opt::unsubscribe.id,
      opt::sndbuf.id,
      opt::rcvbuf.id,
      opt::rcvmore.id,
      opt::fd.id,
      opt::events.id,
      opt::type.id,
      opt::linger.id,
      opt::reconnect_ivl.id,
      opt::backlog.id,
      opt::reconnect_ivl_max.id,
      opt::maxmsgsize.id,
      opt::sndhwm.id,
      opt::rcvhwm.id,
      opt::rcvtimeo.id,
      opt::sndtimeo.id,
      opt::last_endpoint.id,
      opt::router_mandatory.id,
      opt::immediate.id,
      opt::xpub_verbose.id,
      opt::ipv6.id,
      opt::mechanism.id,
      opt::plain_server.id,
      opt::plain_username.id,
      opt::plain_password.id,
      opt::curve_server.id,
      opt::curve_publickey.id,
      opt::curve_secretkey.id,
      opt::curve_serverkey.id,
      opt::req_correlate.id,
      opt::req_relaxed.id,
      opt::zap_domain.id,
      opt::router_handover.id,
      opt::connect_routing_id.id,
      opt::handshake_ivl.id,
      opt::xpub_nodrop.id,
      opt::heartbeat_ivl.id,
      opt::heartbeat_ttl.id,
      opt::heartbeat_timeout.id,
      opt::xpub_verboser.id,
      opt::connect_timeout.id,
      opt::zap_enforce_domain.id,
      opt::tcp_keepalive.id,
      opt::tcp_keepalive_cnt.id,
      opt::tcp_keepalive_idle.id,
      opt::tcp_keepalive_intvl.id,
      opt::tcp_accept_filter.id,
      opt::tos.id,
      opt::ipc_filter_pid.id,
      opt::ipc_filter_uid.id,
      opt::ipc_filter_gid.id,
      opt::tcp_maxrt.id,
      opt::bindtodevice.id,
  };
  std::set<std::string_view> names;
  for (option id : all) {
    const auto info = ringmq::find_option(id);
    ASSERT_TRUE(info) << static_cast<int>(id);
    EXPECT_EQ(info->id, id);
    EXPECT_TRUE(info->readable || info->writable) << info->name;
    const auto again = ringmq::find_option(info->name);
    ASSERT_TRUE(again) << info->name;
    EXPECT_EQ(again->id, id);
    names.insert(info->name);
  }
  EXPECT_EQ(names.size(), all.size()) << "names are unique";
}

// libzmq 4.3's transport options (what they do: tests/transport/socket_options_test.cpp).
TEST(api_options, transport_options_have_libzmqs_defaults_and_numbers) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::dealer);
  EXPECT_EQ(s.get(opt::tcp_keepalive), -1);
  EXPECT_EQ(s.get(opt::tcp_keepalive_cnt), -1);
  EXPECT_EQ(s.get(opt::tcp_keepalive_idle), -1);
  EXPECT_EQ(s.get(opt::tcp_keepalive_intvl), -1);
  EXPECT_EQ(s.get(opt::tcp_maxrt), 0ms);
  EXPECT_EQ(s.get(opt::tos), 0);
  EXPECT_EQ(s.get(opt::bindtodevice), "");
  for (auto [name, number] : std::array<std::pair<std::string_view, int>, 11>{{
           {"ZMQ_TCP_KEEPALIVE", 34},
           {"ZMQ_TCP_KEEPALIVE_CNT", 35},
           {"ZMQ_TCP_KEEPALIVE_IDLE", 36},
           {"ZMQ_TCP_KEEPALIVE_INTVL", 37},
           {"ZMQ_TCP_ACCEPT_FILTER", 38},
           {"ZMQ_TOS", 57},
           {"ZMQ_IPC_FILTER_PID", 58},
           {"ZMQ_IPC_FILTER_UID", 59},
           {"ZMQ_IPC_FILTER_GID", 60},
           {"ZMQ_TCP_MAXRT", 80},
           {"ZMQ_BINDTODEVICE", 92},
       }}) {
    const auto info = ringmq::find_option(name);
    ASSERT_TRUE(info) << name;
    EXPECT_EQ(static_cast<int>(info->id), number) << name;
  }
}

TEST(api_options, transport_options_round_trip) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pull);
  for (int v : {0, 1, -1}) {
    s.set(opt::tcp_keepalive, v);
    EXPECT_EQ(s.get(opt::tcp_keepalive), v);
  }
  s.set(opt::tcp_keepalive_cnt, 127);
  EXPECT_EQ(s.get(opt::tcp_keepalive_cnt), 127);
  s.set(opt::tcp_keepalive_idle, 32767);
  EXPECT_EQ(s.get(opt::tcp_keepalive_idle), 32767);
  s.set(opt::tcp_keepalive_intvl, 1);
  EXPECT_EQ(s.get(opt::tcp_keepalive_intvl), 1);
  s.set(opt::tcp_keepalive_intvl, -1);
  EXPECT_EQ(s.get(opt::tcp_keepalive_intvl), -1);
  s.set(opt::tcp_maxrt, 30000ms);
  EXPECT_EQ(s.get(opt::tcp_maxrt), 30000ms);
  s.set(opt::tos, 255);
  EXPECT_EQ(s.get(opt::tos), 255);
  s.set(opt::bindtodevice, "0123456789abcdef");  // 16 bytes: libzmq's limit
  EXPECT_EQ(s.get(opt::bindtodevice), "0123456789abcdef");
  s.set(opt::bindtodevice, "");
  EXPECT_EQ(s.get(opt::bindtodevice), "");
}

TEST(api_options, transport_option_values_out_of_range_are_refused) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pull);
  for (auto [id, value] : std::array<std::pair<option, std::int64_t>, 14>{{
           {option::tcp_keepalive, 2},
           {option::tcp_keepalive, -2},
           // The kernel's bounds: libzmq takes these, and then fails every connection.
           {option::tcp_keepalive_cnt, 0},
           {option::tcp_keepalive_cnt, 128},
           {option::tcp_keepalive_idle, 0},
           {option::tcp_keepalive_idle, 32768},
           {option::tcp_keepalive_intvl, -2},
           {option::tcp_maxrt, -1},
           {option::tcp_maxrt, std::int64_t{1} << 31},
           {option::tos, -1},
           {option::tos, 256},
           {option::ipc_filter_uid, -2},
           {option::ipc_filter_gid, std::int64_t{1} << 32},
           {option::ipc_filter_pid, std::int64_t{1} << 31},
       }}) {
    std::error_code ec;
    s.set_option(id, value, ec);
    EXPECT_EQ(ec, errc::invalid_option_value) << static_cast<int>(id) << " = " << value;
  }
  for (std::string_view bad : {"10.0.0.0/33", "localhost", "10.0.0.0/", "::1" /* needs IPV6 */}) {
    std::error_code ec;
    s.set_option(option::tcp_accept_filter, bad, ec);
    EXPECT_EQ(ec, errc::invalid_option_value) << bad;
  }
  s.set(opt::ipv6, true);
  s.set(opt::tcp_accept_filter, "::1");
  std::error_code ec;
  s.set_option(option::bindtodevice, std::string(17, 'x'), ec);
  EXPECT_EQ(ec, errc::invalid_option_value);
  EXPECT_EQ(s.get(opt::tos), 0) << "a refused value leaves the option as it was";
}

TEST(api_options, accept_filters_are_write_only_as_in_libzmq) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pull);
  s.set(opt::tcp_accept_filter, "127.0.0.1");
  s.set(opt::ipc_filter_uid, 0);
  s.set(opt::ipc_filter_gid, 0);
  s.set(opt::ipc_filter_pid, 1);
  for (option id :
       {option::tcp_accept_filter, option::ipc_filter_pid, option::ipc_filter_uid, option::ipc_filter_gid}) {
    const auto info = ringmq::find_option(id);
    ASSERT_TRUE(info);
    EXPECT_TRUE(info->writable && !info->readable) << info->name;
  }
  EXPECT_THROW((void)s.get_bytes_option(option::tcp_accept_filter), ringmq::error);
  EXPECT_THROW((void)s.get_int_option(option::ipc_filter_uid), ringmq::error);
}

TEST(api_options, context_socket_defaults_apply_to_sockets_created_afterwards) {
  ringmq::context ctx;
  ringmq::socket before(ctx, socket_type::push);
  ctx.set(opt::sndhwm, 7);
  ctx.set(opt::linger, 0ms);
  ctx.set(opt::routing_id, "default-id");
  ctx.set_socket_default(option::rcvhwm, 9);
  ringmq::socket after(ctx, socket_type::push);
  EXPECT_EQ(after.get(opt::sndhwm), 7);
  EXPECT_EQ(after.get(opt::rcvhwm), 9);
  EXPECT_EQ(after.get(opt::linger), 0ms);
  EXPECT_EQ(after.get(opt::routing_id), "default-id");
  EXPECT_EQ(before.get(opt::sndhwm), 1000) << "existing sockets keep their options";
  after.set(opt::sndhwm, 3);
  EXPECT_EQ(after.get(opt::sndhwm), 3);
  ringmq::socket third(ctx, socket_type::pull);
  EXPECT_EQ(third.get(opt::sndhwm), 7) << "a socket's own change is not a default";

  // The defaults take effect on the wire too: SNDHWM 7 + RCVHWM 9 on inproc.
  third.bind("inproc://defaults");
  ringmq::socket pusher(ctx, socket_type::push);
  pusher.connect("inproc://defaults");
  EXPECT_EQ(send_until_blocked(pusher), 16);
}

TEST(api_options, context_refuses_bad_socket_defaults) {
  ringmq::context ctx;
  EXPECT_EQ(thrown_code([&] { ctx.set(opt::sndhwm, -1); }), errc::invalid_option_value);
  EXPECT_EQ(thrown_code([&] { ctx.set_socket_default(static_cast<option>(9999), 1); }), errc::unknown_option);
  EXPECT_EQ(thrown_code([&] { ctx.set_socket_default(option::sndhwm, std::string_view("1")); }),
            errc::wrong_option_type);
  ringmq::socket s(ctx, socket_type::push);
  EXPECT_EQ(s.get(opt::sndhwm), 1000);
}

TEST(api_options, context_options) {
  ringmq::context ctx;
  EXPECT_EQ(ctx.get(ringmq::context_option::io_threads), 1);
  ctx.set(ringmq::context_option::io_threads, 2);
  EXPECT_EQ(ctx.get(ringmq::context_option::io_threads), 2);
  EXPECT_THROW(ctx.set(ringmq::context_option::io_threads, 0), ringmq::error);
  EXPECT_EQ(ctx.get(ringmq::context_option::busy_poll_us), 0);
  ctx.set(ringmq::context_option::busy_poll_us, 20);
  EXPECT_EQ(ctx.get(ringmq::context_option::busy_poll_us), 20);
  EXPECT_THROW(ctx.set(ringmq::context_option::busy_poll_us, -1), ringmq::error);
  EXPECT_EQ(ctx.get(ringmq::context_option::ipv6), 0);
  ctx.set(ringmq::context_option::ipv6, 1);
  EXPECT_EQ(ctx.get(ringmq::context_option::ipv6), 1);
  ringmq::socket s(ctx, socket_type::pair);
  EXPECT_TRUE(s.get(opt::ipv6));
  EXPECT_THROW(ringmq::context bad(0), ringmq::error);
  EXPECT_EQ(ringmq::context(3).get(ringmq::context_option::io_threads), 3);
}

TEST(api_options, busy_polling_context_still_delivers) {
  ringmq::context ctx;
  ctx.set(ringmq::context_option::busy_poll_us, 200);
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://spin");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://spin");
  std::thread sender([&push] {
    for (int i = 0; i < 1000; ++i)
      if (!push.send(std::to_string(i))) return;
  });
  int ok = 0;
  for (int i = 0; i < 1000; ++i) {
    if (recv_string(pull) != std::to_string(i)) break;
    ++ok;
  }
  sender.join();
  EXPECT_EQ(ok, 1000);
}

TEST(api_options, RCVMORE_follows_the_parts_of_a_received_message) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://rcvmore");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://rcvmore");
  ASSERT_TRUE(send_parts(push, {"a", "b"}));
  ASSERT_TRUE(pull.recv());
  EXPECT_TRUE(pull.get(opt::rcvmore));
  EXPECT_EQ(pull.get_int_option(option::rcvmore), 1);
  ASSERT_TRUE(pull.recv());
  EXPECT_FALSE(pull.get(opt::rcvmore));
}

}  // namespace
}  // namespace ringmq_test
