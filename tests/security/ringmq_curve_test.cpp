// CURVE, PLAIN and ZAP between ringmq peers over tcp (and ipc): the built-in authenticator's
// policies, hand-written ZAP handlers (request frames as libzmq sends them, every reply
// status), and what each refusal looks like on both monitors.
#include "security/support.hpp"

#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace sec_test {
namespace {

using ringmq::monitor_event;
using ringmq::socket_type;
namespace opt = ringmq::opt;

constexpr int cryptographic = 0x11000001;
constexpr int zap_malformed_reply = 0x20000001;

// A bound server and its monitor.
struct server {
  ringmq::socket sock;
  ringmq::monitor mon;
  std::string endpoint;
  server(ringmq::context& ctx, socket_type type, const std::function<void(ringmq::socket&)>& setup,
         const std::string& where = "tcp://127.0.0.1:*")
      : sock(ctx, type) {
    setup(sock);
    mon = sock.monitor();
    sock.bind(where);
    endpoint = sock.last_endpoint();
  }
};

// A connecting client and its monitor.
struct client {
  ringmq::socket sock;
  ringmq::monitor mon;
  client(ringmq::context& ctx, socket_type type, const std::function<void(ringmq::socket&)>& setup,
         const std::string& endpoint)
      : sock(ctx, type) {
    setup(sock);
    sock.set(opt::reconnect_ivl, std::chrono::milliseconds(20));
    mon = sock.monitor();
    sock.connect(endpoint);
  }
};

void curve_server_setup(ringmq::socket& s) { make_curve_server(s); }
void curve_client_setup(ringmq::socket& s) { make_curve_client(s); }

// Both sides report the handshake, then one message goes through; returns its User-Id.
std::optional<std::string> expect_traffic(server& srv, client& cli) {
  EXPECT_TRUE(wait_event(cli.mon, monitor_event::handshake_succeeded)) << "client handshake";
  EXPECT_TRUE(wait_event(srv.mon, monitor_event::handshake_succeeded)) << "server handshake";
  send_parts(cli.sock, {"hello"});
  srv.sock.set(opt::rcvtimeo, safety);
  auto m = srv.sock.recv();
  EXPECT_TRUE(m);
  if (!m) return std::nullopt;
  EXPECT_EQ(m->to_string(), "hello");
  auto uid = m->property("User-Id");
  return uid ? std::optional<std::string>(std::string(*uid)) : std::nullopt;
}

// The client was refused with ZAP status `status` and gives up: no second attempt.
void expect_refused(server& srv, client& cli, int status) {
  auto e = wait_event(cli.mon, monitor_event::handshake_failed_auth);
  ASSERT_TRUE(e) << "client saw no HANDSHAKE_FAILED_AUTH";
  EXPECT_EQ(e->value, status);
  auto s = wait_event(srv.mon, monitor_event::handshake_failed_auth);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->value, status);
  EXPECT_FALSE(sees_event(cli.mon, monitor_event::connected, quiet)) << "the refused client reconnected";
  EXPECT_FALSE(recv_text(srv.sock, std::chrono::milliseconds(1)));
}

TEST(ringmq_curve, without_zap_handler_any_client_that_knows_the_server_key_connects) {
  ringmq::context ctx;
  server srv(ctx, socket_type::pull, curve_server_setup);
  const auto other = ringmq::generate_curve_keypair();
  client cli(
      ctx, socket_type::push,
      [&](ringmq::socket& s) { make_curve_client(s, server_public, other.public_key, other.secret_key); },
      srv.endpoint);
  EXPECT_EQ(expect_traffic(srv, cli), std::nullopt);  // no ZAP, no User-Id
}

TEST(ringmq_curve, authenticator_admits_a_known_key_and_sets_user_id) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  const std::vector<std::string> keys{std::string(client_public)};
  auth.allow_curve_keys("*", keys);
  server srv(ctx, socket_type::pull, curve_server_setup);
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  EXPECT_EQ(expect_traffic(srv, cli), std::string(client_public));
  EXPECT_EQ(auth.stats().requests, 1U);
  EXPECT_EQ(auth.stats().accepted, 1U);
}

TEST(ringmq_curve, authenticator_refuses_an_unknown_key_and_keeps_serving) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  const std::vector<std::string> keys{std::string(client_public)};
  auth.allow_curve_keys("*", keys);
  server srv(ctx, socket_type::pull, curve_server_setup);
  const auto stranger = ringmq::generate_curve_keypair();
  {
    client bad(
        ctx, socket_type::push,
        [&](ringmq::socket& s) {
          make_curve_client(s, server_public, stranger.public_key, stranger.secret_key);
        },
        srv.endpoint);
    send_parts(bad.sock, {"must not arrive"});
    expect_refused(srv, bad, 400);
    EXPECT_EQ(auth.stats().requests, 1U);
  }
  client good(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  EXPECT_EQ(expect_traffic(srv, good), std::string(client_public));
}

TEST(ringmq_curve, wrong_server_key_fails_cryptographically) {
  ringmq::context ctx;
  server srv(ctx, socket_type::pull, curve_server_setup);
  const auto impostor = ringmq::generate_curve_keypair();
  client cli(
      ctx, socket_type::push,
      [&](ringmq::socket& s) { make_curve_client(s, impostor.public_key, client_public, client_secret); },
      srv.endpoint);
  send_parts(cli.sock, {"must not arrive"});
  auto e = wait_event(srv.mon, monitor_event::handshake_failed_protocol);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->value, cryptographic);
  EXPECT_FALSE(recv_text(srv.sock, quiet));
  client good(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  expect_traffic(srv, good);
}

TEST(ringmq_curve, allow_any_and_certificate_directories) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  auth.configure_curve("*", std::filesystem::path(ringmq::curve_allow_any));
  server srv(ctx, socket_type::pull, curve_server_setup);
  const auto anyone = ringmq::generate_curve_keypair();
  {
    client cli(
        ctx, socket_type::push,
        [&](ringmq::socket& s) { make_curve_client(s, server_public, anyone.public_key, anyone.secret_key); },
        srv.endpoint);
    EXPECT_EQ(expect_traffic(srv, cli), anyone.public_key);
  }
  // Now only the certificates in a directory, for new connections.
  const auto dir =
      std::filesystem::temp_directory_path() / ("ringmq-sec-certs-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto files = ringmq::create_curve_certificates(dir, "client");
  const auto cert = ringmq::load_curve_certificate(files.secret_file);
  auth.configure_curve("*", dir);
  {
    client cli(
        ctx, socket_type::push,
        [&](ringmq::socket& s) { make_curve_client(s, server_public, cert.public_key, cert.secret_key); },
        srv.endpoint);
    EXPECT_EQ(expect_traffic(srv, cli), cert.public_key);
  }
  client refused(
      ctx, socket_type::push,
      [&](ringmq::socket& s) { make_curve_client(s, server_public, anyone.public_key, anyone.secret_key); },
      srv.endpoint);
  expect_refused(srv, refused, 400);
  std::filesystem::remove_all(dir);
}

TEST(ringmq_curve, policy_changes_apply_to_new_connections) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  auth.allow_curve_keys("*", std::vector<std::string>{});
  server srv(ctx, socket_type::pull, curve_server_setup);
  {
    client first(ctx, socket_type::push, curve_client_setup, srv.endpoint);
    expect_refused(srv, first, 400);
  }
  auth.allow_curve_keys("*", std::vector<std::string>{std::string(client_public)});
  client second(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  EXPECT_EQ(expect_traffic(srv, second), std::string(client_public));
}

TEST(ringmq_curve, callback_decides) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  std::atomic<int> asked{0};
  auth.configure_curve_callback("*", [&](std::string_view domain, std::string_view key) {
    ++asked;
    return domain == "*" && key == client_public;
  });
  server srv(ctx, socket_type::pull, curve_server_setup);
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  expect_traffic(srv, cli);
  EXPECT_EQ(asked.load(), 1);
}

TEST(ringmq_curve, user_id_mapping_names_accepted_clients) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  auth.configure_curve("*", std::filesystem::path(ringmq::curve_allow_any));
  std::string mapped_key;
  auth.set_curve_user_id([&](std::string_view key) {
    mapped_key = key;
    return std::string("custom");
  });
  server srv(ctx, socket_type::pull, curve_server_setup);
  {
    client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
    EXPECT_EQ(expect_traffic(srv, cli), "custom");
  }
  EXPECT_EQ(mapped_key, client_public);
  auth.set_curve_user_id({});  // back to the key's Z85
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  EXPECT_EQ(expect_traffic(srv, cli), std::string(client_public));
}

TEST(ringmq_curve, user_id_mapping_that_throws_refuses) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  auth.configure_curve("*", std::filesystem::path(ringmq::curve_allow_any));
  auth.set_curve_user_id([](std::string_view) -> std::string { throw std::runtime_error("no name"); });
  server srv(ctx, socket_type::pull, curve_server_setup);
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  expect_refused(srv, cli, 400);
}

TEST(ringmq_curve, address_allow_and_deny_lists) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  auth.configure_curve("*", std::filesystem::path(ringmq::curve_allow_any));
  auth.deny("127.0.0.1");
  EXPECT_THROW(auth.allow("10.0.0.1"), ringmq::error);
  server srv(ctx, socket_type::pull, curve_server_setup);
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  expect_refused(srv, cli, 400);
}

TEST(ringmq_curve, allow_list_admits_listed_addresses_only) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  auth.configure_curve("*", std::filesystem::path(ringmq::curve_allow_any));
  auth.allow("10.9.9.9");
  server srv(ctx, socket_type::pull, curve_server_setup);
  {
    client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
    expect_refused(srv, cli, 400);
  }
  auth.allow("127.0.0.1");
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  expect_traffic(srv, cli);
}

TEST(ringmq_curve, enforce_domain_without_handler_fails) {
  ringmq::context ctx;
  server srv(ctx, socket_type::pull, [](ringmq::socket& s) {
    make_curve_server(s);
    s.set(opt::zap_enforce_domain, true);
  });
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  auto e = wait_event(srv.mon, monitor_event::handshake_failed_no_detail);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->value, EFAULT);
}

TEST(ringmq_curve, over_ipc) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  auth.allow_curve_keys("*", std::vector<std::string>{std::string(client_public)});
  const std::string path = "ipc://@ringmq-sec-" + std::to_string(::getpid());
  server srv(ctx, socket_type::pull, curve_server_setup, path);
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  EXPECT_EQ(expect_traffic(srv, cli), std::string(client_public));
}

TEST(ringmq_curve, heartbeats_keep_an_idle_connection) {
  ringmq::context ctx;
  auto hb = [](ringmq::socket& s) {
    s.set(opt::heartbeat_ivl, std::chrono::milliseconds(30));
    s.set(opt::heartbeat_timeout, std::chrono::milliseconds(120));
  };
  server srv(ctx, socket_type::pull, [&](ringmq::socket& s) {
    make_curve_server(s);
    hb(s);
  });
  client cli(
      ctx, socket_type::push,
      [&](ringmq::socket& s) {
        make_curve_client(s);
        hb(s);
      },
      srv.endpoint);
  ASSERT_TRUE(wait_event(cli.mon, monitor_event::handshake_succeeded));
  // Idle for many heartbeat timeouts: a PING or PONG lost in the box would cut it.
  EXPECT_FALSE(sees_event(cli.mon, monitor_event::disconnected, 600ms));
  EXPECT_FALSE(sees_event(srv.mon, monitor_event::disconnected, 1ms));
  send_parts(cli.sock, {"still here"});
  EXPECT_EQ(recv_text(srv.sock), "still here");
}

// ---- PLAIN and NULL with the authenticator ----

TEST(ringmq_plain, passwords) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  auth.configure_plain("*", {{"admin", "secret"}});
  server srv(ctx, socket_type::rep, [](ringmq::socket& s) { s.set(opt::plain_server, true); });
  // A wrong password (same length, shorter, longer) and an unknown user: all refused alike.
  for (const auto& [user, password] : {std::pair<std::string, std::string>{"admin", "guess!"},
                                       {"admin", "secre"},
                                       {"admin", "secrets"},
                                       {"root", "secret"}}) {
    // Init-captures: clang before 16 cannot capture a structured binding.
    client bad(
        ctx, socket_type::req,
        [&u = user, &p = password](ringmq::socket& s) {
          s.set(opt::plain_username, u);
          s.set(opt::plain_password, p);
        },
        srv.endpoint);
    expect_refused(srv, bad, 400);
  }
  client good(
      ctx, socket_type::req,
      [](ringmq::socket& s) {
        s.set(opt::plain_username, "admin");
        s.set(opt::plain_password, "secret");
      },
      srv.endpoint);
  EXPECT_EQ(expect_traffic(srv, good), "admin");
  send_parts(srv.sock, {"reply"});
  EXPECT_EQ(recv_text(good.sock), "reply");
}

TEST(ringmq_plain, server_without_handler_refuses) {
  ringmq::context ctx;
  server srv(ctx, socket_type::rep, [](ringmq::socket& s) { s.set(opt::plain_server, true); });
  client cli(
      ctx, socket_type::req,
      [](ringmq::socket& s) {
        s.set(opt::plain_username, "admin");
        s.set(opt::plain_password, "secret");
      },
      srv.endpoint);
  auto e = wait_event(srv.mon, monitor_event::handshake_failed_no_detail);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->value, EFAULT);
}

TEST(ringmq_null, zap_domain_asks_the_authenticator) {
  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  auth.deny("127.0.0.1");
  server srv(ctx, socket_type::pull, [](ringmq::socket& s) { s.set(opt::zap_domain, "global"); });
  {
    client cli(
        ctx, socket_type::push, [](ringmq::socket&) {}, srv.endpoint);
    expect_refused(srv, cli, 400);
  }
  ringmq::context ctx2;
  ringmq::authenticator auth2(ctx2);
  server srv2(ctx2, socket_type::pull, [](ringmq::socket& s) { s.set(opt::zap_domain, "global"); });
  client cli2(
      ctx2, socket_type::push, [](ringmq::socket&) {}, srv2.endpoint);
  EXPECT_EQ(expect_traffic(srv2, cli2), "anonymous");
}

// ---- A hand-written ZAP handler (a ringmq ROUTER) ----

struct router_handler {
  ringmq::socket sock;
  explicit router_handler(ringmq::context& ctx) : sock(ctx, socket_type::router) {
    sock.bind("inproc://zeromq.zap.01");
  }
  // The request as received: [routing id, "", version, id, domain, address, identity, mechanism, creds...].
  strings next() {
    auto r = recv_parts(sock);
    return r ? *r : strings{};
  }
  void reply(const strings& request, const strings& answer) {
    strings out{request[0], ""};
    out.insert(out.end(), answer.begin(), answer.end());
    send_parts(sock, out);
  }
};

TEST(ringmq_zap, request_frames_and_reply_metadata) {
  ringmq::context ctx;
  router_handler handler(ctx);
  server srv(ctx, socket_type::router, [](ringmq::socket& s) {
    make_curve_server(s);
    s.set(opt::zap_domain, "tenant-a");
    s.set(opt::routing_id, "SRVID");
  });
  client cli(ctx, socket_type::dealer, curve_client_setup, srv.endpoint);
  const strings req = handler.next();
  ASSERT_EQ(req.size(), 9U);
  const auto key = ringmq::z85_decode(client_public);
  const strings expected{
      "",          "1.0",   "1",     "tenant-a",
      "127.0.0.1", "SRVID", "CURVE", std::string(reinterpret_cast<const char*>(key->data()), 32)};
  EXPECT_EQ(strings(req.begin() + 1, req.end()), expected);
  handler.reply(req, {"1.0", "1", "200", "OK", "user-7", prop("X-Tenant", "a") + prop("Hello", "world")});
  ASSERT_TRUE(wait_event(cli.mon, monitor_event::handshake_succeeded));
  send_parts(cli.sock, {"m"});
  srv.sock.set(opt::rcvtimeo, safety);
  std::vector<ringmq::message> parts;
  ASSERT_TRUE(srv.sock.recv_multipart(std::back_inserter(parts)));
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(parts[1].property("User-Id"), "user-7");
  EXPECT_EQ(parts[1].property("X-Tenant"), "a");
  EXPECT_EQ(parts[1].property("Hello"), "world");
}

TEST(ringmq_zap, status_500_stops_the_client) {
  ringmq::context ctx;
  router_handler handler(ctx);
  server srv(ctx, socket_type::pull, curve_server_setup);
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  handler.reply(handler.next(), {"1.0", "1", "500", "internal", "", ""});
  expect_refused(srv, cli, 500);
}

TEST(ringmq_zap, status_300_closes_silently_and_the_client_retries) {
  ringmq::context ctx;
  router_handler handler(ctx);
  server srv(ctx, socket_type::pull, curve_server_setup);
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  handler.reply(handler.next(), {"1.0", "1", "300", "try later", "", ""});
  auto e = wait_event(srv.mon, monitor_event::handshake_failed_auth);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->value, 300);
  // No ERROR: the client saw a closed connection, not a refusal, and comes back.
  const strings again = handler.next();
  ASSERT_FALSE(again.empty()) << "no second ZAP request after 300";
  handler.reply(again, {"1.0", "1", "200", "OK", "", ""});
  expect_traffic(srv, cli);
}

TEST(ringmq_zap, malformed_replies_fail_the_handshake) {
  ringmq::context ctx;
  router_handler handler(ctx);
  server srv(ctx, socket_type::pull, curve_server_setup);
  client cli(ctx, socket_type::push, curve_client_setup, srv.endpoint);
  handler.reply(handler.next(), {"1.0", "1", "200", "OK", ""});  // 6 frames
  auto e = wait_event(srv.mon, monitor_event::handshake_failed_protocol);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->value, zap_malformed_reply);
  EXPECT_FALSE(recv_text(srv.sock, quiet));
}

}  // namespace
}  // namespace sec_test
