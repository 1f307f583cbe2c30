// libFuzzer target for PLAIN (rfc 24): a zmtp::connection with the plain_server or the
// plain_client mechanism, fed the bytes a peer sends (greeting, HELLO / WELCOME / INITIATE /
// READY / ERROR commands, data), cut into chunks, with the ZAP exchange answered as the
// input says. Without cryptography there is nothing a mutation cannot reach, so the input
// is the raw byte stream, as in fuzz_zmtp.
//
// Input layout (make_plain_corpus.py writes the same):
//   [0] options: bit 0 we are the client (else the server); bits 1-2 the ZAP status for
//       the server (200, 300, 400, 500); bit 3 ZAP answers one chunk late; bit 4 the ZAP
//       reply has no user id
//   [1] our socket type (mod 11)
//   [2..3] chunking seed: 0 feeds the stream whole; otherwise it seeds the chunk sizes
//   [4..] the bytes the peer sends
// Oracles (abort on violation), checked against an independent reading of what was fed
// and of what the connection wrote:
//   both: no event after an error, at most one handshake, no message before it; a peer
//     ERROR among the first two commands means no handshake; the messages delivered are
//     the peer's data frames after its two handshake commands, in order (not for PUB and
//     XPUB, which take data as subscriptions); input a PING flood held back is decoded
//     once our PONGs are out, so the input is never left blocked; our handshake commands
//     come in the rfc's order.
//   server: ZAP is asked exactly once, only after a greeting for PLAIN and a well-formed
//     HELLO as the first command, with that HELLO's username and password; WELCOME is sent
//     only after ZAP said 200, and always then unless the connection had already failed;
//     400 and 500 send ERROR with the status, 300 nothing; the handshake completes only
//     after WELCOME and an INITIATE with valid metadata, and READY follows it; the
//     messages carry the ZAP user id.
//   client: the password is written once, in HELLO, and only after a complete greeting
//     announcing PLAIN (a PONG may echo whatever the peer's PING carried); INITIATE (with
//     our metadata) only after a WELCOME without data as the first command; the handshake
//     completes only after a READY with valid metadata.
#include "core/message_access.hpp"
#include "fuzz_support.hpp"
#include "security/plain_client.hpp"
#include "security/plain_server.hpp"
#include "zmtp/connection.hpp"
#include "zmtp/output_batch.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace ringmq;
using namespace ringmq::fuzz;

constexpr std::string_view username = "admin";
constexpr std::string_view password = "pw-S3cr3t!";  // appears nowhere else in our output
constexpr std::string_view zap_domain = "fuzz-domain";
constexpr std::string_view zap_user = "fuzz-user";
constexpr const char* zap_statuses[4] = {"200", "300", "400", "500"};

struct fuzz_sink final : zmtp::connection_sink {
  bool handshake = false;
  bool failed = false;
  std::optional<zmtp::zap_request> zap;
  int zap_requests = 0;
  zmtp::handshake_info info;
  zmtp::error_info error;
  std::vector<message> messages;

  void on_handshake_succeeded(const zmtp::handshake_info& i) override {
    FUZZ_REQUIRE(!failed && !handshake);
    handshake = true;
    info = i;
  }
  bool on_message(message&& m) override {
    FUZZ_REQUIRE(!failed && handshake);
    FUZZ_REQUIRE(detail::message_access::meta(m) == info.meta.get());
    messages.push_back(std::move(m));
    return true;
  }
  void on_zap_request(const zmtp::zap_request& r) override {
    FUZZ_REQUIRE(!failed && !handshake && ++zap_requests == 1);
    zap = r;
  }
  void on_error(const zmtp::error_info& e) override {
    FUZZ_REQUIRE(!failed && !e.text.empty());
    failed = true;
    error = e;
  }
};

// xorshift32: chunk sizes from the input's own seed.
std::uint32_t next(std::uint32_t& s) {
  s ^= s << 13U;
  s ^= s >> 17U;
  s ^= s << 5U;
  return s;
}

// The peer's greeting announces ZMTP 3.x and PLAIN (rfc 23: signature, version, mechanism).
bool plain_greeting(std::string_view fed) {
  if (fed.size() < 64 || static_cast<unsigned char>(fed[0]) != 0xff) return false;
  if (static_cast<unsigned char>(fed[10]) < 3) return false;
  return fed.substr(12, 20) == std::string_view("PLAIN\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
}

std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// Whether `body` is a PLAIN HELLO whose fields fill it exactly (rfc 24), and its fields.
bool parse_hello(std::string_view body, std::string& user, std::string& pass) {
  if (command_name_of(body) != "HELLO") return false;
  std::string_view d = body.substr(6);
  if (d.empty()) return false;
  const std::size_t ulen = static_cast<unsigned char>(d[0]);
  if (d.size() < 1 + ulen + 1) return false;
  user = std::string(d.substr(1, ulen));
  const std::size_t plen = static_cast<unsigned char>(d[1 + ulen]);
  if (d.size() != 2 + ulen + plen) return false;
  pass = std::string(d.substr(2 + ulen));
  return true;
}

// The metadata of a READY / INITIATE body is acceptable to a socket of type `ours`: it
// parses, stays within the bounds on a peer's metadata, and names a compatible type.
bool acceptable_metadata(std::string_view body, std::size_t name_len, socket_type ours) {
  std::vector<property_ref> props;
  if (!parse_metadata_ref(body.substr(1 + name_len), props) || !within_peer_bounds(props)) return false;
  for (const auto& p : props) {
    if (same_name(p.name, "Socket-Type")) {
      const auto t = socket_type_from_string(p.value);
      if (!t || !compatible(ours, *t)) return false;
    } else if (same_name(p.name, "Identity") && p.value.size() > 255) {
      return false;
    }
  }
  return true;
}

// Where the greeting and each complete frame of `stream` end.
std::vector<std::size_t> frame_ends(std::string_view stream) {
  std::vector<std::size_t> ends;
  if (stream.size() < 64) return ends;
  std::size_t pos = 64;
  ends.push_back(pos);
  while (stream.size() - pos >= 2) {
    const auto flags = static_cast<unsigned char>(stream[pos]);
    std::size_t header = 2;
    std::uint64_t body = static_cast<unsigned char>(stream[pos + 1]);
    if ((flags & 2U) != 0) {
      if (stream.size() - pos < 9) break;
      header = 9;
      body = 0;
      for (std::size_t i = 1; i < 9; ++i) body = (body << 8U) | static_cast<unsigned char>(stream[pos + i]);
    }
    if (stream.size() - pos - header < body) break;
    pos += header + static_cast<std::size_t>(body);
    ends.push_back(pos);
  }
  return ends;
}

class session {
 public:
  session(std::uint8_t options, std::uint8_t type_octet)
      : client_((options & 1U) != 0),
        zap_status_(zap_statuses[(options >> 1U) & 3U]),
        zap_late_((options & 8U) != 0),
        zap_user_((options & 16U) != 0 ? "" : zap_user),
        type_(static_cast<socket_type>(type_octet % 11U)) {
    zmtp::connection_config c;
    c.type = type_;
    c.routing_id = "fuzz-rid";
    c.peer_address = "203.0.113.9";
    c.handshake_timeout = std::chrono::milliseconds(0);
    std::unique_ptr<zmtp::mechanism> mech;
    if (client_)
      mech = std::make_unique<security::plain_client>(std::string(username), std::string(password));
    else
      mech = std::make_unique<security::plain_server>(std::string(zap_domain));
    conn_ = std::make_unique<zmtp::connection>(c, std::move(mech), sink_);
    conn_->start(out_, now_);
    collect();
  }

  // Feeds one chunk; returns the octets consumed.
  std::size_t feed(std::string_view chunk) {
    const std::size_t used = conn_->feed(zmtp::as_bytes(chunk), now_);
    FUZZ_REQUIRE(used <= chunk.size());
    FUZZ_REQUIRE(used == chunk.size() || sink_.failed);  // the sink never pauses
    fed_.append(chunk.substr(0, used));
    peer_.append(chunk.substr(0, used));
    while (auto f = peer_.next()) peer_frames_.push_back(std::move(*f));
    decode_held_input();
    if (sink_.zap && !zap_asked_) on_zap_asked();
    if (zap_asked_ && !zap_answered_ && !zap_late_) answer_zap();
    collect();
    check();
    // A late answer comes after the next chunk, as an asynchronous handler's would.
    if (zap_asked_ && !zap_answered_) zap_late_ = false;
    return used;
  }

  void finish() {
    if (zap_asked_ && !zap_answered_) answer_zap();
    collect();
    check();
    check_messages();
    // RINGMQ_FUZZ_TRACE=1: one line per input, to check what the seeds reach.
    static const bool trace = std::getenv("RINGMQ_FUZZ_TRACE") != nullptr;
    if (trace)
      std::fprintf(stderr, "%s zap=%d handshake=%d messages=%zu sent=%zu failed=%d %s\n",
                   client_ ? "client" : "server", sink_.zap_requests, sink_.handshake ? 1 : 0,
                   sink_.messages.size(), sent_.size(), sink_.failed ? 1 : 0,
                   sink_.failed ? zmtp::describe(sink_.error).c_str() : "");
  }

  [[nodiscard]] bool failed() const { return sink_.failed; }
  [[nodiscard]] bool handshake_complete() const { return sink_.handshake; }

 private:
  void on_zap_asked() {
    zap_asked_ = true;
    FUZZ_REQUIRE(!client_);
    const zmtp::zap_request& r = *sink_.zap;
    FUZZ_REQUIRE(plain_greeting(fed_) && !peer_frames_.empty() && peer_frames_[0].command);
    std::string user;
    std::string pass;
    FUZZ_REQUIRE(parse_hello(peer_frames_[0].body, user, pass));
    FUZZ_REQUIRE(r.mechanism == "PLAIN" && r.domain == zap_domain && r.credentials.size() == 2);
    FUZZ_REQUIRE(r.credentials[0] == user && r.credentials[1] == pass);
  }

  void answer_zap() {
    zap_answered_ = true;
    const bool was_failed = sink_.failed;
    const std::size_t sent_before = sent_.size();
    conn_->zap_reply(zmtp::zap_reply{zap_status_, "fuzz", std::string(zap_user_), ""}, now_);
    collect();
    const std::string_view status = zap_status_;
    if (was_failed) {
      FUZZ_REQUIRE(sent_.size() == sent_before);  // a stale answer does nothing
      return;
    }
    if (status == "200") {
      zap_accepted_ = true;
      FUZZ_REQUIRE(!sink_.failed && sent_.size() == sent_before + 1 &&
                   sent_.back() == command_body("WELCOME", ""));
      return;
    }
    FUZZ_REQUIRE(sink_.failed && sink_.error.kind == zmtp::error_kind::auth && !sink_.error.from_peer);
    if (status == "300")
      FUZZ_REQUIRE(sent_.size() == sent_before);
    else
      FUZZ_REQUIRE(sent_.size() == sent_before + 1 &&
                   sent_.back() == command_body("ERROR", "\x03" + std::string(status)));
  }

  // What a transport does after a read (connection.hpp, input_blocked): sends what is
  // queued and, while a PING flood holds input back, lets on_timer() decode it once the
  // PONGs are out. Everything written is taken at once, so the input never stays blocked.
  void decode_held_input() {
    collect();
    for (auto due = conn_->next_deadline(); due && *due <= now_ && !sink_.failed;
         due = conn_->next_deadline()) {
      conn_->on_timer(now_);
      collect();
    }
    FUZZ_REQUIRE(!conn_->input_blocked() || sink_.failed);
  }

  // Takes what the connection wrote.
  void collect() {
    if (conn_->has_pending_output()) conn_->flush_pending(out_);
    while (!out_.empty()) {
      std::size_t n = 0;
      for (const iovec& v : out_.iovecs()) {
        const std::string_view part(static_cast<const char*>(v.iov_base), v.iov_len);
        written_.append(part);
        ours_.append(part);
        n += v.iov_len;
      }
      out_.consume(n);
    }
    while (auto f = ours_.next()) {
      FUZZ_REQUIRE(f->command && !f->more);  // we send no data here
      sent_.push_back(std::move(f->body));
    }
  }

  // The invariants that hold after every step.
  void check() {
    // Our handshake commands, in the rfc's order; after the handshake only PONG may follow.
    const std::vector<std::string_view> order = client_ ? std::vector<std::string_view>{"HELLO", "INITIATE"}
                                                        : std::vector<std::string_view>{"WELCOME", "READY"};
    std::size_t k = 0;
    for (const std::string& body : sent_) {
      const std::string_view name = command_name_of(body);
      if (k < order.size() && name == order[k]) {
        ++k;
        continue;
      }
      if (!client_ && name == "ERROR" && k == 0) continue;  // a ZAP refusal
      FUZZ_REQUIRE(sink_.handshake && name == "PONG");
    }
    const std::size_t peer_errors = [&] {
      std::size_t n = 0;
      for (std::size_t i = 0; i < peer_frames_.size() && i < 2; ++i)
        if (peer_frames_[i].command && command_name_of(peer_frames_[i].body) == "ERROR") ++n;
      return n;
    }();
    if (peer_errors != 0) FUZZ_REQUIRE(!sink_.handshake);

    if (client_) {
      check_client(k);
    } else {
      check_server(k);
    }
  }

  void check_client(std::size_t k) {
    const bool hello = k >= 1;
    const bool initiate = k >= 2;
    // The password: once, inside HELLO, and only to a peer that announced PLAIN. Counted in
    // what we originate -- the greeting and every command but PONG, which echoes the peer's
    // PING context and so whatever the peer put there.
    std::size_t seen = count(std::string_view(written_).substr(0, 64), password);
    for (const std::string& body : sent_)
      if (command_name_of(body) != "PONG") seen += count(body, password);
    FUZZ_REQUIRE(seen == (hello ? 1U : 0U));
    if (hello) {
      FUZZ_REQUIRE(plain_greeting(fed_));
      FUZZ_REQUIRE(sent_[0] ==
                   command_body("HELLO", std::string(1, static_cast<char>(username.size())) +
                                             std::string(username) + static_cast<char>(password.size()) +
                                             std::string(password)));
    }
    if (initiate) {
      FUZZ_REQUIRE(!peer_frames_.empty() && peer_frames_[0].command && peer_frames_[0].body == "\x07WELCOME");
      std::vector<property_ref> props;
      FUZZ_REQUIRE(command_name_of(sent_[1]) == "INITIATE" && parse_metadata_ref(sent_[1].substr(9), props));
      FUZZ_REQUIRE(!props.empty() &&
                   props[0] == (property_ref{"Socket-Type", std::string(to_string(type_))}));
    }
    if (sink_.handshake) {
      FUZZ_REQUIRE(initiate && peer_frames_.size() >= 2 && peer_frames_[1].command);
      FUZZ_REQUIRE(command_name_of(peer_frames_[1].body) == "READY");
      FUZZ_REQUIRE(acceptable_metadata(peer_frames_[1].body, 5, type_));
    }
  }

  void check_server(std::size_t k) {
    const bool welcome = k >= 1;
    const bool ready = k >= 2;
    FUZZ_REQUIRE(!welcome || zap_accepted_);
    FUZZ_REQUIRE(ready == sink_.handshake);
    if (sink_.handshake) {
      FUZZ_REQUIRE(zap_accepted_ && peer_frames_.size() >= 2 && peer_frames_[1].command);
      FUZZ_REQUIRE(command_name_of(peer_frames_[1].body) == "INITIATE");
      FUZZ_REQUIRE(acceptable_metadata(peer_frames_[1].body, 8, type_));
      const auto user_id = sink_.info.meta->find("User-Id");
      FUZZ_REQUIRE(zap_user_.empty() ? !user_id.has_value() : user_id == zap_user_);
    }
  }

  // The messages are the peer's data frames after its two handshake commands.
  void check_messages() {
    if (type_ == socket_type::pub || type_ == socket_type::xpub) return;
    std::vector<const wire_frame*> data;
    for (std::size_t i = 2; i < peer_frames_.size(); ++i)
      if (!peer_frames_[i].command) data.push_back(&peer_frames_[i]);
    FUZZ_REQUIRE(sink_.messages.size() <= data.size());
    for (std::size_t i = 0; i < sink_.messages.size(); ++i) {
      FUZZ_REQUIRE(sink_.messages[i].view() == data[i]->body);
      FUZZ_REQUIRE(sink_.messages[i].more() == data[i]->more);
    }
    // Everything fed and nothing wrong: every data frame arrived.
    if (!sink_.failed && sink_.handshake) FUZZ_REQUIRE(sink_.messages.size() == data.size());
  }

  bool client_;
  const char* zap_status_;
  bool zap_late_;
  std::string_view zap_user_;
  socket_type type_;
  fuzz_sink sink_;
  std::unique_ptr<zmtp::connection> conn_;
  zmtp::output_batch out_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours{1}};
  std::string fed_;   // every octet the connection consumed
  wire_reader peer_;  // the same, as frames
  std::vector<wire_frame> peer_frames_;
  std::string written_;            // every octet the connection wrote
  wire_reader ours_;               // the same, as frames
  std::vector<std::string> sent_;  // our command bodies
  bool zap_asked_ = false;
  bool zap_answered_ = false;
  bool zap_accepted_ = false;  // answered 200 while the connection was alive
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 4, size - 4);
  const auto seed = static_cast<std::uint16_t>(data[2] | (data[3] << 8U));
  session s(data[0], data[1]);
  // A peer waits for our answer to each handshake command before it sends the next: until
  // the handshake is complete no chunk runs past the end of the greeting or of a frame.
  // (A peer that does not wait is the late-ZAP option's case.)
  const std::vector<std::size_t> ends = frame_ends(stream);
  std::size_t next_end = 0;
  std::uint32_t rng = seed == 0 ? 0 : (std::uint32_t{seed} * 2654435761U) | 1U;
  const std::uint32_t max_chunk = seed == 0 ? 0 : (std::uint32_t{1} << (seed % 10U));
  std::size_t pos = 0;
  // At most 128 cuts, then the rest whole: bounded work per input.
  for (int chunks = 0; pos < stream.size() && !s.failed(); ++chunks) {
    std::size_t n = stream.size() - pos;
    if (max_chunk != 0 && chunks < 128) n = std::min<std::size_t>(n, 1 + next(rng) % max_chunk);
    while (next_end < ends.size() && ends[next_end] <= pos) ++next_end;
    if (!s.handshake_complete() && next_end < ends.size()) n = std::min(n, ends[next_end] - pos);
    pos += s.feed(stream.substr(pos, n));
  }
  s.finish();
  return 0;
}
