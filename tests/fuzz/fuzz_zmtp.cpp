// libFuzzer target for the wire layer: the peer's greeting, frames, commands and metadata
// through zmtp::connection::feed(), plus the command and metadata parsers on their own.
//
// Input layout (the seed generator make_zmtp_corpus.py writes the same):
//   [0] our socket type (mod 11)
//   [1] options: bit 0 NULL with a ZAP domain; bit 1 heartbeats (IVL 100 ms, TTL 1 s);
//       bit 2 MAXMSGSIZE 1000; bit 3 the ZAP handler refuses (400); bit 4 the sink pauses
//       every 3rd message; bit 5 send application frames after the handshake
//   [2..3] chunking seed: 0 feeds the stream whole; otherwise it seeds the chunk sizes
//          (at most 256 cuts, then the rest whole)
//   [4..]  the bytes the peer sends
// Oracles (abort on violation): no event after an error, no message before the handshake,
// at most one handshake, feed() never consumes more than it was given.
#include "core/message_access.hpp"
#include "zmtp/command.hpp"
#include "zmtp/connection.hpp"
#include "zmtp/metadata_codec.hpp"
#include "zmtp/null_mechanism.hpp"
#include "zmtp/output_batch.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace ringmq;
using namespace ringmq::zmtp;
using std::chrono::milliseconds;

// One X-Zap1 = "y" property in ZMTP encoding.
constexpr std::string_view zap_metadata("\x06X-Zap1\x00\x00\x00\x01y", 12);

void require(bool ok) {
  if (!ok) std::abort();
}

struct fuzz_sink final : connection_sink {
  bool handshake = false;
  bool failed = false;
  bool zap_asked = false;
  bool pause = false;
  std::size_t messages = 0;

  void on_handshake_succeeded(const handshake_info& info) override {
    require(!failed && !handshake);
    require(info.meta.get() != nullptr);
    handshake = true;
  }
  bool on_message(message&& frame) override {
    require(!failed && handshake);
    require(detail::message_access::meta(frame) != nullptr);
    ++messages;
    return !(pause && messages % 3 == 0);
  }
  void on_zap_request(const zap_request& r) override {
    require(!failed && !zap_asked);
    require(r.mechanism == "NULL");
    zap_asked = true;
  }
  void on_error(const error_info& e) override {
    require(!failed);
    require(!e.text.empty());
    failed = true;
  }
};

// xorshift32: chunk sizes from the input's own seed.
std::uint32_t next(std::uint32_t& s) {
  s ^= s << 13U;
  s ^= s >> 17U;
  s ^= s << 5U;
  return s;
}

void fuzz_parsers(bytes stream) {
  std::vector<property_view> props;
  static_cast<void>(parse_properties(stream, props));
  if (const auto cmd = parse_command(stream)) {
    static_cast<void>(parse_ping(cmd->data));
    static_cast<void>(parse_error_reason(cmd->data));
  }
}

void fuzz_connection(std::uint8_t type_octet, std::uint8_t options, std::uint16_t seed, bytes stream) {
  const bool zap = (options & 1U) != 0;
  connection_config c;
  c.type = static_cast<socket_type>(type_octet % 11U);
  c.routing_id = "fuzz";
  c.peer_address = "127.0.0.1";
  c.app_properties = {{"X-Fuzz", "1"}};
  if ((options & 2U) != 0)
    c.heartbeat = heartbeat_config{milliseconds{100}, milliseconds{-1}, milliseconds{1000}};
  if ((options & 4U) != 0) c.max_message_size = 1000;
  c.handshake_timeout = milliseconds{5000};

  fuzz_sink sink;
  sink.pause = (options & 16U) != 0;
  auto mech = zap ? std::make_unique<null_mechanism>("fuzz") : std::make_unique<null_mechanism>();
  connection conn(c, std::move(mech), sink);
  output_batch out;
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours{1};
  conn.start(out, now);

  std::uint32_t rng = seed == 0 ? 0 : (std::uint32_t{seed} * 2654435761U) | 1U;
  const std::uint32_t max_chunk = seed == 0 ? 0 : (std::uint32_t{1} << (seed % 12U));
  bool zap_answered = false;
  bool sent = false;
  std::size_t pos = 0;
  int stalls = 0;
  int chunks = 0;
  constexpr int max_chunks = 256;
  while (pos < stream.size()) {
    std::size_t n = stream.size() - pos;
    // At most max_chunks cuts per input, so a 64 KiB input cut into single octets does not
    // cost 64 Ki rounds; the rest goes in whole.
    if (max_chunk != 0 && ++chunks < max_chunks) n = std::min<std::size_t>(n, 1 + next(rng) % max_chunk);
    const std::size_t used = conn.feed(stream.subspan(pos, n), now);
    require(used <= n);
    pos += used;
    // A paused sink leaves octets behind: feed them again next round, as a transport would.
    stalls = used == 0 ? stalls + 1 : 0;
    require(stalls < 3 || sink.failed);
    if (sink.failed) break;

    if (sink.zap_asked && !zap_answered) {
      zap_answered = true;
      const bool refuse = (options & 8U) != 0;
      conn.zap_reply(zap_reply{refuse ? "400" : "200", "ok", "user", std::string(zap_metadata)}, now);
    }
    now += milliseconds{40};
    if (const auto d = conn.next_deadline(); d && *d <= now) conn.on_timer(now);
    if (conn.has_pending_output()) conn.flush_pending(out);
    if (conn.handshake_complete() && (options & 32U) != 0 && !sent) {
      sent = true;
      message part("\x01topic");
      detail::message_access::set_flags(part, detail::message_access::more);
      static_cast<void>(conn.send(std::move(part), out));
      static_cast<void>(conn.send(message(std::string(600, 'p')), out));
      static_cast<void>(conn.send(message(std::string("\x00topic", 6)), out));
    }
    out.consume(out.size() / 2);
  }
  if (!sink.failed) conn.on_timer(now + std::chrono::hours{1});
  out.clear();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const auto stream = bytes(reinterpret_cast<const std::byte*>(data) + 4, size - 4);
  fuzz_parsers(stream);
  fuzz_connection(data[0], data[1], static_cast<std::uint16_t>(data[2] | (data[3] << 8U)), stream);
  return 0;
}
