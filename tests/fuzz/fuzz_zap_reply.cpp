// libFuzzer target for ZAP (rfc 27) as the connecting side of a handshake sees it: the
// request frames security/zap_codec.hpp builds, the handler's reply parsed by
// parse_zap_reply, and that reply handed to a zmtp::connection waiting for it (NULL with a
// ZAP domain, or a PLAIN server) through zap_reply() / zap_failed(), as the transport's
// ZAP client does.
//
// Input:
//   [0] options: bit 0 PLAIN server (else NULL with a domain); bit 1 the NULL peer's READY
//       arrives after the ZAP reply (else before); bit 2 a stale second answer follows
//   then domain, username, password (each: length octet, octets)
//   then up to 10 reply frames, each: flags (bit 0 MORE; bit 1 two length octets, big
//       endian, else one), length, body
// Oracles (abort on violation):
//   - the request carries the domain, peer address, our routing id, mechanism and the
//     PLAIN credentials; its frames are "", "1.0", "1", those fields, every one but the
//     last with MORE;
//   - parse_zap_reply accepts exactly 7 frames with MORE on the first six only, an empty
//     delimiter, version "1.0" and request id "1", refusing anything else with libzmq's
//     code for the first fault, and returns the last four frames as they are;
//   - the connection then succeeds exactly on status "200" with rfc 23 metadata; a status
//     outside 200/300/400/500 or bad metadata fails with the ZAP protocol code; 300 fails
//     silently and 400/500 send ERROR with the status as reason, both as auth failures; a
//     failed exchange (zap_failed) fails with its own error; after success the message
//     properties are the peer's Socket-Type and Identity, Peer-Address, User-Id when the
//     reply has one, every property of the reply's metadata and then the peer's X-*
//     properties, in that order whether the peer's metadata came before or after the ZAP
//     reply (a name the ZAP handler set hides the peer's, as in libzmq); a stale answer
//     changes nothing.
#include "core/message_access.hpp"
#include "fuzz_support.hpp"
#include "security/plain_server.hpp"
#include "security/zap_codec.hpp"
#include "zmtp/connection.hpp"
#include "zmtp/null_mechanism.hpp"
#include "zmtp/output_batch.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace ringmq;
using namespace ringmq::fuzz;
namespace code = zmtp::protocol_code;

constexpr std::string_view peer_address = "198.51.100.4";
constexpr std::string_view our_routing_id = "server-rid";

struct reply_frame {
  bool more = false;
  std::string body;
};

message to_message(const reply_frame& f) {
  message m(f.body);
  detail::message_access::set(m, detail::message_access::more, f.more);
  return m;
}

// What libzmq's zap_client checks, in its order: the code of the first fault, or 0.
int expected_parse_code(const std::vector<reply_frame>& frames) {
  if (frames.size() != 7) return code::zap_malformed_reply;
  for (std::size_t i = 0; i < 7; ++i)
    if (frames[i].more != (i < 6)) return code::zap_malformed_reply;
  if (!frames[0].body.empty()) return code::zap_unspecified;
  if (frames[1].body != "1.0") return code::zap_bad_version;
  if (frames[2].body != "1") return code::zap_bad_request_id;
  return 0;
}

std::optional<zmtp::error_info> parse(const std::vector<reply_frame>& frames, zmtp::zap_reply& reply) {
  std::vector<message> msgs;
  for (const auto& f : frames) msgs.push_back(to_message(f));
  reply = zmtp::zap_reply{"stale", "stale", "stale", "stale"};
  auto error = security::parse_zap_reply(std::span<const message>(msgs), reply);
  const int want = expected_parse_code(frames);
  FUZZ_REQUIRE(error.has_value() == (want != 0));
  if (error) {
    FUZZ_REQUIRE(error->kind == zmtp::error_kind::protocol && error->code == want && !error->text.empty());
  } else {
    FUZZ_REQUIRE(reply.status_code == frames[3].body && reply.status_text == frames[4].body);
    FUZZ_REQUIRE(reply.user_id == frames[5].body && reply.metadata == frames[6].body);
  }
  return error;
}

struct sink final : zmtp::connection_sink {
  bool handshake = false;
  bool failed = false;
  std::optional<zmtp::zap_request> request;
  zmtp::handshake_info info;
  zmtp::error_info error;
  void on_handshake_succeeded(const zmtp::handshake_info& i) override {
    FUZZ_REQUIRE(!failed && !handshake);
    handshake = true;
    info = i;
  }
  bool on_message(message&&) override {
    FUZZ_REQUIRE(false);  // the peer sends no data frames here
    return true;
  }
  void on_zap_request(const zmtp::zap_request& r) override {
    FUZZ_REQUIRE(!failed && !request);
    request = r;
  }
  void on_error(const zmtp::error_info& e) override {
    FUZZ_REQUIRE(!failed);
    failed = true;
    error = e;
  }
};

void check_request(const zmtp::zap_request& r, bool plain, const std::string& domain, const std::string& user,
                   const std::string& password) {
  FUZZ_REQUIRE(r.mechanism == (plain ? "PLAIN" : "NULL"));
  FUZZ_REQUIRE(r.domain == domain && r.address == peer_address && r.routing_id == our_routing_id);
  if (plain)
    FUZZ_REQUIRE(r.credentials == (std::vector<std::string>{user, password}));
  else
    FUZZ_REQUIRE(r.credentials.empty());
  const std::vector<message> frames = security::build_zap_request(r);
  std::vector<std::string> want = {
      "", "1.0", "1", domain, std::string(peer_address), std::string(our_routing_id), r.mechanism};
  want.insert(want.end(), r.credentials.begin(), r.credentials.end());
  FUZZ_REQUIRE(frames.size() == want.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    FUZZ_REQUIRE(frames[i].view() == want[i]);
    FUZZ_REQUIRE(frames[i].more() == (i + 1 < frames.size()));
  }
}

class exchange {
 public:
  exchange(bool plain, std::string domain, std::string user, std::string password)
      : plain_(plain), domain_(std::move(domain)), user_(std::move(user)), password_(std::move(password)) {
    zmtp::connection_config c;
    c.type = plain ? socket_type::rep : socket_type::router;
    c.routing_id = std::string(our_routing_id);
    c.peer_address = std::string(peer_address);
    std::unique_ptr<zmtp::mechanism> mech;
    if (plain)
      mech = std::make_unique<security::plain_server>(domain_);
    else
      mech = std::make_unique<zmtp::null_mechanism>(domain_);
    conn_ = std::make_unique<zmtp::connection>(c, std::move(mech), sink_);
    conn_->start(out_, now_);
    wire_.take(out_);
  }

  void feed(const std::string& bytes) {
    FUZZ_REQUIRE(conn_->feed(zmtp::as_bytes(bytes), now_) == bytes.size() || sink_.failed);
    flush();
  }
  void flush() {
    if (conn_->has_pending_output()) conn_->flush_pending(out_);
    wire_.take(out_);
    while (auto f = wire_.next()) {
      FUZZ_REQUIRE(f->command);
      sent_.push_back(f->body);
    }
  }

  // The peer's metadata, and the properties a handshake records from it.
  static std::string peer_metadata(std::string_view type) {
    return prop("Socket-Type", type) + prop("Identity", "peer-id") + prop("X-Peer", "p");
  }
  [[nodiscard]] std::vector<property_ref> peer_properties() const {
    return {{"Socket-Type", plain_ ? "REQ" : "DEALER"},
            {"Identity", "peer-id"},
            {"Peer-Address", std::string(peer_address)}};
  }

  sink sink_;
  std::unique_ptr<zmtp::connection> conn_;
  std::vector<std::string> sent_;  // command bodies we wrote, in order
  bool plain_;
  std::string domain_, user_, password_;

 private:
  zmtp::output_batch out_;
  wire_reader wire_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours{1}};
};

std::vector<reply_frame> read_frames(reader& in) {
  std::vector<reply_frame> frames;
  while (!in.empty() && frames.size() < 10) {
    const std::uint8_t flags = in.byte();
    std::size_t len = in.byte();
    if ((flags & 2U) != 0) len = (len << 8U) | in.byte();
    frames.push_back({(flags & 1U) != 0, in.take(len)});
  }
  return frames;
}

void run(std::uint8_t options, const std::string& domain, const std::string& user,
         const std::string& password, const std::vector<reply_frame>& all) {
  const bool plain = (options & 1U) != 0;
  const bool ready_late = (options & 2U) != 0;
  exchange x(plain, domain, user, password);
  const std::string ready = frame(command_body("READY", exchange::peer_metadata("DEALER")), true);
  if (plain) {
    const std::string hello = command_body("HELLO", std::string(1, static_cast<char>(user.size())) + user +
                                                        static_cast<char>(password.size()) + password);
    x.feed(greeting("PLAIN") + frame(hello, true));
  } else {
    x.feed(greeting("NULL") + (ready_late ? "" : ready));
  }
  FUZZ_REQUIRE(!x.sink_.failed && !x.sink_.handshake && x.sink_.request);
  check_request(*x.sink_.request, plain, domain, user, password);
  const std::size_t sent_before = x.sent_.size();

  // The ZAP client reads until a frame without MORE, or 7 frames (libzmq's reply size).
  std::vector<reply_frame> read;
  for (const auto& f : all) {
    read.push_back(f);
    if (!f.more || read.size() == security::zap_reply_frames) break;
  }
  zmtp::zap_reply reply;
  const auto parse_error = parse(read, reply);
  const auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours{1};
  if (parse_error) {
    x.conn_->zap_failed(*parse_error);
    x.flush();
    FUZZ_REQUIRE(x.sink_.failed && x.sink_.error.code == parse_error->code);
    FUZZ_REQUIRE(x.sent_.size() == sent_before);
  } else {
    x.conn_->zap_reply(reply, now);
    x.flush();
    const std::string& status = reply.status_code;
    std::vector<property_ref> zap_props;
    const bool status_ok = status == "200" || status == "300" || status == "400" || status == "500";
    const bool metadata_ok = parse_metadata_ref(reply.metadata, zap_props);
    if (!status_ok || !metadata_ok) {
      FUZZ_REQUIRE(x.sink_.failed && x.sink_.error.kind == zmtp::error_kind::protocol);
      FUZZ_REQUIRE(x.sink_.error.code ==
                   (!status_ok ? code::zap_invalid_status_code : code::zap_invalid_metadata));
      FUZZ_REQUIRE(x.sent_.size() == sent_before);
    } else if (status != "200") {
      FUZZ_REQUIRE(x.sink_.failed && x.sink_.error.kind == zmtp::error_kind::auth);
      FUZZ_REQUIRE(x.sink_.error.code == std::stoi(status) && !x.sink_.error.from_peer);
      if (status == "300") {
        FUZZ_REQUIRE(x.sent_.size() == sent_before);
      } else {
        FUZZ_REQUIRE(x.sent_.size() == sent_before + 1);
        FUZZ_REQUIRE(x.sent_.back() == command_body("ERROR", "\x03" + status));
      }
    } else {
      // Accepted: the server goes on with its handshake.
      FUZZ_REQUIRE(!x.sink_.failed && x.sent_.size() == sent_before + 1);
      if (plain) {
        FUZZ_REQUIRE(x.sent_.back() == command_body("WELCOME", ""));
        FUZZ_REQUIRE(!x.sink_.handshake);
        x.feed(frame(command_body("INITIATE", exchange::peer_metadata("REQ")), true));
      } else {
        FUZZ_REQUIRE(command_name_of(x.sent_.back()) == "READY");
        FUZZ_REQUIRE(x.sink_.handshake != ready_late);
        if (ready_late) x.feed(ready);
      }
      FUZZ_REQUIRE(x.sink_.handshake && !x.sink_.failed);
      // libzmq's precedence: a name the ZAP handler set hides the peer's own (its
      // properties_t takes the ZAP properties first and never overwrites).
      std::vector<property_ref> want = x.peer_properties();
      if (!reply.user_id.empty()) want.push_back({"User-Id", reply.user_id});
      want.insert(want.end(), zap_props.begin(), zap_props.end());
      want.push_back({"X-Peer", "p"});
      std::vector<property_ref> got;
      for (const auto& [n, v] : x.sink_.info.meta->properties()) got.push_back({n, v});
      FUZZ_REQUIRE(got == want);
    }
  }

  if ((options & 4U) != 0) {
    // A second answer after the first: nothing may change (no event, no output).
    const bool handshake = x.sink_.handshake;
    const bool failed = x.sink_.failed;
    const std::size_t sent = x.sent_.size();
    x.conn_->zap_reply(zmtp::zap_reply{"200", "late", "late-user", ""}, now);
    x.conn_->zap_failed(zmtp::make_protocol_error(code::zap_unspecified, "late"));
    x.flush();
    FUZZ_REQUIRE(x.sink_.handshake == handshake && x.sink_.failed == failed && x.sent_.size() == sent);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reader in{data, size};
  const std::uint8_t options = in.byte();
  const std::string domain = in.take(in.byte());
  const std::string user = in.take(in.byte());
  const std::string password = in.take(in.byte());
  const std::vector<reply_frame> frames = read_frames(in);

  // The codec on its own, over every frame count up to 10.
  zmtp::zap_reply reply;
  static_cast<void>(parse(frames, reply));
  run(options, domain, user, password, frames);
  return 0;
}
