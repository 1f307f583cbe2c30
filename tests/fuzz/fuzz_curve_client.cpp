// libFuzzer target for the CURVE client (rfc 26): a zmtp::connection with the curve_client
// mechanism facing a fake server -- the independent CurveZMQ peer of
// unit/security/curve_test_peer.hpp, holding the server key the client expects -- whose
// commands the input picks and mutates. Random MACs never open, so the input is a script
// of steps: send WELCOME, a WELCOME boxed by an impostor's key, READY, a READY boxed with
// a wrong key, MESSAGE, ERROR, raw octets, replays and nonce changes, each built validly
// for the current session and then changed by the input; and have the client send.
//
// Determinism: libsodium's randombytes is replaced by a counter-seeded generator, reset for
// every input, so the keys and nonces of both sides repeat run after run (and the
// memoised scalar multiplications of sodium_memo.cpp are found again).
//
// Input: [0] our socket type (0 DEALER, 1 REQ, 2 SUB, 3 PAIR... see socket_types), then
// steps until the input ends: [op] [operands...]; see step().
// Oracles (abort on violation):
//   - the client sends INITIATE only after a WELCOME from the holder of the server key it
//     was given (the honest server's, unchanged), and that INITIATE opens for the server,
//     echoes its cookie, vouches for the client's transient key and the server's key with
//     the client's long-term key, and carries our Socket-Type;
//   - the handshake completes only after that WELCOME and an honest READY from the same
//     session: never without a server that proved it holds the key;
//   - an ERROR command during the handshake ends it (when no raw octets broke the framing);
//   - every message delivered is one the server boxed as a data MESSAGE, unchanged, with a
//     nonce above every earlier one, in order, with its MORE flag; when the connection
//     survives and no raw octets broke the framing, all of them are delivered;
//   - every MESSAGE the client writes opens for the server with a nonce above the last and
//     holds the frames the harness sent, in order, with their MORE flags (a SUB's
//     subscriptions as SUBSCRIBE / CANCEL commands), or a PONG;
//   - no event after an error, at most one handshake.
#include "core/message_access.hpp"
#include "fuzz_support.hpp"
#include "security/curve_client.hpp"
#include "unit/security/curve_test_peer.hpp"
#include "zmtp/connection.hpp"
#include "zmtp/output_batch.hpp"

#include <sodium.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace ringmq;
using namespace ringmq::fuzz;
namespace tc = ringmq::test::curve;

// ---- deterministic randombytes (splitmix64 from a fixed seed per input) ----

std::uint64_t rng_state = 0;

std::uint64_t rng_next() {
  std::uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31U);
}
const char* rng_name() { return "ringmq-fuzz-client"; }
std::uint32_t rng_u32() { return static_cast<std::uint32_t>(rng_next()); }
void rng_stir() {}
void rng_fill(void* buf, std::size_t size) {
  auto* p = static_cast<unsigned char*>(buf);
  for (std::size_t i = 0; i < size; ++i) p[i] = static_cast<unsigned char>(rng_next());
}
int rng_close() { return 0; }
randombytes_implementation deterministic = {rng_name, rng_u32, rng_stir, nullptr, rng_fill, rng_close};

// ---- input ----

// Up to three changes: flip an octet, truncate, or append.
std::string mutate(std::string body, reader& in) {
  const int changes = in.byte() % 4;
  for (int i = 0; i < changes; ++i) {
    switch (in.byte() % 3) {
      case 0:
        if (!body.empty()) {
          const std::size_t at = in.u16() % body.size();
          body[at] = static_cast<char>(static_cast<unsigned char>(body[at]) ^ (in.byte() | 1U));
        }
        break;
      case 1: body.resize(in.u16() % (body.size() + 1)); break;
      default: {
        const std::size_t k = in.byte();
        body.append(k, static_cast<char>(in.byte()));
        break;
      }
    }
  }
  return body;
}

constexpr socket_type socket_types[] = {socket_type::dealer, socket_type::req, socket_type::sub,
                                        socket_type::pair};
// What the fake server is, for each of ours: compatible by rfc 23.
constexpr std::string_view server_types[] = {"ROUTER", "REP", "PUB", "PAIR"};

struct keys {
  tc::keypair server = tc::keypair::from_seed(0x51);
  tc::keypair client = tc::keypair::from_seed(0xc1);
};

struct fuzz_sink final : zmtp::connection_sink {
  bool handshake = false;
  bool failed = false;
  std::deque<tc::opened_message>* expected = nullptr;
  std::string last_error;

  void on_handshake_succeeded(const zmtp::handshake_info&) override {
    FUZZ_REQUIRE(!failed && !handshake);
    handshake = true;
  }
  bool on_message(message&& m) override {
    FUZZ_REQUIRE(!failed && handshake);
    // Authenticity: only what the server boxed, in order.
    FUZZ_REQUIRE(!expected->empty() && expected->front().payload == m.view());
    FUZZ_REQUIRE(m.more() == ((expected->front().flags & 1U) != 0));
    expected->pop_front();
    return true;
  }
  void on_zap_request(const zmtp::zap_request&) override { FUZZ_REQUIRE(false); }
  void on_error(const zmtp::error_info& e) override {
    FUZZ_REQUIRE(!failed && !e.text.empty());
    failed = true;
    last_error = zmtp::describe(e);
  }
};

class session {
 public:
  session(const keys& k, std::uint8_t type_octet)
      : k_(k),
        type_index_(type_octet % std::size(socket_types)),
        server_(k.server),
        cookie_(tc::random_bytes(96)) {
    sink_.expected = &expected_;
    zmtp::connection_config c;
    c.type = socket_types[type_index_];
    c.routing_id = "fuzz-client";
    c.peer_address = "127.0.0.1";
    c.handshake_timeout = std::chrono::milliseconds(0);
    conn_ = std::make_unique<zmtp::connection>(
        c,
        std::make_unique<security::curve_client>(tc::str(k.server.pub), tc::str(k.client.pub),
                                                 tc::str(k.client.sec)),
        sink_);
    conn_->start(out_, now_);
    read_client_output();
    // The client's HELLO goes out at once; the server learns C' from it.
    FUZZ_REQUIRE(hello_seen_);
    feed(greeting("CURVE"));
  }

  [[nodiscard]] bool done() const { return sink_.failed; }

  ~session() {
    static const bool trace = std::getenv("RINGMQ_FUZZ_TRACE") != nullptr;
    if (trace)
      std::fprintf(stderr, "initiate=%d handshake=%d undelivered=%zu sent_back=%zu failed=%d %s\n",
                   initiate_seen_ ? 1 : 0, sink_.handshake ? 1 : 0, expected_.size(), client_sent_.size(),
                   sink_.failed ? 1 : 0, sink_.last_error.c_str());
  }

  void finish() {
    // Nothing paused, nothing failed and every frame whole (raw octets may leave a frame
    // open that swallows the rest): every honest message arrived.
    if (!sink_.failed && framing_intact_) FUZZ_REQUIRE(expected_.empty());
  }

  void step(reader& in) {
    switch (in.byte() % 10U) {
      case 0: {  // WELCOME from the server the client expects
        const std::string honest = server_.welcome(cookie_);
        const std::string sent = mutate(honest, in);
        if (sent == honest) honest_welcome_ = true;
        send_command(sent);
        break;
      }
      case 1: {  // WELCOME boxed by an impostor's long-term key
        tc::server_peer impostor(tc::keypair::from_seed(static_cast<unsigned char>(in.byte() | 0x80U)));
        if (impostor.longterm.pub == k_.server.pub) return;
        impostor.client_transient = server_.client_transient;
        send_command(mutate(impostor.welcome(cookie_), in));
        break;
      }
      case 2: {  // READY from the server, in this session
        const std::string meta =
            prop("Socket-Type", server_types[type_index_]) + prop("X-Fuzz", in.take(in.byte()));
        const std::uint64_t nonce = server_.next_nonce;
        const std::string honest = server_.ready(meta);
        const std::string sent = mutate(honest, in);
        if (sent == honest && honest_welcome_ && !sink_.handshake) {
          honest_ready_ = true;
          ready_nonce_ = nonce;
        }
        send_command(sent);
        break;
      }
      case 3: {  // a READY boxed with a key other than the session's
        const tc::keypair other = tc::keypair::from_seed(static_cast<unsigned char>(in.byte() | 0x80U));
        const tc::key wrong = tc::beforenm(server_.client_transient, other.sec);
        const std::string nb = tc::be64(server_.next_nonce++);
        send_command(mutate("\x05READY" + nb +
                                tc::box_k(prop("Socket-Type", server_types[type_index_]),
                                          tc::nonce("CurveZMQREADY---", nb), wrong),
                            in));
        break;
      }
      case 4: {  // MESSAGE from the server
        const std::string payload = in.take(in.byte());
        const std::uint8_t flags = in.byte();
        const std::uint64_t nonce = server_.next_nonce;
        const auto inner = static_cast<unsigned char>(flags & 3U);
        const std::string honest = server_.message(payload, inner);
        const std::string sent = mutate(honest, in);
        const bool as_command = (flags & 0x80U) != 0;
        // rfc 26: nonces strictly increase (READY's included); a boxed command (inner bit 1)
        // is handled by the connection, not delivered; a MESSAGE sent as a command frame is
        // dropped (libzmq 4.3).
        const bool fresh = nonce > last_nonce();
        if (sent == honest && sink_.handshake && !as_command && fresh) {
          last_delivered_nonce_ = nonce;
          if ((inner & 2U) == 0) expected_.push_back({nonce, inner, payload});
        }
        last_frame_ = frame(sent, as_command);
        feed(last_frame_);
        break;
      }
      case 5: {  // ERROR
        const bool during_handshake = !sink_.handshake;
        const std::string reason = in.take(in.byte() % 32U);
        send_command(command_body("ERROR", std::string(1, static_cast<char>(reason.size())) + reason));
        // rfc 23: "The peer SHALL treat an incoming ERROR command as fatal" (unless raw
        // octets left a frame open that took it in).
        if (during_handshake && framing_intact_) FUZZ_REQUIRE(sink_.failed);
        break;
      }
      case 6:  // raw octets
        last_frame_ = in.take(in.byte());
        framing_intact_ = false;
        feed(last_frame_);
        break;
      case 7:  // move the server's nonce (replays, decreasing nonces, gaps)
        server_.next_nonce = in.byte();
        break;
      case 8:  // replay the last frame as it was
        feed(last_frame_);
        break;
      default: {  // the application sends through the client
        if (!sink_.handshake || sink_.failed) return;
        const std::string payload = in.take(in.byte());
        message m(payload);
        const bool more = (in.byte() & 1U) != 0;
        detail::message_access::set_flags(m, more ? detail::message_access::more : 0);
        if (conn_->send(std::move(m), out_)) {
          // What the server must find in the box: the frame, or for a SUB's single-frame
          // "\x01topic" / "\x00topic" a SUBSCRIBE / CANCEL command (rfc 37, ZMTP 3.1).
          tc::opened_message want{0, static_cast<unsigned char>(more ? 1 : 0), payload};
          if (socket_types[type_index_] == socket_type::sub && !client_mid_message_ && !more &&
              !payload.empty() && (payload[0] == '\x01' || payload[0] == '\x00')) {
            want.flags = 2;
            want.payload = command_body(payload[0] == '\x01' ? "SUBSCRIBE" : "CANCEL", payload.substr(1));
          }
          client_sent_.push_back(want);
          client_mid_message_ = more;
        }
        read_client_output();
        break;
      }
    }
  }

 private:
  [[nodiscard]] std::uint64_t last_nonce() const { return std::max(ready_nonce_, last_delivered_nonce_); }

  void send_command(const std::string& body) {
    last_frame_ = frame(body, true);
    feed(last_frame_);
  }

  void feed(const std::string& bytes) {
    if (sink_.failed) return;
    const std::size_t used = conn_->feed(zmtp::as_bytes(bytes), now_);
    FUZZ_REQUIRE(used <= bytes.size());
    FUZZ_REQUIRE(used == bytes.size() || sink_.failed);
    if (conn_->has_pending_output()) conn_->flush_pending(out_);
    read_client_output();
    // Never authenticated without a server that proved it holds the key.
    if (sink_.handshake) FUZZ_REQUIRE(honest_welcome_ && honest_ready_ && initiate_seen_);
  }

  // Reads the client's frames: HELLO, INITIATE, then MESSAGEs.
  void read_client_output() {
    wire_.take(out_);
    while (auto f = wire_.next()) {
      if (!hello_seen_) {
        FUZZ_REQUIRE(f->command && server_.hello(f->body));
        hello_seen_ = true;
      } else if (!initiate_seen_) {
        FUZZ_REQUIRE(f->command && command_name_of(f->body) == "INITIATE");
        check_initiate(f->body);
        initiate_seen_ = true;
      } else {
        check_client_message(*f);
      }
    }
  }

  void check_initiate(const std::string& body) {
    // Only after the genuine WELCOME, and everything in it right.
    FUZZ_REQUIRE(honest_welcome_);
    const auto c = server_.initiate(body);
    FUZZ_REQUIRE(c.has_value());
    FUZZ_REQUIRE(c->cookie == cookie_ && c->client == k_.client.pub);
    FUZZ_REQUIRE(c->vouch_plain == tc::str(server_.client_transient) + tc::str(k_.server.pub));
    std::vector<property_ref> props;
    FUZZ_REQUIRE(parse_metadata_ref(c->metadata, props) && !props.empty());
    FUZZ_REQUIRE(props[0] ==
                 (property_ref{"Socket-Type", std::string(to_string(socket_types[type_index_]))}));
  }

  void check_client_message(const wire_frame& f) {
    FUZZ_REQUIRE(!f.command && !f.more && sink_.handshake);
    const auto m = tc::open_message(f.body, server_.session, true);
    FUZZ_REQUIRE(m.has_value() && m->nonce > client_nonce_);
    client_nonce_ = m->nonce;
    if (!client_sent_.empty() && client_sent_.front().flags == m->flags &&
        client_sent_.front().payload == m->payload) {
      client_sent_.pop_front();
      return;
    }
    // Otherwise only the answer to a PING the server boxed.
    FUZZ_REQUIRE(m->flags == 2 && command_name_of(m->payload) == "PONG");
  }

  const keys& k_;
  std::size_t type_index_;
  tc::server_peer server_;
  std::string cookie_;
  fuzz_sink sink_;
  zmtp::output_batch out_;
  std::unique_ptr<zmtp::connection> conn_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours{1}};
  wire_reader wire_;
  std::string last_frame_;
  bool hello_seen_ = false;
  bool initiate_seen_ = false;
  bool framing_intact_ = true;  // no raw octets fed
  bool honest_welcome_ = false;
  bool honest_ready_ = false;
  std::uint64_t ready_nonce_ = 0;
  std::uint64_t last_delivered_nonce_ = 0;
  std::uint64_t client_nonce_ = 2;  // HELLO 1, INITIATE 2
  std::deque<tc::opened_message> expected_;
  std::deque<tc::opened_message> client_sent_;  // what the server must open, in order
  bool client_mid_message_ = false;             // the last frame sent had MORE
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keys* k = [] {
    randombytes_set_implementation(&deterministic);
    FUZZ_REQUIRE(sodium_init() >= 0);
    return new keys;
  }();
  rng_state = 0xc11e47;
  if (size < 1) return 0;
  reader in{data, size};
  try {
    session s(*k, in.byte());
    // Bounded work per input: at most 64 steps.
    for (int i = 0; i < 64 && !in.empty() && !s.done(); ++i) s.step(in);
    s.finish();
  } catch (const std::runtime_error&) {
    // The test peer refused to box with a weak key the input chose: not a finding.
  }
  return 0;
}
