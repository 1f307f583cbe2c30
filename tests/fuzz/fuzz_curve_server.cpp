// libFuzzer target for the CURVE server (rfc 26): a zmtp::connection with the curve_server
// mechanism, driven by an honest client built on libsodium (unit/security/curve_test_peer.hpp)
// whose commands the input mutates. Random MACs never get past crypto_box_open, so the input
// is a script of steps -- send HELLO / INITIATE / a forged INITIATE / MESSAGE, each built
// validly for the current session and then changed by the input, or raw bytes, replays and
// nonce changes -- and every command still reaches the code behind the MAC checks.
//
// Determinism: libsodium's randombytes is replaced by a counter-seeded generator, reset for
// every input, so the server's transient keys, cookie and nonces repeat run after run.
//
// Input: [0] options (bits 0-1: ZAP status 200/300/400/500 for the first request), then
// steps until the input ends: [op] [operands...]; see step().
// Oracles (abort on violation): the server asks ZAP only for the genuine client key and
// only after an INITIATE built honestly in this session reached it unchanged; at most one
// ZAP request and one handshake; the handshake completes only after a "200"; every message
// delivered is one the honest client boxed, in order; no event after an error.
#include "core/message_access.hpp"
#include "security/curve_server.hpp"
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

namespace {

using namespace ringmq;
namespace tc = ringmq::test::curve;

void require(bool ok) {
  if (!ok) std::abort();
}

// ---- deterministic randombytes ----

std::uint64_t rng_state = 0;

std::uint64_t splitmix() {
  std::uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31U);
}
const char* rng_name() { return "ringmq-fuzz"; }
std::uint32_t rng_random() { return static_cast<std::uint32_t>(splitmix()); }
void rng_stir() {}
void rng_buf(void* buf, std::size_t size) {
  auto* p = static_cast<unsigned char*>(buf);
  for (std::size_t i = 0; i < size; ++i) p[i] = static_cast<unsigned char>(splitmix());
}
int rng_close() { return 0; }
randombytes_implementation deterministic = {rng_name, rng_random, rng_stir, nullptr, rng_buf, rng_close};

// ---- input ----

struct reader {
  const std::uint8_t* p;
  std::size_t n;
  [[nodiscard]] bool empty() const { return n == 0; }
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8U)); }
  std::string take(std::size_t k) {
    k = std::min(k, n);
    std::string s(reinterpret_cast<const char*>(p), k);
    p += k;
    n -= k;
    return s;
  }
};

// Up to three changes: flip octets, truncate, or append.
std::string mutate(std::string body, reader& in) {
  const int count = in.byte() % 4;
  for (int i = 0; i < count; ++i) {
    const std::uint8_t kind = in.byte();
    switch (kind % 3) {
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

std::string frame(bool command, const std::string& body) {
  const unsigned flags = command ? 4U : 0U;
  if (body.size() <= 255)
    return std::string(1, static_cast<char>(flags)) + static_cast<char>(body.size()) + body;
  std::string h(1, static_cast<char>(flags | 2U));
  for (int i = 7; i >= 0; --i)
    h += static_cast<char>((body.size() >> (8U * static_cast<unsigned>(i))) & 0xffU);
  return h + body;
}

std::string prop(const std::string& name, const std::string& value) {
  std::string s(1, static_cast<char>(name.size()));
  s += name;
  const auto len = static_cast<std::uint32_t>(value.size());
  for (int i = 3; i >= 0; --i) s += static_cast<char>((len >> (8U * static_cast<unsigned>(i))) & 0xffU);
  return s + value;
}

// ---- the session under test ----

struct fuzz_sink final : zmtp::connection_sink {
  bool handshake = false;
  bool failed = false;
  int zap_requests = 0;
  std::optional<zmtp::zap_request> pending_zap;
  std::deque<std::string>* expected = nullptr;
  bool* zap_allowed = nullptr;

  void on_handshake_succeeded(const zmtp::handshake_info&) override {
    require(!failed && !handshake);
    handshake = true;
  }
  bool on_message(message&& frame) override {
    require(!failed && handshake);
    // Authenticity: only what the honest client boxed, in order.
    require(!expected->empty() && expected->front() == frame.view());
    expected->pop_front();
    return true;
  }
  void on_zap_request(const zmtp::zap_request& r) override {
    require(!failed && ++zap_requests == 1);
    require(*zap_allowed);
    pending_zap = r;
  }
  void on_error(const zmtp::error_info& e) override {
    require(!failed && !e.text.empty());
    failed = true;
    last_error = zmtp::describe(e);
  }
  std::string last_error;
};

struct keys {
  tc::keypair server = tc::keypair::from_seed(0x51);
  tc::keypair client = tc::keypair::from_seed(0xc1);
};

class session {
 public:
  session(const keys& k, std::uint8_t options) : k_(k), client_(k.client, k.server.pub) {
    zap_status_ = zap_statuses[options % 4U];
    sink_.expected = &expected_;
    sink_.zap_allowed = &honest_initiate_sent_;
    zmtp::connection_config c;
    c.type = socket_type::router;
    c.peer_address = "127.0.0.1";
    c.handshake_timeout = std::chrono::milliseconds(0);
    conn_ = std::make_unique<zmtp::connection>(
        c, std::make_unique<security::curve_server>(tc::str(k.server.sec), "fuzz"), sink_);
    conn_->start(out_, now_);
    feed(std::string("\xff\0\0\0\0\0\0\0\x01\x7f\x03\x01", 12) + "CURVE" + std::string(47, '\0'));
  }

  [[nodiscard]] bool done() const { return sink_.failed; }

  // RINGMQ_FUZZ_TRACE=1: one line per input, to check what the seeds reach.
  ~session() {
    static const bool trace = std::getenv("RINGMQ_FUZZ_TRACE") != nullptr;
    if (trace)
      std::fprintf(stderr, "zap=%d handshake=%d delivered_pending=%zu failed=%d%s%s\n", sink_.zap_requests,
                   sink_.handshake ? 1 : 0, expected_.size(), sink_.failed ? 1 : 0, sink_.failed ? " " : "",
                   sink_.failed ? sink_.last_error.c_str() : "");
  }

  void step(reader& in) {
    switch (in.byte() % 8U) {
      case 0: {  // HELLO
        const std::string honest = client_.hello();
        send_command(mutate(honest, in));
        break;
      }
      case 1: {  // INITIATE
        if (client_.cookie.empty()) return;
        const std::string meta = prop("Socket-Type", "DEALER") + prop("X-Fuzz", in.take(in.byte()));
        const std::string honest = client_.initiate(meta);
        const std::string sent = mutate(honest, in);
        if (sent == honest) honest_initiate_sent_ = true;
        send_command(sent);
        break;
      }
      case 2: {  // INITIATE with a forged vouch
        if (client_.cookie.empty()) return;
        const tc::keypair other = tc::keypair::from_seed(static_cast<unsigned char>(in.byte() | 0x80U));
        if (other.pub == k_.client.pub) return;  // the client's own key: a genuine vouch, no forgery
        const int variant = in.byte() % 3;
        const auto forged =
            client_.forge(variant == 0 ? &other.pub : nullptr, variant == 1 ? &other.pub : nullptr,
                          variant == 2 ? &other : nullptr);
        send_command(mutate(client_.initiate(prop("Socket-Type", "DEALER"), &forged), in));
        break;
      }
      case 3: {  // MESSAGE
        if (client_.session == tc::key{}) return;
        const std::string payload = in.take(in.byte());
        const std::uint8_t flags = in.byte();
        const std::string honest = client_.message(payload, static_cast<unsigned char>(flags & 1U));
        const std::string sent = mutate(honest, in);
        const bool as_command = (flags & 0x80U) != 0;
        // A boxed message sent as a command frame is checked and dropped (libzmq 4.3).
        if (sent == honest && sink_.handshake && !as_command) expected_.push_back(payload);
        last_frame_ = frame(as_command, sent);
        feed(last_frame_);
        break;
      }
      case 4:  // raw octets
        last_frame_ = in.take(in.byte());
        feed(last_frame_);
        break;
      case 5:  // move the client's nonce (replays, decreasing nonces, gaps)
        client_.next_nonce = in.byte();
        break;
      case 6:  // replay the last frame as it was
        feed(last_frame_);
        break;
      default:  // a fresh transient key (a HELLO from "another" client on this connection)
        client_.transient = tc::keypair::make();
        break;
    }
  }

 private:
  static constexpr const char* zap_statuses[4] = {"200", "300", "400", "500"};

  void send_command(const std::string& body) {
    last_frame_ = frame(true, body);
    feed(last_frame_);
  }

  void feed(const std::string& bytes) {
    if (sink_.failed) return;
    const std::size_t used = conn_->feed(zmtp::as_bytes(bytes), now_);
    require(used <= bytes.size());
    if (sink_.pending_zap && !sink_.failed) {
      const zmtp::zap_request r = *std::exchange(sink_.pending_zap, std::nullopt);
      // Never authenticated without a valid vouch from the genuine key.
      require(r.mechanism == "CURVE" && r.domain == "fuzz");
      require(r.credentials.size() == 1 && r.credentials[0] == tc::str(k_.client.pub));
      zap_answered_ = true;
      zap_ok_ = std::string_view(zap_status_) == "200";
      conn_->zap_reply(zmtp::zap_reply{zap_status_, "fuzz", "user", ""}, now_);
    }
    if (sink_.handshake) require(zap_answered_ && zap_ok_);
    if (conn_->has_pending_output()) conn_->flush_pending(out_);
    read_server_output();
  }

  // Lets the honest client learn WELCOME (cookie, S') and READY from what the server wrote.
  void read_server_output() {
    while (!out_.empty()) {
      std::size_t n = 0;
      for (const iovec& v : out_.iovecs()) {
        wire_.append(static_cast<const char*>(v.iov_base), v.iov_len);
        n += v.iov_len;
      }
      out_.consume(n);
    }
    if (!greeting_seen_) {
      if (wire_.size() < 64) return;
      wire_.erase(0, 64);
      greeting_seen_ = true;
    }
    for (;;) {
      if (wire_.size() < 2) return;
      const auto flags = static_cast<unsigned char>(wire_[0]);
      std::size_t header = 2;
      std::size_t size = static_cast<unsigned char>(wire_[1]);
      if ((flags & 2U) != 0) {
        if (wire_.size() < 9) return;
        header = 9;
        size = 0;
        for (std::size_t i = 1; i < 9; ++i) size = (size << 8U) | static_cast<unsigned char>(wire_[i]);
      }
      if (wire_.size() - header < size) return;
      const std::string body = wire_.substr(header, size);
      wire_.erase(0, header + size);
      // (They may not open for the client: the input can change its transient key midway.)
      if (body.rfind("\x07WELCOME", 0) == 0) static_cast<void>(client_.welcome(body));
      if (body.rfind("\x05READY", 0) == 0) static_cast<void>(client_.ready(body));
    }
  }

  const keys& k_;
  tc::client_peer client_;
  fuzz_sink sink_;
  zmtp::output_batch out_;
  std::unique_ptr<zmtp::connection> conn_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours{1}};
  std::deque<std::string> expected_;
  bool honest_initiate_sent_ = false;
  bool zap_answered_ = false;
  bool zap_ok_ = false;
  const char* zap_status_ = "200";
  std::string last_frame_;
  std::string wire_;
  bool greeting_seen_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keys* k = [] {
    randombytes_set_implementation(&deterministic);
    require(sodium_init() >= 0);
    return new keys;
  }();
  rng_state = 0x5eed;
  if (size < 1) return 0;
  reader in{data, size};
  try {
    session s(*k, in.byte());
    // Bounded work per input: at most 64 steps.
    for (int i = 0; i < 64 && !in.empty() && !s.done(); ++i) s.step(in);
  } catch (const std::runtime_error&) {
    // The test client refused to box with a weak key the input chose: not a finding.
  }
  return 0;
}
