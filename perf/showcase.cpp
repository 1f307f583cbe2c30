// ringmq_showcase: the main job's demonstration. Runs every messaging pattern over every
// transport this build supports and prints what happened, so a reader can see ringmq work.
#include <ringmq/ringmq.hpp>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using ringmq::socket_type;

std::string recv_text(ringmq::socket& s) {
  auto m = s.recv();
  return m ? m->to_string() : std::string("<timeout>");
}

// Every endpoint pair used below: a bind address per transport; '*' picks a free port/path.
struct transport_case {
  const char* name;
  std::string (*endpoint)(const char* tag);
};

std::string inproc_endpoint(const char* tag) { return std::string("inproc://showcase-") + tag; }
std::string ipc_endpoint(const char*) { return "ipc://*"; }
std::string tcp_endpoint(const char*) { return "tcp://127.0.0.1:*"; }

void pipeline(ringmq::context& ctx, const transport_case& t) {
  ringmq::socket sink(ctx, socket_type::pull);
  sink.set(ringmq::opt::rcvtimeo, 5s);
  sink.bind(t.endpoint("pipeline"));
  const std::string ep = sink.last_endpoint();
  ringmq::socket a(ctx, socket_type::push), b(ctx, socket_type::push);
  a.connect(ep);
  b.connect(ep);
  a.send(std::string_view("task from A"));
  b.send(std::string_view("task from B"));
  const std::string first = recv_text(sink), second = recv_text(sink);
  std::printf("  PUSH/PULL  two pushers -> one puller: \"%s\", \"%s\" (fair-queued)\n", first.c_str(),
              second.c_str());
}

void pubsub(ringmq::context& ctx, const transport_case& t) {
  ringmq::socket pub(ctx, socket_type::xpub);
  pub.bind(t.endpoint("pubsub"));
  const std::string ep = pub.last_endpoint();
  ringmq::socket weather(ctx, socket_type::sub), news(ctx, socket_type::sub);
  for (auto* s : {&weather, &news}) {
    s->set(ringmq::opt::rcvtimeo, 5s);
    s->connect(ep);
  }
  weather.set(ringmq::opt::subscribe, "weather.");
  news.set(ringmq::opt::subscribe, "news.");
  // XPUB sees each new topic: wait for both subscriptions instead of sleeping.
  pub.set(ringmq::opt::rcvtimeo, 5s);
  std::vector<std::string> topics{recv_text(pub).substr(1), recv_text(pub).substr(1)};
  for (const char* text : {"weather.oslo 3C", "news.local quiet day", "sport.chess draw"})
    pub.send(std::string_view(text));
  std::printf("  PUB/SUB    publisher saw subscriptions [%s] [%s]; weather got \"%s\", news got \"%s\"\n",
              topics[0].c_str(), topics[1].c_str(), recv_text(weather).c_str(), recv_text(news).c_str());
}

void reqrep(ringmq::context& ctx, const transport_case& t) {
  ringmq::socket rep(ctx, socket_type::rep);
  rep.bind(t.endpoint("reqrep"));
  const std::string ep = rep.last_endpoint();
  std::thread server([&rep] {
    for (int i = 0; i < 3; ++i) {
      auto request = rep.recv();
      rep.send(std::string_view("echo: " + request->to_string()));
    }
  });
  ringmq::socket req(ctx, socket_type::req);
  req.set(ringmq::opt::rcvtimeo, 5s);
  req.connect(ep);
  std::string replies;
  for (const char* q : {"one", "two", "three"}) {
    req.send(std::string_view(q));
    replies += " \"" + recv_text(req) + "\"";
  }
  server.join();
  std::printf("  REQ/REP    three round trips:%s\n", replies.c_str());
}

void dealer_router(ringmq::context& ctx, const transport_case& t) {
  ringmq::socket router(ctx, socket_type::router);
  router.set(ringmq::opt::rcvtimeo, 5s);
  router.bind(t.endpoint("router"));
  const std::string ep = router.last_endpoint();
  ringmq::socket alice(ctx, socket_type::dealer), bob(ctx, socket_type::dealer);
  alice.set(ringmq::opt::routing_id, "alice");
  bob.set(ringmq::opt::routing_id, "bob");
  for (auto* s : {&alice, &bob}) {
    s->set(ringmq::opt::rcvtimeo, 5s);
    s->connect(ep);
    s->send(std::string_view("hello"));
  }
  std::map<std::string, std::string> seen;
  for (int i = 0; i < 2; ++i) {
    std::vector<ringmq::message> parts;
    router.recv_multipart(std::back_inserter(parts));
    seen[parts[0].to_string()] = parts[1].to_string();
    // Reply to whoever asked, addressed by routing id.
    router.send_multipart(std::vector<std::string>{parts[0].to_string(), "hi " + parts[0].to_string()});
  }
  std::printf("  DEALER/ROUTER  router saw ids [%s] [%s]; replies routed: \"%s\", \"%s\"\n",
              seen.begin()->first.c_str(), std::next(seen.begin())->first.c_str(), recv_text(alice).c_str(),
              recv_text(bob).c_str());
}

void pair(ringmq::context& ctx, const transport_case& t) {
  ringmq::socket a(ctx, socket_type::pair), b(ctx, socket_type::pair);
  a.bind(t.endpoint("pair"));
  b.set(ringmq::opt::rcvtimeo, 5s);
  a.set(ringmq::opt::rcvtimeo, 5s);
  b.connect(a.last_endpoint());
  a.send_multipart(std::vector<std::string>{"multipart", "message", "arrives", "whole"});
  std::vector<ringmq::message> parts;
  b.recv_multipart(std::back_inserter(parts));
  b.send(std::string_view("ack"));
  std::printf("  PAIR       %zu-part message delivered atomically, reply \"%s\"\n", parts.size(),
              recv_text(a).c_str());
}

// CURVE over tcp with the built-in authenticator: the listed client's message arrives
// encrypted and carries its key as User-Id; a client with an unlisted key is refused during
// the handshake (its monitor reports the ZAP status) and nothing it sent gets through.
bool security(ringmq::context& ctx) {
  ringmq::authenticator auth(ctx);
  const auto server_keys = ringmq::generate_curve_keypair();
  const auto good_keys = ringmq::generate_curve_keypair();
  const auto bad_keys = ringmq::generate_curve_keypair();
  auth.allow_curve_keys("*", std::vector<std::string>{good_keys.public_key});

  ringmq::socket server(ctx, socket_type::pull);
  server.set(ringmq::opt::curve_server, true);
  server.set(ringmq::opt::curve_secretkey, server_keys.secret_key);
  server.set(ringmq::opt::rcvtimeo, 5s);
  server.bind("tcp://127.0.0.1:*");
  const std::string ep = server.last_endpoint();

  auto client = [&](const ringmq::curve_keypair& keys) {
    ringmq::socket s(ctx, socket_type::push);
    s.set(ringmq::opt::curve_serverkey, server_keys.public_key);
    s.set(ringmq::opt::curve_publickey, keys.public_key);
    s.set(ringmq::opt::curve_secretkey, keys.secret_key);
    return s;
  };
  ringmq::socket intruder = client(bad_keys);
  ringmq::monitor refused = intruder.monitor(ringmq::monitor_event::handshake_failed_auth);
  intruder.connect(ep);
  intruder.send(std::string_view("let me in"));
  const auto refusal = refused.next(5s);

  ringmq::socket friend_ = client(good_keys);
  friend_.connect(ep);
  friend_.send(std::string_view("encrypted hello"));
  const auto m = server.recv();
  const std::string user = m ? std::string(m->property("User-Id").value_or("?")) : "?";
  std::printf(
      "  CURVE      allowed client: \"%s\" from User-Id %.8s...; unlisted key: %s (ZAP status %lld), "
      "its message never arrived\n",
      m ? m->to_string().c_str() : "<timeout>", user.c_str(),
      refusal ? ringmq::to_string(refusal->type).data() : "<no event>",
      refusal ? static_cast<long long>(refusal->value) : 0LL);
  server.set(ringmq::opt::rcvtimeo, 0ms);
  if (server.recv()) {
    std::printf("  CURVE      BUG: a refused client's message got through\n");
    return false;
  }
  return m && refusal;
}

}  // namespace

int main() {
  const auto v = ringmq::version();
  std::printf("ringmq %d.%d.%d showcase\n", v.major, v.minor, v.patch);
  ringmq::context ctx;
  ctx.set(ringmq::opt::linger, 0ms);
  const std::vector<transport_case> transports{
      {"inproc", &inproc_endpoint}, {"ipc", &ipc_endpoint}, {"tcp", &tcp_endpoint}};
  for (const auto& t : transports) {
    if (std::string(t.name) == "ipc") std::printf("I/O backend: %s\n", ctx.io_backend().c_str());
    std::printf("transport %s\n", t.name);
    pipeline(ctx, t);
    pubsub(ctx, t);
    reqrep(ctx, t);
    dealer_router(ctx, t);
    pair(ctx, t);
  }
  std::printf("security\n");
  return security(ctx) ? 0 : 1;
}
