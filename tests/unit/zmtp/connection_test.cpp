// zmtp::connection with the NULL mechanism: the handshake against libzmq's bytes, every
// chunking of a stream, malformed input, socket types, and two connections talking.
#include "zmtp/connection.hpp"

#include "zmtp/null_mechanism.hpp"
#include "zmtp_test_util.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <random>

namespace ringmq::zmtp::test {
namespace {

using detail::message_access;

connection_config config_for(socket_type type, std::string routing_id = {}) {
  connection_config c;
  c.type = type;
  c.routing_id = std::move(routing_id);
  c.peer_address = "127.0.0.1";
  return c;
}

// One connection under test with its sink and output.
struct harness {
  recording_sink sink;
  output_batch out;
  std::unique_ptr<connection> conn;

  explicit harness(connection_config c, std::unique_ptr<mechanism> m = std::make_unique<null_mechanism>()) {
    conn = std::make_unique<connection>(std::move(c), std::move(m), sink);
    conn->start(out, t0);
  }
  std::size_t feed(const std::string& s, time_point now = t0) { return conn->feed(B(s), now); }
  std::string flushed() {
    if (conn->has_pending_output()) conn->flush_pending(out);
    return drain(out);
  }
  const error_info& error() const { return sink.errors.at(0); }
};

std::string our_greeting_null() {
  return hex("ff 00 00 00 00 00 00 00 00 7f 03 01") + "NULL" + std::string(48, '\0');
}

const std::string router_ready = ready_frame(prop("Socket-Type", "ROUTER") + prop("Identity", ""));

// ---- start ----

TEST(connection, start_sends_greeting_then_ready_for_dealer) {
  harness h(config_for(socket_type::dealer));
  const std::string expected = our_greeting_null() + hex("04 29 05") + "READY" + hex("0b") + "Socket-Type" +
                               hex("00 00 00 06") + "DEALER" + hex("08") + "Identity" + hex("00 00 00 00");
  EXPECT_EQ(to_hex(drain(h.out)), to_hex(expected));
  EXPECT_FALSE(h.conn->handshake_complete());
}

TEST(connection, identity_is_sent_by_req_dealer_router_only) {
  for (auto t : {socket_type::req, socket_type::dealer, socket_type::router}) {
    harness h(config_for(t, "ABC"));
    EXPECT_NE(drain(h.out).find("\x08Identity"s + u32be(3) + "ABC"), std::string::npos) << to_string(t);
  }
  for (auto t : {socket_type::pub, socket_type::sub, socket_type::push, socket_type::pull, socket_type::pair,
                 socket_type::rep, socket_type::xpub, socket_type::xsub}) {
    harness h(config_for(t, "ABC"));
    EXPECT_EQ(drain(h.out).find("Identity"), std::string::npos) << to_string(t);
  }
}

TEST(connection, application_properties_are_sent) {
  auto c = config_for(socket_type::push);
  c.app_properties = {{"X-Hello", "world"}};
  harness h(std::move(c));
  EXPECT_EQ(drain(h.out).substr(64), ready_frame(prop("Socket-Type", "PUSH") + prop("X-Hello", "world")));
}

TEST(connection, bad_configuration_throws) {
  recording_sink sink;
  auto c = config_for(socket_type::dealer, std::string(256, 'i'));
  EXPECT_THROW(connection(c, std::make_unique<null_mechanism>(), sink), std::invalid_argument);
  auto c2 = config_for(socket_type::dealer);
  c2.app_properties = {{"X Bad", "v"}};
  EXPECT_THROW(connection(c2, std::make_unique<null_mechanism>(), sink), std::invalid_argument);
  EXPECT_THROW(connection(config_for(socket_type::dealer), nullptr, sink), std::invalid_argument);
}

// ---- handshake against libzmq's bytes ----

TEST(connection, handshake_with_a_libzmq_router) {
  harness h(config_for(socket_type::dealer));
  drain(h.out);
  EXPECT_EQ(h.feed(libzmq_greeting() + router_ready), 64 + router_ready.size());
  ASSERT_TRUE(h.sink.errors.empty()) << describe(h.error());
  ASSERT_EQ(h.sink.handshakes.size(), 1U);
  const handshake_info& info = h.sink.handshakes[0];
  EXPECT_EQ(info.peer_type, socket_type::router);
  EXPECT_EQ(info.peer_routing_id, "");
  EXPECT_EQ(info.peer_minor, 1);
  ASSERT_TRUE(info.meta);
  EXPECT_EQ(info.meta->find("Socket-Type").value(), "ROUTER");
  EXPECT_EQ(info.meta->find("Identity").value(), "");
  EXPECT_EQ(info.meta->find("Peer-Address").value(), "127.0.0.1");
  EXPECT_FALSE(info.meta->find("User-Id"));
  EXPECT_TRUE(h.conn->handshake_complete());
}

TEST(connection, messages_carry_the_connection_metadata) {
  harness h(config_for(socket_type::pull));
  const std::string stream = libzmq_greeting() +
                             ready_frame(prop("Socket-Type", "PUSH") + prop("X-App", "v1")) +
                             data_frame("hello");
  h.feed(stream);
  ASSERT_EQ(h.sink.messages.size(), 1U);
  const message& m = h.sink.messages[0];
  EXPECT_EQ(m.view(), "hello");
  EXPECT_EQ(m.property("Socket-Type").value(), "PUSH");
  EXPECT_EQ(m.property("x-app").value(), "v1");
  EXPECT_EQ(m.property("Peer-Address").value(), "127.0.0.1");
}

TEST(connection, metadata_names_are_matched_case_insensitively) {
  harness h(config_for(socket_type::router));
  h.feed(libzmq_greeting() + ready_frame(prop("socket-type", "DEALER") + prop("IDENTITY", "peer-1")));
  ASSERT_EQ(h.sink.handshakes.size(), 1U);
  EXPECT_EQ(h.sink.handshakes[0].peer_type, socket_type::dealer);
  EXPECT_EQ(h.sink.handshakes[0].peer_routing_id, "peer-1");
}

TEST(connection, missing_socket_type_is_accepted_like_libzmq) {
  harness h(config_for(socket_type::pull));
  h.feed(libzmq_greeting() + ready_frame(""));
  ASSERT_EQ(h.sink.handshakes.size(), 1U);
  EXPECT_FALSE(h.sink.handshakes[0].peer_type);
}

TEST(connection, resource_and_unknown_properties_are_ignored) {
  harness h(config_for(socket_type::pull));
  h.feed(libzmq_greeting() +
         ready_frame(prop("Socket-Type", "PUSH") + prop("Resource", "a/b") + prop("Other", "z")));
  ASSERT_EQ(h.sink.handshakes.size(), 1U);
  EXPECT_FALSE(h.sink.handshakes[0].meta->find("Resource"));
}

// The whole PUSH -> PULL exchange, cut at every position and at random.
const std::string push_stream = libzmq_greeting() + ready_frame(prop("Socket-Type", "PUSH")) +
                                hex("01 02 68 69 01 00 02 00 00 00 00 00 00 01 2c") + std::string(300, 'x') +
                                command_frame("\x04PING\x00\x00"s) + data_frame("last");

void expect_push_stream(harness& h) {
  ASSERT_TRUE(h.sink.errors.empty()) << describe(h.error());
  ASSERT_EQ(h.sink.handshakes.size(), 1U);
  ASSERT_EQ(h.sink.texts(), (std::vector<std::string>{"hi", "", std::string(300, 'x'), "last"}));
  EXPECT_TRUE(h.sink.messages[0].more());
  EXPECT_TRUE(h.sink.messages[1].more());
  EXPECT_FALSE(h.sink.messages[2].more());
  EXPECT_FALSE(h.sink.messages[3].more());
}

TEST(connection, every_split_point_of_a_whole_session) {
  for (std::size_t cut = 0; cut <= push_stream.size(); ++cut) {
    harness h(config_for(socket_type::pull));
    h.feed(push_stream.substr(0, cut));
    h.feed(push_stream.substr(cut));
    expect_push_stream(h);
    if (HasFailure()) {
      ADD_FAILURE() << "cut at " << cut;
      return;
    }
  }
}

TEST(connection, one_octet_at_a_time) {
  harness h(config_for(socket_type::pull));
  for (char c : push_stream) EXPECT_EQ(h.feed(std::string(1, c)), 1U);
  expect_push_stream(h);
}

TEST(connection, random_splits) {
  std::mt19937 rng(42);
  for (int round = 0; round < 300; ++round) {
    harness h(config_for(socket_type::pull));
    std::size_t pos = 0;
    while (pos < push_stream.size()) {
      const std::size_t n = std::min<std::size_t>(1 + rng() % 70, push_stream.size() - pos);
      h.feed(push_stream.substr(pos, n));
      pos += n;
    }
    expect_push_stream(h);
    if (HasFailure()) return;
  }
}

TEST(connection, sink_can_pause_and_the_rest_is_fed_later) {
  harness h(config_for(socket_type::pull));
  h.sink.pause_every = 1;
  std::size_t pos = 0;
  int calls = 0;
  while (pos < push_stream.size()) {
    pos += h.feed(push_stream.substr(pos));
    ++calls;
  }
  expect_push_stream(h);
  EXPECT_EQ(calls, 4);  // paused after each of the first three messages
}

TEST(connection, accepts_a_zmtp_3_0_peer) {
  harness h(config_for(socket_type::pull));
  h.feed(greeting("NULL", 3, 0, '\x01') + ready_frame(prop("Socket-Type", "PUSH")) + data_frame("x"));
  ASSERT_EQ(h.sink.handshakes.size(), 1U);
  EXPECT_EQ(h.sink.handshakes[0].peer_minor, 0);
  EXPECT_EQ(h.sink.texts(), std::vector<std::string>{"x"});
}

// ---- malformed greetings ----

TEST(connection, bad_signature_fails_at_the_first_octet) {
  harness h(config_for(socket_type::pull));
  EXPECT_EQ(h.feed("GET / HTTP/1.1\r\n"), 1U);
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.error().kind, error_kind::protocol);
  EXPECT_TRUE(h.conn->failed());
}

TEST(connection, version_2_peer_is_refused) {
  harness h(config_for(socket_type::pull));
  h.feed(greeting("NULL", 1).substr(0, 11));
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_NE(h.error().text.find("unsupported"), std::string::npos);
}

TEST(connection, mechanism_mismatch) {
  harness h(config_for(socket_type::pull));
  drain(h.out);
  h.feed(greeting("PLAIN"));
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.error().kind, error_kind::protocol);
  EXPECT_EQ(h.error().code, protocol_code::zmtp_mechanism_mismatch);
  EXPECT_EQ(h.flushed(), "");  // no ERROR: libzmq closes without one
}

// ---- malformed frames and commands ----

struct failure_case {
  const char* what;
  std::string after_greeting;
  error_kind kind;
  int code;
};

TEST(connection, malformed_handshake_input) {
  const std::vector<failure_case> cases{
      {"data before the handshake", data_frame("hi"), error_kind::protocol,
       protocol_code::zmtp_unexpected_command},
      {"empty command", hex("04 00"), error_kind::protocol,
       protocol_code::zmtp_malformed_command_unspecified},
      {"name past the body", hex("04 02 05 52"), error_kind::protocol,
       protocol_code::zmtp_malformed_command_unspecified},
      {"command with MORE", hex("05 06 05") + "READY", error_kind::protocol,
       protocol_code::zmtp_malformed_command_unspecified},
      {"unknown handshake command", command_frame("\x05HELLO"), error_kind::protocol,
       protocol_code::zmtp_unexpected_command},
      {"truncated property", ready_frame(prop("Socket-Type", "PUSH").substr(0, 14)), error_kind::protocol,
       protocol_code::zmtp_invalid_metadata},
      {"value length past the end", ready_frame("\x0bSocket-Type" + u32be(100) + "PUSH"),
       error_kind::protocol, protocol_code::zmtp_invalid_metadata},
      {"value length above 2^31-1", ready_frame("\x0bSocket-Type" + u32be(0x80000004) + "PUSH"),
       error_kind::protocol, protocol_code::zmtp_invalid_metadata},
      {"empty name", ready_frame("\x00"s + u32be(0)), error_kind::protocol,
       protocol_code::zmtp_invalid_metadata},
      {"bad name", ready_frame(prop("Socket Type", "PUSH")), error_kind::protocol,
       protocol_code::zmtp_invalid_metadata},
      {"incompatible socket type", ready_frame(prop("Socket-Type", "PULL")), error_kind::protocol,
       protocol_code::zmtp_invalid_metadata},
      {"unknown socket type", ready_frame(prop("Socket-Type", "CLIENT")), error_kind::protocol,
       protocol_code::zmtp_invalid_metadata},
      {"identity above 255",
       ready_frame(prop("Socket-Type", "PUSH") + prop("Identity", std::string(256, 'i'))),
       error_kind::protocol, protocol_code::zmtp_invalid_metadata},
      {"size top bit", hex("06 80 00 00 00 00 00 00 00"), error_kind::protocol,
       protocol_code::zmtp_unspecified},
      {"size 2^64-1", hex("06 ff ff ff ff ff ff ff ff"), error_kind::protocol,
       protocol_code::zmtp_unspecified},
      {"above the handshake cap", hex("06 00 00 00 00 00 01 00 01"), error_kind::no_detail, EMSGSIZE},
      {"malformed ERROR",
       command_frame("\x05"
                     "ERROR\x09"
                     "40"s),
       error_kind::protocol, protocol_code::zmtp_malformed_command_error},
  };
  for (const auto& c : cases) {
    harness h(config_for(socket_type::pull));
    const std::string before = drain(h.out);
    h.feed(libzmq_greeting() + c.after_greeting);
    ASSERT_EQ(h.sink.errors.size(), 1U) << c.what;
    EXPECT_EQ(h.error().kind, c.kind) << c.what << ": " << describe(h.error());
    EXPECT_EQ(h.error().code, c.code) << c.what << ": " << describe(h.error());
    EXPECT_TRUE(h.sink.handshakes.empty()) << c.what;
    EXPECT_TRUE(h.sink.messages.empty()) << c.what;
    EXPECT_EQ(h.flushed(), "") << c.what << ": nothing is sent on a protocol error";
  }
}

// ---- the bounds on a peer's metadata (metadata_codec.hpp) ----

// Socket-Type PUSH and then X- properties "X-1", "X-2", ... with `value_size`-octet values,
// `count` properties in all.
std::string push_properties(std::size_t count, std::size_t value_size = 0, std::size_t name_size = 0) {
  std::string p = prop("Socket-Type", "PUSH");
  for (std::size_t i = 1; i < count; ++i) {
    std::string name = "X-" + std::to_string(i);
    if (name.size() < name_size) name += std::string(name_size - name.size(), 'n');
    p += prop(name, std::string(value_size, 'v'));
  }
  return p;
}

std::size_t metadata_cost_of(const std::string& props) {
  std::vector<property_view> views;
  EXPECT_EQ(parse_properties(B(props), views), nullptr);
  return metadata_cost(views);
}

void expect_refused_metadata(const std::string& props, const char* what) {
  harness h(config_for(socket_type::pull));
  h.feed(libzmq_greeting() + ready_frame(props));
  ASSERT_EQ(h.sink.errors.size(), 1U) << what;
  EXPECT_EQ(h.error().kind, error_kind::protocol) << what;
  EXPECT_EQ(h.error().code, protocol_code::zmtp_invalid_metadata) << what << ": " << describe(h.error());
  EXPECT_TRUE(h.sink.handshakes.empty()) << what;
  EXPECT_FALSE(h.conn->handshake_complete()) << what;
}

void expect_accepted_metadata(const std::string& props, std::size_t kept, const char* what) {
  harness h(config_for(socket_type::pull));
  h.feed(libzmq_greeting() + ready_frame(props));
  ASSERT_TRUE(h.sink.errors.empty()) << what << ": " << describe(h.error());
  ASSERT_EQ(h.sink.handshakes.size(), 1U) << what;
  // Socket-Type and Peer-Address, and the `kept` others (X-, Identity).
  EXPECT_EQ(h.sink.handshakes[0].meta->properties().size(), kept + 2) << what;
}

// Issue 15: a READY of empty properties (6 octets each) cost 11 times its size in memory,
// without a limit other than the 64 KiB handshake frame.
TEST(connection, a_ready_with_more_properties_than_the_bound_is_refused) {
  expect_refused_metadata(push_properties(max_peer_properties + 1), "one property too many");
  std::string empty_ones = prop("Socket-Type", "PUSH");
  for (int i = 0; i < 10000; ++i) empty_ones += prop("X", "");  // 60 KB, within the frame cap
  expect_refused_metadata(empty_ones, "10,000 empty properties");
}

TEST(connection, a_ready_whose_metadata_costs_more_than_the_bound_is_refused) {
  // 100 properties of 255-octet names and 310-octet values: 57 KB on the wire (within the
  // handshake frame cap), 66 KB of cost with the overhead per property.
  const std::string props = push_properties(100, 310, 255);
  ASSERT_LT(props.size(), connection_config{}.handshake_max_frame);
  ASSERT_GT(metadata_cost_of(props), max_peer_metadata_cost);
  expect_refused_metadata(props, "over the cost bound");
}

TEST(connection, metadata_within_the_bounds_is_accepted) {
  expect_accepted_metadata(push_properties(max_peer_properties), max_peer_properties - 1,
                           "at the count bound");
  const std::string near_cost = push_properties(100, 300, 255);
  ASSERT_LE(metadata_cost_of(near_cost), max_peer_metadata_cost);
  expect_accepted_metadata(near_cost, 99, "just under the cost bound");
  // What libzmq sends: Socket-Type, a 255-octet Identity, a few ZMQ_METADATA properties.
  expect_accepted_metadata(prop("Socket-Type", "PUSH") + prop("Identity", std::string(255, 'i')) +
                               prop("X-Service", "billing") + prop("X-Version", "4.3.4"),
                           3, "libzmq-like");
}

TEST(connection, handshake_cap_fails_with_the_header_alone) {
  harness h(config_for(socket_type::pull));
  h.feed(libzmq_greeting());
  // A long frame claiming 2^62 octets: refused before a single body octet arrives.
  EXPECT_EQ(h.feed(hex("06 40 00 00 00 00 00 00 00")), 9U);
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.error().code, EMSGSIZE);
}

TEST(connection, socket_type_mismatch_closes_without_error_command) {
  harness h(config_for(socket_type::push));
  drain(h.out);
  h.feed(libzmq_greeting() + ready_frame(prop("Socket-Type", "PUSH")));
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_NE(h.error().text.find("PUSH"), std::string::npos);
  EXPECT_FALSE(h.conn->has_pending_output());
}

TEST(connection, compatibility_table_of_rfc_23) {
  const std::vector<socket_type> all{socket_type::pair,   socket_type::pub,  socket_type::sub,
                                     socket_type::req,    socket_type::rep,  socket_type::dealer,
                                     socket_type::router, socket_type::pull, socket_type::push,
                                     socket_type::xpub,   socket_type::xsub};
  int accepted = 0;
  for (auto ours : all) {
    for (auto theirs : all) {
      harness h(config_for(ours));
      h.feed(libzmq_greeting() + ready_frame(prop("Socket-Type", std::string(to_string(theirs)))));
      const bool ok = h.sink.errors.empty();
      EXPECT_EQ(ok, compatible(ours, theirs)) << to_string(ours) << " <- " << to_string(theirs);
      accepted += ok ? 1 : 0;
    }
  }
  EXPECT_EQ(accepted, 21);  // the '*' cells of the rfc 23 table for these 11 types
}

TEST(connection, peer_error_during_handshake_is_fatal) {
  {
    harness h(config_for(socket_type::dealer));
    h.feed(libzmq_greeting() + command_frame("\x05"
                                             "ERROR\x03"
                                             "400"s));
    ASSERT_EQ(h.sink.errors.size(), 1U);
    EXPECT_EQ(h.error().kind, error_kind::auth);
    EXPECT_EQ(h.error().code, 400);
    EXPECT_TRUE(h.error().from_peer);
  }
  {
    harness h(config_for(socket_type::dealer));
    h.feed(libzmq_greeting() + command_frame("\x05"
                                             "ERROR\x0a"
                                             "go away!!!"s));
    ASSERT_EQ(h.sink.errors.size(), 1U);
    EXPECT_EQ(h.error().kind, error_kind::protocol);
    EXPECT_TRUE(h.error().from_peer);
    EXPECT_NE(h.error().text.find("go away"), std::string::npos);
  }
}

// libzmq 4.3.4's PLAIN server sends its ERROR as 5e 'RROR' (a hex escape in its source
// swallows the 'E'); it still means "refused with status 400".
TEST(connection, libzmq_plain_error_quirk_is_read_as_error) {
  harness h(config_for(socket_type::dealer));
  h.feed(libzmq_greeting() + command_frame("\x5e"
                                           "RROR\x03"
                                           "400"s));
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.error().kind, error_kind::auth);
  EXPECT_EQ(h.error().code, 400);
  EXPECT_TRUE(h.error().from_peer);
}

TEST(connection, no_events_after_an_error) {
  harness h(config_for(socket_type::pull));
  h.feed(libzmq_greeting() + data_frame("early"));
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.feed(ready_frame(prop("Socket-Type", "PUSH")) + data_frame("x")),
            ready_frame(prop("Socket-Type", "PUSH")).size() + 3);
  h.conn->on_timer(t0 + std::chrono::hours{10});
  EXPECT_EQ(h.sink.errors.size(), 1U);
  EXPECT_TRUE(h.sink.handshakes.empty());
  EXPECT_TRUE(h.sink.messages.empty());
  EXPECT_FALSE(h.conn->next_deadline());
}

// ---- traffic ----

std::unique_ptr<harness> ready_pull(int minor = 1) {
  auto h = std::make_unique<harness>(config_for(socket_type::pull));
  h->feed(greeting("NULL", 3, minor) + ready_frame(prop("Socket-Type", "PUSH")));
  EXPECT_EQ(h->sink.handshakes.size(), 1U);
  h->flushed();
  return h;
}

TEST(connection, unknown_commands_after_the_handshake_are_ignored) {
  auto h = ready_pull();
  h->feed(command_frame("\x04JUNKpayload") + command_frame("\x05READY") + command_frame("\x04JOINgroup") +
          data_frame("after"));
  EXPECT_TRUE(h->sink.errors.empty());
  EXPECT_EQ(h->sink.texts(), std::vector<std::string>{"after"});
}

TEST(connection, malformed_commands_after_the_handshake_fail) {
  for (const std::string& bad : {hex("04 00"), hex("04 05 05 50 49 4e 47"), command_frame("\x04PING\x01"s),
                                 hex("05 05 04 50 4f 4e 47")}) {
    auto h = ready_pull();
    h->feed(bad + data_frame("x"));
    ASSERT_EQ(h->sink.errors.size(), 1U) << to_hex(bad);
    EXPECT_TRUE(h->sink.messages.empty());
  }
}

// Fatal (rfc 23), but a ZAP status in it no longer refuses our credentials: the handshake
// is over, and the transport reconnects as after any error.
TEST(connection, peer_error_after_the_handshake_is_fatal_but_not_an_auth_refusal) {
  auto h = ready_pull();
  h->feed(command_frame("\x05"
                        "ERROR\x03"
                        "500"s) +
          data_frame("x"));
  ASSERT_EQ(h->sink.errors.size(), 1U);
  EXPECT_EQ(h->error().kind, error_kind::protocol);
  EXPECT_TRUE(h->error().from_peer);
  EXPECT_TRUE(h->sink.messages.empty());
}

TEST(connection, max_message_size_applies_after_the_handshake) {
  auto c = config_for(socket_type::pull);
  c.max_message_size = 10;
  harness h(std::move(c));
  h.feed(libzmq_greeting() +
         ready_frame(prop("Socket-Type", "PUSH") + prop("X-Long", std::string(100, 'l'))));
  ASSERT_TRUE(h.sink.errors.empty());  // the handshake frame is above 10: the handshake cap applies
  h.feed(data_frame(std::string(10, 'a')));
  EXPECT_EQ(h.sink.messages.size(), 1U);
  EXPECT_EQ(h.feed(hex("00 0b")), 2U);
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.error().code, EMSGSIZE);
}

TEST(connection, large_message_across_many_chunks) {
  auto h = ready_pull();
  std::string body(2 * 1024 * 1024 + 3, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i % 253);
  const std::string stream = data_frame(body);
  for (std::size_t pos = 0; pos < stream.size(); pos += 1460) h->feed(stream.substr(pos, 1460));
  ASSERT_EQ(h->sink.messages.size(), 1U);
  EXPECT_TRUE(h->sink.messages[0].view() == body);
  EXPECT_EQ(h->sink.messages[0].property("Socket-Type").value(), "PUSH");
}

TEST(connection, send_is_refused_until_the_handshake_is_flushed) {
  harness h(config_for(socket_type::push));
  EXPECT_FALSE(h.conn->send(message("early"s), h.out));
  h.feed(libzmq_greeting() + ready_frame(prop("Socket-Type", "PULL")));
  ASSERT_TRUE(h.conn->handshake_complete());
  EXPECT_FALSE(h.conn->send(message("still early"s), h.out));
  EXPECT_TRUE(h.conn->has_pending_output());  // the encode side waits to be opened
  h.conn->flush_pending(h.out);
  EXPECT_FALSE(h.conn->has_pending_output());
  EXPECT_TRUE(h.conn->send(message("now"s), h.out));
}

TEST(connection, sends_the_push_multipart_capture_byte_for_byte) {
  harness h(config_for(socket_type::push));
  h.feed(libzmq_greeting() + ready_frame(prop("Socket-Type", "PULL")));
  h.flushed();
  drain(h.out);
  message hi("hi"s);
  message_access::set_flags(hi, message_access::more);
  message empty;
  message_access::set_flags(empty, message_access::more);
  ASSERT_TRUE(h.conn->send(std::move(hi), h.out));
  ASSERT_TRUE(h.conn->send(std::move(empty), h.out));
  ASSERT_TRUE(h.conn->send(message(std::string(300, 'x')), h.out));
  EXPECT_EQ(to_hex(drain(h.out)),
            to_hex(hex("01 02 68 69 01 00 02 00 00 00 00 00 00 01 2c") + std::string(300, 'x')));
}

// ---- subscriptions ----

std::unique_ptr<harness> ready_sub(socket_type ours, int minor) {
  auto h = std::make_unique<harness>(config_for(ours));
  h->feed(greeting("NULL", 3, minor) + ready_frame(prop("Socket-Type", "PUB")));
  EXPECT_EQ(h->sink.handshakes.size(), 1U);
  h->flushed();
  return h;
}

std::string sent(harness& h, std::initializer_list<std::pair<std::string, bool>> frames) {
  for (const auto& [body, more] : frames) {
    message m(body);
    message_access::set(m, message_access::more, more);
    EXPECT_TRUE(h.conn->send(std::move(m), h.out));
  }
  return to_hex(drain(h.out));
}

TEST(connection, sub_sends_commands_to_a_3_1_peer) {
  for (auto type : {socket_type::sub, socket_type::xsub}) {
    auto h = ready_sub(type, 1);
    EXPECT_EQ(sent(*h, {{"\x01"
                         "AB",
                         false}}),
              to_hex(hex("04 0c 09") + "SUBSCRIBE" + "AB"));
    EXPECT_EQ(sent(*h, {{"\x01", false}}), to_hex(hex("04 0a 09") + "SUBSCRIBE"));
    EXPECT_EQ(sent(*h, {{"\x00"
                         "AB"s,
                         false}}),
              to_hex(hex("04 09 06") + "CANCEL" + "AB"));
  }
}

TEST(connection, sub_sends_messages_to_a_3_0_peer) {
  auto h = ready_sub(socket_type::sub, 0);
  EXPECT_EQ(sent(*h, {{"\x01"
                       "AB",
                       false}}),
            "00 03 01 41 42");
  EXPECT_EQ(sent(*h, {{"\x01", false}}), "00 01 01");
  EXPECT_EQ(sent(*h, {{"\x00"
                       "AB"s,
                       false}}),
            "00 03 00 41 42");
}

TEST(connection, only_single_frame_messages_become_subscriptions) {
  auto h = ready_sub(socket_type::xsub, 1);
  // A multipart message whose frames start with 0x01 is data.
  EXPECT_EQ(sent(*h, {{"\x01"
                       "A",
                       true},
                      {"\x01"
                       "B",
                       false}}),
            "01 02 01 41 00 02 01 42");
  EXPECT_EQ(sent(*h, {{"\x02"
                       "A",
                       false}}),
            "00 02 02 41");
  EXPECT_EQ(sent(*h, {{"", false}}), "00 00");
}

TEST(connection, other_sockets_never_rewrite_data) {
  harness h(config_for(socket_type::push));
  h.feed(libzmq_greeting() + ready_frame(prop("Socket-Type", "PULL")));
  h.flushed();
  EXPECT_EQ(sent(h, {{"\x01"
                      "AB",
                      false}}),
            "00 03 01 41 42");
}

TEST(connection, pub_receives_both_subscription_forms_as_messages) {
  for (auto type : {socket_type::pub, socket_type::xpub}) {
    harness h(config_for(type));
    h.feed(libzmq_greeting() + ready_frame(prop("Socket-Type", "SUB")) + hex("04 0c 09") + "SUBSCRIBE" +
           "AB" + hex("04 0a 09") + "SUBSCRIBE" + hex("04 09 06") + "CANCEL" + "AB" + hex("00 03 01 41 42") +
           hex("00 03 00 41 42"));
    ASSERT_TRUE(h.sink.errors.empty()) << describe(h.error());
    // "\x01" "AB" is one string, split so that the escape does not swallow "AB".
    // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
    EXPECT_EQ(h.sink.texts(), (std::vector<std::string>{"\x01"
                                                        "AB",
                                                        "\x01",
                                                        "\x00"
                                                        "AB"s,
                                                        "\x01"
                                                        "AB",
                                                        "\x00"
                                                        "AB"s}));
    for (const auto& m : h.sink.messages) {
      EXPECT_FALSE(m.more());
      EXPECT_FALSE(message_access::has(m, message_access::command));
    }
  }
}

TEST(connection, sub_ignores_subscription_commands) {
  auto h = ready_sub(socket_type::sub, 1);
  h->feed(hex("04 0c 09") + "SUBSCRIBE" + "AB" + data_frame("news"));
  EXPECT_TRUE(h->sink.errors.empty());
  EXPECT_EQ(h->sink.texts(), std::vector<std::string>{"news"});
}

TEST(connection, subscription_inside_a_multipart_message_fails) {
  harness h(config_for(socket_type::xpub));
  h.feed(libzmq_greeting() + ready_frame(prop("Socket-Type", "XSUB")) + data_frame("part", true) +
         hex("04 0a 09") + "SUBSCRIBE");
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.error().code, protocol_code::zmtp_unexpected_command);
}

TEST(connection, ping_inside_a_multipart_message_is_fine) {
  // libzmq's encoder may put a PING between two frames of a message.
  auto h = ready_pull();
  h->feed(data_frame("a", true) + command_frame("\x04PING\x00\x00"s) + data_frame("b"));
  EXPECT_TRUE(h->sink.errors.empty());
  EXPECT_EQ(h->sink.texts(), (std::vector<std::string>{"a", "b"}));
}

// ---- two connections ----

struct pair_of {
  harness a;
  harness b;
  pair_of(connection_config ca, connection_config cb) : a(std::move(ca)), b(std::move(cb)) {}

  // Moves everything pending between the two until both are quiet, in random chunks.
  void pump(std::mt19937& rng) {
    for (int round = 0; round < 1000; ++round) {
      const std::string ab = a.flushed();
      const std::string ba = b.flushed();
      if (ab.empty() && ba.empty()) return;
      for (std::size_t pos = 0; pos < ab.size();) {
        const std::size_t n = std::min<std::size_t>(1 + rng() % 5000, ab.size() - pos);
        b.feed(ab.substr(pos, n));
        pos += n;
      }
      for (std::size_t pos = 0; pos < ba.size();) {
        const std::size_t n = std::min<std::size_t>(1 + rng() % 5000, ba.size() - pos);
        a.feed(ba.substr(pos, n));
        pos += n;
      }
    }
    FAIL() << "did not settle";
  }
};

TEST(connection, two_connections_complete_a_null_handshake_and_talk) {
  auto cd = config_for(socket_type::dealer, "client-7");
  cd.app_properties = {{"X-Version", "1.2"}};
  pair_of p(cd, config_for(socket_type::router, "server"));
  std::mt19937 rng(7);
  p.pump(rng);
  ASSERT_EQ(p.a.sink.handshakes.size(), 1U);
  ASSERT_EQ(p.b.sink.handshakes.size(), 1U);
  EXPECT_EQ(p.b.sink.handshakes[0].peer_routing_id, "client-7");
  EXPECT_EQ(p.b.sink.handshakes[0].peer_type, socket_type::dealer);
  EXPECT_EQ(p.b.sink.handshakes[0].meta->find("X-Version").value(), "1.2");
  EXPECT_EQ(p.a.sink.handshakes[0].peer_routing_id, "server");

  std::string big(1 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 % 256);
  for (int i = 0; i < 10; ++i) {
    message part("req-" + std::to_string(i));
    message_access::set_flags(part, message_access::more);
    ASSERT_TRUE(p.a.conn->send(std::move(part), p.a.out));
    ASSERT_TRUE(
        p.a.conn->send(message(i == 5 ? big : std::string(static_cast<std::size_t>(i * 100), 'p')), p.a.out));
    ASSERT_TRUE(p.b.conn->send(message("rep-" + std::to_string(i)), p.b.out));
  }
  p.pump(rng);
  ASSERT_TRUE(p.a.sink.errors.empty());
  ASSERT_TRUE(p.b.sink.errors.empty());
  ASSERT_EQ(p.b.sink.messages.size(), 20U);
  ASSERT_EQ(p.a.sink.messages.size(), 10U);
  for (int i = 0; i < 10; ++i) {
    const auto k = static_cast<std::size_t>(i);
    EXPECT_EQ(p.b.sink.messages[2 * k].view(), "req-" + std::to_string(i));
    EXPECT_TRUE(p.b.sink.messages[2 * k].more());
    EXPECT_EQ(p.b.sink.messages[2 * k + 1].size(), i == 5 ? big.size() : k * 100);
    EXPECT_FALSE(p.b.sink.messages[2 * k + 1].more());
    EXPECT_EQ(p.a.sink.messages[k].view(), "rep-" + std::to_string(i));
  }
  EXPECT_TRUE(p.b.sink.messages[11].view() == big);
}

TEST(connection, two_connections_exchange_subscriptions) {
  for (int minor : {0, 1}) {
    pair_of p(config_for(socket_type::sub), config_for(socket_type::xpub));
    if (minor == 0) {
      // Make b look like a 3.0 peer to a: patch b's greeting on its way.
      std::string g = p.b.flushed();
      g[11] = 0;
      p.a.feed(g);
    }
    std::mt19937 rng(3);
    p.pump(rng);
    ASSERT_EQ(p.a.sink.handshakes.size(), 1U);
    ASSERT_TRUE(p.a.conn->send(message("\x01topic"s), p.a.out));
    ASSERT_TRUE(p.a.conn->send(message("\x00topic"s), p.a.out));
    const std::string wire = p.a.flushed();
    EXPECT_EQ(wire.find("SUBSCRIBE") != std::string::npos, minor == 1);
    p.b.feed(wire);
    EXPECT_EQ(p.b.sink.texts(), (std::vector<std::string>{"\x01topic", "\x00topic"s})) << minor;
  }
}

}  // namespace
}  // namespace ringmq::zmtp::test
