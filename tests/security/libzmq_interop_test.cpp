// CURVE and PLAIN against Debian's libzmq 4.3.4 (and pyzmq on top of it) in both roles:
// every pattern with subscriptions and heartbeats inside the box, libzmq's own ZAP handler on
// its side and ringmq's authenticator on ours, refusals seen from both monitors. The keys are
// libzmq's fixed perf-tool keys, set as Z85 text on both libraries.
#include "security/support.hpp"

#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>
#include <zmq.h>

#include <cstdio>
#include <memory>

namespace sec_test {
namespace {

using ringmq::monitor_event;
using ringmq::socket_type;
namespace opt = ringmq::opt;

std::string binary_key(std::string_view z85) {
  const auto b = ringmq::z85_decode(z85);
  return std::string(reinterpret_cast<const char*>(b->data()), b->size());
}

// One socket of either library behind the operations the scenarios need.
struct side {
  virtual ~side() = default;
  virtual void send(const strings& parts) = 0;
  virtual std::optional<strings> recv(std::chrono::milliseconds timeout = safety) = 0;
  virtual std::string user_id() const = 0;  // User-Id of the last message received
  virtual void subscribe(const std::string& topic) = 0;
};

struct ringmq_side final : side {
  ringmq::socket& s;
  std::string uid;
  explicit ringmq_side(ringmq::socket& sock) : s(sock) {}
  void send(const strings& parts) override { send_parts(s, parts); }
  std::optional<strings> recv(std::chrono::milliseconds timeout) override {
    s.set(opt::rcvtimeo, timeout);
    std::vector<ringmq::message> parts;
    if (!s.recv_multipart(std::back_inserter(parts))) return std::nullopt;
    strings out;
    for (auto& p : parts) out.push_back(p.to_string());
    const auto u = parts.back().property("User-Id");
    uid = u ? std::string(*u) : std::string();
    return out;
  }
  std::string user_id() const override { return uid; }
  void subscribe(const std::string& topic) override { s.set(opt::subscribe, topic); }
};

struct libzmq_side final : side {
  zsock& s;
  std::string uid;
  explicit libzmq_side(zsock& sock) : s(sock) {}
  void send(const strings& parts) override { zsend(s, parts); }
  std::optional<strings> recv(std::chrono::milliseconds timeout) override {
    auto r = zrecv_with_property(s, "User-Id", timeout);
    if (!r) return std::nullopt;
    uid = r->second;
    return r->first;
  }
  std::string user_id() const override { return uid; }
  void subscribe(const std::string& topic) override { s.set(ZMQ_SUBSCRIBE, topic); }
};

enum class pattern { push_pull, req_rep, dealer_router, pub_sub };
enum class role { ringmq_server, libzmq_server };

struct pattern_types {
  socket_type server_type;
  socket_type client_type;
  int zserver;
  int zclient;
};

pattern_types types_of(pattern p) {
  switch (p) {
    case pattern::push_pull: return {socket_type::pull, socket_type::push, ZMQ_PULL, ZMQ_PUSH};
    case pattern::req_rep: return {socket_type::rep, socket_type::req, ZMQ_REP, ZMQ_REQ};
    case pattern::dealer_router: return {socket_type::router, socket_type::dealer, ZMQ_ROUTER, ZMQ_DEALER};
    case pattern::pub_sub: break;
  }
  return {socket_type::pub, socket_type::sub, ZMQ_PUB, ZMQ_SUB};
}

// The exchange of each pattern; `server` must report `expected_user` on what it receives.
void exchange(pattern p, side& server, side& client, const std::string& expected_user) {
  switch (p) {
    case pattern::push_pull: {
      client.send({"one", "two"});
      client.send({std::string(100000, 'z')});
      EXPECT_EQ(server.recv(), (strings{"one", "two"}));
      EXPECT_EQ(server.user_id(), expected_user);
      EXPECT_EQ(server.recv(), strings{std::string(100000, 'z')});
      return;
    }
    case pattern::req_rep:
      for (int i = 0; i < 3; ++i) {
        client.send({"ping " + std::to_string(i)});
        EXPECT_EQ(server.recv(), strings{"ping " + std::to_string(i)});
        EXPECT_EQ(server.user_id(), expected_user);
        server.send({"pong " + std::to_string(i)});
        EXPECT_EQ(client.recv(), strings{"pong " + std::to_string(i)});
      }
      return;
    case pattern::dealer_router: {
      client.send({"hi"});
      auto r = server.recv();
      ASSERT_TRUE(r);
      ASSERT_EQ(r->size(), 2U);
      EXPECT_EQ((*r)[1], "hi");
      EXPECT_EQ(server.user_id(), expected_user);
      server.send({(*r)[0], "yo", "multi"});
      EXPECT_EQ(client.recv(), (strings{"yo", "multi"}));
      return;
    }
    case pattern::pub_sub: {
      // The subscription travels inside the box; until it arrives the publisher drops, so
      // publish until the first matching message shows up (bounded by `safety`).
      client.subscribe("A");
      const auto deadline = std::chrono::steady_clock::now() + safety;
      std::optional<strings> got;
      while (!got && std::chrono::steady_clock::now() < deadline) {
        server.send({"B", "filtered out"});
        server.send({"A", "wanted"});
        got = client.recv(20ms);
      }
      ASSERT_TRUE(got) << "no subscribed message within the deadline";
      EXPECT_EQ(*got, (strings{"A", "wanted"}));
      while (auto more = client.recv(20ms)) EXPECT_EQ((*more)[0], "A");  // prefix filtering held
      return;
    }
  }
}

struct interop_param {
  pattern p;
  role r;
};

std::string name_of(const testing::TestParamInfo<interop_param>& info) {
  static const char* patterns[] = {"push_pull", "req_rep", "dealer_router", "pub_sub"};
  return std::string(patterns[static_cast<int>(info.param.p)]) +
         (info.param.r == role::ringmq_server ? "_ringmq_server" : "_libzmq_server");
}

class curve_interop : public testing::TestWithParam<interop_param> {};

TEST_P(curve_interop, pattern_with_zap) {
  const auto [p, r] = GetParam();
  const pattern_types t = types_of(p);
  zctx zc;
  ringmq::context rc;
  if (r == role::ringmq_server) {
    ringmq::authenticator auth(rc);
    auth.allow_curve_keys("*", std::vector<std::string>{std::string(client_public)});
    ringmq::socket srv(rc, t.server_type);
    make_curve_server(srv);
    auto srv_mon = srv.monitor();
    srv.bind("tcp://127.0.0.1:*");
    zsock cli(zc, t.zclient);
    cli.make_curve_client();
    zmonitor cli_mon(zc, cli);
    cli.connect(srv.last_endpoint());
    ASSERT_TRUE(cli_mon.wait(ZMQ_EVENT_HANDSHAKE_SUCCEEDED)) << "libzmq client handshake";
    ASSERT_TRUE(wait_event(srv_mon, monitor_event::handshake_succeeded)) << "ringmq server handshake";
    ringmq_side s(srv);
    libzmq_side c(cli);
    exchange(p, s, c, std::string(client_public));
    EXPECT_EQ(auth.stats().accepted, 1U);
  } else {
    libzmq_zap_handler zap(zc, [](const strings& req) {
      libzmq_zap_handler::answer a;
      if (req.size() != 7 || req[5] != "CURVE" || req[6] != binary_key(client_public)) a.status = "400";
      a.user_id = "perf-client";
      return a;
    });
    zsock srv(zc, t.zserver);
    srv.make_curve_server();
    zmonitor srv_mon(zc, srv);
    const std::string ep = srv.bind("tcp://127.0.0.1:*");
    ringmq::socket cli(rc, t.client_type);
    make_curve_client(cli);
    auto cli_mon = cli.monitor();
    cli.connect(ep);
    ASSERT_TRUE(wait_event(cli_mon, monitor_event::handshake_succeeded)) << "ringmq client handshake";
    ASSERT_TRUE(srv_mon.wait(ZMQ_EVENT_HANDSHAKE_SUCCEEDED)) << "libzmq server handshake";
    libzmq_side s(srv);
    ringmq_side c(cli);
    exchange(p, s, c, "perf-client");
    EXPECT_EQ(zap.requests(), 1);
  }
}

INSTANTIATE_TEST_SUITE_P(all, curve_interop,
                         testing::Values(interop_param{pattern::push_pull, role::ringmq_server},
                                         interop_param{pattern::push_pull, role::libzmq_server},
                                         interop_param{pattern::req_rep, role::ringmq_server},
                                         interop_param{pattern::req_rep, role::libzmq_server},
                                         interop_param{pattern::dealer_router, role::ringmq_server},
                                         interop_param{pattern::dealer_router, role::libzmq_server},
                                         interop_param{pattern::pub_sub, role::ringmq_server},
                                         interop_param{pattern::pub_sub, role::libzmq_server}),
                         name_of);

TEST(curve_interop_zap, ringmq_authenticator_refuses_a_libzmq_client) {
  zctx zc;
  ringmq::context rc;
  ringmq::authenticator auth(rc);
  auth.allow_curve_keys("*", std::vector<std::string>{});
  ringmq::socket srv(rc, socket_type::pull);
  make_curve_server(srv);
  srv.bind("tcp://127.0.0.1:*");
  zsock cli(zc, ZMQ_PUSH);
  cli.make_curve_client();
  zmonitor mon(zc, cli);
  cli.connect(srv.last_endpoint());
  zsend(cli, {"must not arrive"});
  EXPECT_EQ(mon.wait(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH), 400);
  EXPECT_FALSE(recv_text(srv, quiet));
  EXPECT_EQ(auth.stats().requests, 1U);  // libzmq does not retry after ERROR either
}

TEST(curve_interop_zap, libzmq_handler_refuses_a_ringmq_client_which_stops_retrying) {
  zctx zc;
  ringmq::context rc;
  libzmq_zap_handler zap(zc, [](const strings&) { return libzmq_zap_handler::answer{"400", "no", "", ""}; });
  zsock srv(zc, ZMQ_PULL);
  srv.make_curve_server();
  const std::string ep = srv.bind("tcp://127.0.0.1:*");
  ringmq::socket cli(rc, socket_type::push);
  make_curve_client(cli);
  cli.set(opt::reconnect_ivl, std::chrono::milliseconds(20));
  auto mon = cli.monitor();
  cli.connect(ep);
  send_parts(cli, {"must not arrive"});
  auto e = wait_event(mon, monitor_event::handshake_failed_auth);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->value, 400);
  EXPECT_FALSE(sees_event(mon, monitor_event::connected, quiet));
  EXPECT_EQ(zap.requests(), 1);
  EXPECT_FALSE(zrecv(srv, 1ms));
}

TEST(curve_interop_zap, wrong_server_key_both_ways) {
  zctx zc;
  ringmq::context rc;
  const auto other = ringmq::generate_curve_keypair();
  {
    ringmq::socket srv(rc, socket_type::pull);
    make_curve_server(srv);
    auto mon = srv.monitor();
    srv.bind("tcp://127.0.0.1:*");
    zsock cli(zc, ZMQ_PUSH);
    cli.make_curve_client(other.public_key);
    cli.connect(srv.last_endpoint());
    zsend(cli, {"x"});
    auto e = wait_event(mon, monitor_event::handshake_failed_protocol);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->value, ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
    EXPECT_FALSE(recv_text(srv, quiet));
  }
  {
    zsock srv(zc, ZMQ_PULL);
    srv.make_curve_server();
    zmonitor mon(zc, srv);
    const std::string ep = srv.bind("tcp://127.0.0.1:*");
    ringmq::socket cli(rc, socket_type::push);
    make_curve_client(cli, other.public_key);
    cli.connect(ep);
    send_parts(cli, {"x"});
    EXPECT_EQ(mon.wait(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL), ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
    EXPECT_FALSE(zrecv(srv, quiet));
  }
}

// ---- Heartbeats under CURVE: PING and PONG inside the box, both directions ----

TEST(curve_interop_heartbeat, ringmq_client_pings_libzmq_server) {
  zctx zc;
  ringmq::context rc;
  zsock srv(zc, ZMQ_PULL);
  srv.make_curve_server();
  const std::string ep = srv.bind("tcp://127.0.0.1:*");
  ringmq::socket cli(rc, socket_type::push);
  make_curve_client(cli);
  cli.set(opt::heartbeat_ivl, std::chrono::milliseconds(30));
  cli.set(opt::heartbeat_timeout, std::chrono::milliseconds(120));
  auto mon = cli.monitor();
  cli.connect(ep);
  ASSERT_TRUE(wait_event(mon, monitor_event::handshake_succeeded));
  // Without libzmq's PONGs (which must open in our box) the 120 ms timeout would cut it.
  EXPECT_FALSE(sees_event(mon, monitor_event::disconnected, 600ms));
  send_parts(cli, {"after idling"});
  EXPECT_EQ(zrecv(srv), strings{"after idling"});
}

TEST(curve_interop_heartbeat, libzmq_client_pings_ringmq_server) {
  zctx zc;
  ringmq::context rc;
  ringmq::socket srv(rc, socket_type::pull);
  make_curve_server(srv);
  srv.bind("tcp://127.0.0.1:*");
  zsock cli(zc, ZMQ_PUSH);
  cli.make_curve_client();
  cli.set(ZMQ_HEARTBEAT_IVL, 30);
  cli.set(ZMQ_HEARTBEAT_TIMEOUT, 120);
  cli.set(ZMQ_HEARTBEAT_TTL, 500);
  zmonitor mon(zc, cli);
  cli.connect(srv.last_endpoint());
  ASSERT_TRUE(mon.wait(ZMQ_EVENT_HANDSHAKE_SUCCEEDED));
  EXPECT_FALSE(mon.wait(ZMQ_EVENT_DISCONNECTED, 600ms)) << "libzmq dropped us: our PONG did not reach it";
  zsend(cli, {"after idling"});
  EXPECT_EQ(recv_text(srv), "after idling");
}

// ---- PLAIN ----

TEST(plain_interop, ringmq_server_libzmq_client) {
  zctx zc;
  ringmq::context rc;
  ringmq::authenticator auth(rc);
  auth.configure_plain("*", {{"admin", "secret"}});
  ringmq::socket srv(rc, socket_type::rep);
  srv.set(opt::plain_server, true);
  srv.bind("tcp://127.0.0.1:*");
  {
    // libzmq 4.3.4 quirk (see libzmq_plain_error_quirk below): its PLAIN client only knows
    // ERROR as "\x5eRROR", so our rfc-conforming "\x05ERROR" refusal reaches it as an
    // unexpected command. It is still refused (and retries, as for any protocol error).
    zsock bad(zc, ZMQ_REQ);
    bad.set(ZMQ_PLAIN_USERNAME, "admin");
    bad.set(ZMQ_PLAIN_PASSWORD, "wrong");
    zmonitor mon(zc, bad);
    bad.connect(srv.last_endpoint());
    EXPECT_EQ(mon.wait(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL), ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND);
    // Non-blocking: whether the refused REQ has a queue to take it right now depends on
    // libzmq's reconnect timing (a blocking send timed out once under TSan); either way
    // nothing may arrive.
    zmq_send(bad.p, "must not arrive", 15, ZMQ_DONTWAIT);
    EXPECT_FALSE(recv_text(srv, quiet));
  }
  zsock cli(zc, ZMQ_REQ);
  cli.set(ZMQ_PLAIN_USERNAME, "admin");
  cli.set(ZMQ_PLAIN_PASSWORD, "secret");
  cli.connect(srv.last_endpoint());
  ringmq_side s(srv);
  libzmq_side c(cli);
  exchange(pattern::req_rep, s, c, "admin");
}

TEST(plain_interop, libzmq_server_ringmq_client) {
  zctx zc;
  ringmq::context rc;
  libzmq_zap_handler zap(zc, [](const strings& req) {
    libzmq_zap_handler::answer a;
    const bool ok = req.size() == 8 && req[5] == "PLAIN" && req[6] == "admin" && req[7] == "secret";
    if (!ok) a.status = "400";
    a.user_id = ok ? "admin" : "";
    return a;
  });
  zsock srv(zc, ZMQ_REP);
  srv.set(ZMQ_PLAIN_SERVER, 1);
  const std::string ep = srv.bind("tcp://127.0.0.1:*");
  {
    // libzmq 4.3.4 refuses with "\x5eRROR\x03" "400" (libzmq_plain_error_quirk below),
    // which the wire layer reads as the ERROR it means: an authentication failure.
    ringmq::socket bad(rc, socket_type::req);
    bad.set(opt::plain_username, "admin");
    bad.set(opt::plain_password, "wrong");
    auto mon = bad.monitor();
    bad.connect(ep);
    auto e = wait_event(mon, monitor_event::handshake_failed_auth);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->value, 400);
    send_parts(bad, {"must not arrive"});
    EXPECT_FALSE(zrecv(srv, quiet));
  }
  ringmq::socket cli(rc, socket_type::req);
  cli.set(opt::plain_username, "admin");
  cli.set(opt::plain_password, "secret");
  cli.connect(ep);
  libzmq_side s(srv);
  ringmq_side c(cli);
  exchange(pattern::req_rep, s, c, "admin");
}

// libzmq 4.3.4's src/plain_common.hpp declares error_prefix[] = "\x05ERROR": the hex escape
// swallows the 'E', so a libzmq PLAIN server sends ERROR as 5e 'RROR' 03 '400' and its PLAIN
// client expects exactly that. Captured here so the finding stays checked.
TEST(plain_interop, libzmq_plain_error_quirk) {
  zctx zc;
  libzmq_zap_handler zap(zc, [](const strings&) { return libzmq_zap_handler::answer{"400", "no", "", ""}; });
  zsock srv(zc, ZMQ_REP);
  srv.set(ZMQ_PLAIN_SERVER, 1);
  const std::string ep = srv.bind("tcp://127.0.0.1:*");
  raw_tcp raw(port_of(ep));
  ASSERT_TRUE(raw.send(greeting("PLAIN")));
  ASSERT_TRUE(raw.read_exact(64));
  ASSERT_TRUE(
      raw.send(command_frame(std::string("\x05HELLO\x05"
                                         "admin\x05"
                                         "wrong"))));
  auto f = raw.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->flags, 4U);
  EXPECT_EQ(f->body, std::string("\x5eRROR\x03"
                                 "400"));
}

// ---- pyzmq in another process ----

// Runs a python3 snippet; returns its stdout lines as they come through `on_line`.
struct python_process {
  FILE* pipe = nullptr;
  explicit python_process(const std::string& script) {
    const std::string cmd = "/usr/bin/python3 -c '" + script + "'";
    pipe = ::popen(cmd.c_str(), "r");
  }
  ~python_process() {
    if (pipe != nullptr) ::pclose(pipe);
  }
  std::string line() {
    char buf[512];
    if (pipe == nullptr || std::fgets(buf, sizeof buf, pipe) == nullptr) return {};
    std::string s(buf);
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
};

TEST(pyzmq_interop, pyzmq_authenticator_server_and_ringmq_client) {
  ringmq::context rc;
  const std::string script =
      "import zmq, zmq.auth\n"
      "from zmq.auth.thread import ThreadAuthenticator\n"
      "ctx = zmq.Context()\n"
      "auth = ThreadAuthenticator(ctx); auth.start()\n"
      "auth.configure_curve(domain=\"*\", location=zmq.auth.CURVE_ALLOW_ANY)\n"
      "s = ctx.socket(zmq.PULL); s.curve_server = True\n"
      "s.curve_secretkey = b\"" +
      std::string(server_secret) +
      "\"\n"
      "s.rcvtimeo = 5000\n"
      "port = s.bind_to_random_port(\"tcp://127.0.0.1\")\n"
      "print(port, flush=True)\n"
      "m = s.recv(copy=False)\n"
      "print(m.bytes.decode(), m.get(\"User-Id\"), flush=True)\n"
      "auth.stop(); s.close(); ctx.term()\n";
  python_process py(script);
  const std::string port = py.line();
  ASSERT_FALSE(port.empty());
  ringmq::socket cli(rc, socket_type::push);
  make_curve_client(cli);
  cli.connect("tcp://127.0.0.1:" + port);
  send_parts(cli, {"from ringmq"});
  EXPECT_EQ(py.line(), "from ringmq " + std::string(client_public));
}

TEST(pyzmq_interop, pyzmq_client_and_ringmq_authenticator) {
  ringmq::context rc;
  ringmq::authenticator auth(rc);
  auth.allow_curve_keys("*", std::vector<std::string>{std::string(client_public)});
  ringmq::socket srv(rc, socket_type::pull);
  make_curve_server(srv);
  srv.bind("tcp://127.0.0.1:*");
  const std::string script =
      "import zmq\n"
      "ctx = zmq.Context(); s = ctx.socket(zmq.PUSH); s.linger = 5000\n"
      "s.curve_serverkey = b\"" +
      std::string(server_public) +
      "\"\n"
      "s.curve_publickey = b\"" +
      std::string(client_public) +
      "\"\n"
      "s.curve_secretkey = b\"" +
      std::string(client_secret) +
      "\"\n"
      "s.connect(\"" +
      srv.last_endpoint() +
      "\")\n"
      "s.send(b\"from pyzmq\"); s.close(); ctx.term(); print(\"done\", flush=True)\n";
  python_process py(script);
  srv.set(opt::rcvtimeo, safety);
  auto m = srv.recv();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->to_string(), "from pyzmq");
  EXPECT_EQ(m->property("User-Id"), client_public);
  EXPECT_EQ(py.line(), "done");
}

}  // namespace
}  // namespace sec_test
