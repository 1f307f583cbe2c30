// connection: construction, the decode loop, traffic after the handshake, timers and the
// encode side. The handshake itself is in connection_handshake.cpp.
#include "zmtp/connection.hpp"

#include "core/message_access.hpp"
#include "core/socket_type_table.hpp"
#include "zmtp/command.hpp"
#include "zmtp/frame_encoder.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace ringmq::zmtp {

using detail::message_access;

namespace {

std::string encode_our_properties(const connection_config& c) {
  std::string out;
  append_property(out, property_name::socket_type, to_string(c.type));
  // rfc 37: "A REQ, DEALER, or ROUTER peer connecting to a ROUTER MAY announce its identity".
  if (detail::row_of(c.type).sends_identity) append_property(out, property_name::identity, c.routing_id);
  for (const auto& [name, value] : c.app_properties) append_property(out, name, value);
  return out;
}

connection_config validated(connection_config c, const mechanism* mech) {
  if (mech == nullptr) throw std::invalid_argument("zmtp::connection needs a mechanism");
  if (!detail::known_socket_type(c.type))
    throw std::invalid_argument("zmtp::connection: unknown socket type");
  if (!valid_mechanism_name(mech->name()))
    throw std::invalid_argument("invalid ZMTP mechanism name '" + std::string(mech->name()) + "'");
  if (c.routing_id.size() > 255) throw std::invalid_argument("routing id longer than 255 octets");
  for (const auto& [name, value] : c.app_properties) {
    if (!valid_property_name(name))
      throw std::invalid_argument("invalid metadata property name '" + name + "'");
    if (value.size() > max_property_value)
      throw std::invalid_argument("metadata property value above 2^31-1 octets");
  }
  return c;
}

}  // namespace

connection::connection(connection_config config, std::unique_ptr<mechanism> mech, connection_sink& sink)
    : config_(validated(std::move(config), mech.get())),
      our_properties_(encode_our_properties(config_)),
      mech_(std::move(mech)),
      sink_(sink),
      transforms_(mech_->transforms_frames()),
      greeting_(mech_->name()),
      frames_(static_cast<std::int64_t>(config_.handshake_max_frame)),
      heartbeat_(config_.heartbeat) {}

connection::~connection() = default;

// ---------------------------------------------------------------------------------------
// Decode side

void connection::start(output_batch& out, time_point now) {
  const greeting_bytes g = encode_greeting(mech_->name(), mech_->as_server());
  out.append_copy(g);
  if (config_.handshake_timeout.count() > 0) handshake_deadline_ = now + config_.handshake_timeout;
  handshake_step step;
  mech_->start(handshake_context{config_.type, as_bytes(our_properties_)}, step);
  apply_step(step, now);
  // Whatever the mechanism sends at once follows the greeting in the same write.
  write_raw_commands(out);
}

std::size_t connection::feed(bytes in, time_point now) {
  if (!held_input_.empty()) [[unlikely]] {
    hold(in);  // behind what is held (the transport may hand over what it read before it paused)
    return in.size();
  }
  const std::size_t used = decode(in, now);
  if (used < in.size() && pending_pongs_.size() >= max_waiting_pongs && phase_ == phase::traffic)
      [[unlikely]] {
    hold(in.subspan(used));  // a PING filled the PONG queue: input_blocked
    return in.size();
  }
  return used;
}

std::size_t connection::decode(bytes in, time_point now) {
  if (phase_ == phase::failed) return in.size();
  // Small bodies decoded from this input share blocks; an idle connection holds none.
  struct end_of_input {
    frame_decoder& frames;
    ~end_of_input() { frames.end_of_input(); }
  } const input_done{frames_};
  if (phase_ == phase::traffic && !in.empty()) heartbeat_.on_traffic();
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::size_t used = 0;
    if (phase_ == phase::greeting) {
      const auto st = greeting_.decode(in.subspan(pos), used);
      pos += used;
      if (st == greeting_decoder::status::failed) {
        fail(greeting_.error());
        return pos;
      }
      if (st == greeting_decoder::status::done) on_greeting_done(now);
      if (phase_ == phase::failed) return pos;
      continue;
    }
    const auto st = frames_.decode(in.subspan(pos), used);
    pos += used;
    if (!on_decoded(st, now)) return pos;
  }
  return pos;
}

void connection::hold(bytes rest) { held_input_.insert(held_input_.end(), rest.begin(), rest.end()); }

void connection::decode_held_input(time_point now) {
  if (held_input_.empty() || pending_pongs_.size() >= max_waiting_pongs) return;
  // Decoded where it lies (copying the rest after each stop would cost the square of it).
  held_pos_ += decode(bytes(held_input_.data() + held_pos_, held_input_.size() - held_pos_), now);
  if (held_pos_ == held_input_.size() || phase_ == phase::failed) {
    held_input_ = std::vector<std::byte>();
    held_pos_ = 0;
  }
}

bool connection::on_decoded(frame_decoder::status st, time_point now) {
  switch (st) {
    case frame_decoder::status::need_more: return false;
    case frame_decoder::status::failed: fail(frames_.error()); return false;
    case frame_decoder::status::frame: break;
  }
  // Any complete frame is a sign of life (rfc 37); a PING inside re-arms the TTL below.
  if (phase_ == phase::traffic) heartbeat_.on_traffic();
  return on_frame(frames_.take(), now);
}

std::span<std::byte> connection::body_space() noexcept {
  if (phase_ != phase::traffic) return {};
  return frames_.body_space();
}

void connection::body_received(std::size_t n, time_point now) {
  if (phase_ != phase::traffic || n == 0) return;
  heartbeat_.on_traffic();
  (void)on_decoded(frames_.body_written(n), now);
}

// Returns false to stop decoding (an error, or the sink paused).
bool connection::on_frame(message&& frame, time_point now) {
  if (phase_ == phase::handshake) {
    on_handshake_command(std::move(frame), now);
    return phase_ != phase::failed;
  }
  if (transforms_) {
    error_info err;
    switch (mech_->decode(frame, err)) {
      case codec_status::ok: break;
      case codec_status::drop: return true;
      case codec_status::failed: fail(err); return false;
    }
  }
  if (message_access::has(frame, message_access::command)) return on_command(std::move(frame), now);
  rx_mid_message_ = message_access::has(frame, message_access::more);
  return deliver(std::move(frame));
}

bool connection::deliver(message&& frame) {
  message_access::adopt_meta(frame, meta_.take());
  return sink_.on_message(std::move(frame));
}

// Commands after the handshake (rfc 37 traffic = *(command | message)).
bool connection::on_command(message&& frame, time_point now) {
  const auto cmd = parse_command(frame.bytes());
  if (!cmd) {
    fail(make_protocol_error(protocol_code::zmtp_malformed_command_unspecified, "malformed command frame"));
    return false;
  }
  if (cmd->name == command_name::ping) {
    const auto ping = parse_ping(cmd->data);
    if (!ping) {
      fail(make_protocol_error(protocol_code::zmtp_malformed_command_unspecified,
                               "PING without its 2-octet TTL"));
      return false;
    }
    heartbeat_.on_ping(now, ping->ttl_deciseconds);
    // rfc 37: "it SHALL respond with a PONG command that echoes the ping-context".
    pending_pongs_.push_back(build_pong(ping->context));
    return pending_pongs_.size() < max_waiting_pongs;  // full: decode no further (input_blocked)
  }
  if (cmd->name == command_name::pong) return true;  // liveness already noted
  const bool subscribe = cmd->name == command_name::subscribe;
  if (subscribe || cmd->name == command_name::cancel) {
    // Subscriptions are whole messages; one inside a multipart message would corrupt it.
    if (rx_mid_message_) {
      fail(make_protocol_error(protocol_code::zmtp_unexpected_command,
                               "subscription command inside a multipart message"));
      return false;
    }
    if (!detail::row_of(config_.type).receives_subscriptions) return true;
    // Deliver it in the 3.0 form, "\x01topic" / "\x00topic", which PUB/XPUB also get from
    // 3.0 peers: one form for the pattern layer.
    const std::byte marker = subscribe ? std::byte{1} : std::byte{0};
    message m(1 + cmd->data.size());
    auto* p = static_cast<std::byte*>(m.data());
    p[0] = marker;
    if (!cmd->data.empty()) std::memcpy(p + 1, cmd->data.data(), cmd->data.size());
    return deliver(std::move(m));
  }
  if (cmd->name == command_name::error) {
    on_peer_error(cmd->data);
    return false;
  }
  // rfc 37 leaves room for new commands; libzmq drops unknown ones (session_base::push_msg).
  return true;
}

void connection::fail(const error_info& e) {
  if (phase_ == phase::failed) return;
  phase_ = phase::failed;
  pending_ping_ = false;
  pending_pongs_.clear();
  held_input_ = std::vector<std::byte>();
  held_pos_ = 0;
  handshake_deadline_.reset();
  sink_.on_error(e);
}

std::optional<connection::time_point> connection::next_deadline() const noexcept {
  switch (phase_) {
    case phase::greeting:
    case phase::handshake: return handshake_deadline_;
    case phase::traffic:
      // Held input waits only for room among the PONGs: decode it at the next pass.
      if (!held_input_.empty() && pending_pongs_.size() < max_waiting_pongs) return time_point{};
      return heartbeat_.next_deadline();
    case phase::failed: break;
  }
  return std::nullopt;
}

void connection::on_timer(time_point now) {
  if (phase_ == phase::failed) return;
  if (phase_ != phase::traffic) {
    if (handshake_deadline_ && now >= *handshake_deadline_)
      fail(make_errno_error(ETIMEDOUT, "handshake not complete within " +
                                           std::to_string(config_.handshake_timeout.count()) + " ms"));
    return;
  }
  decode_held_input(now);
  if (phase_ == phase::failed) return;
  // The transport reads nothing while input is blocked: the PINGs that blocked it are the
  // peer's last sign of life, and the silence since is of our making.
  if (input_blocked()) heartbeat_.on_traffic();
  switch (heartbeat_.on_timer(now)) {
    case heartbeat::action::none: break;
    case heartbeat::action::send_ping: pending_ping_ = true; break;
    case heartbeat::action::timed_out:
      fail(make_errno_error(ETIMEDOUT, "no traffic within the heartbeat timeout after a PING"));
      break;
    case heartbeat::action::ttl_expired:
      fail(make_errno_error(ETIMEDOUT, "no traffic within the TTL of the peer's PING"));
      break;
  }
}

bool connection::has_pending_output() const noexcept {
  return !pending_raw_.empty() || pending_ping_ || !pending_pongs_.empty() ||
         (phase_ == phase::traffic && !encoder_opened_);
}

void connection::write_raw_commands(output_batch& out) {
  if (pending_raw_.empty()) return;
  for (message& cmd : pending_raw_) {
    out.append_copy(encode_frame_header(false, true, cmd.size()).view());
    out.append_body(std::move(cmd));
  }
  // Handshake commands come a few at a time, once: their vector is not kept (its storage is
  // memory a connection waiting for its peer would hold for nothing; `= {}` would keep it).
  pending_raw_ = std::vector<message>();
}

void connection::flush_pending(output_batch& out) {
  write_raw_commands(out);
  if (phase_ != phase::traffic) return;
  if (!encoder_opened_) {
    // Published to the encode side under the output lock the caller holds.
    encoder_.subscription_commands = !(peer().major == 3 && peer().minor == 0);
    encoder_.open = true;
    encoder_opened_ = true;
  }
  if (pending_ping_) {
    pending_ping_ = false;
    if (!out.full() && !write_frame(build_ping(heartbeat_.ping_ttl(), {}), out)) fail(encoder_.error);
  }
  std::size_t written = 0;
  while (written < pending_pongs_.size() && out.size() < pong_output_bound) {
    if (!write_frame(std::move(pending_pongs_[written++]), out)) {
      fail(encoder_.error);
      return;
    }
  }
  pending_pongs_.erase(pending_pongs_.begin(), pending_pongs_.begin() + static_cast<std::ptrdiff_t>(written));
}

// ---------------------------------------------------------------------------------------
// Encode side

bool connection::send(message&& frame, output_batch& out) {
  if (!encoder_.open) return false;
  const bool more = message_access::has(frame, message_access::more);
  if (detail::row_of(config_.type).sends_subscriptions && !encoder_.mid_message && !more &&
      encoder_.subscription_commands && !frame.empty()) {
    const auto first = std::to_integer<unsigned>(frame.bytes()[0]);
    // rfc 37: SUB/XSUB "SHALL send a SUBSCRIBE command" / "a CANCEL command" to 3.1 peers.
    if (first <= 1) {
      const bytes topic = frame.bytes().subspan(1);
      frame = first == 1 ? build_subscribe(topic) : build_cancel(topic);
    }
  }
  encoder_.mid_message = more;
  return write_frame(std::move(frame), out);
}

bool connection::write_frame(message&& frame, output_batch& out) {
  if (transforms_) {
    switch (mech_->encode(frame, encoder_.error)) {
      case codec_status::ok: break;
      case codec_status::drop: return true;
      case codec_status::failed: encoder_.open = false; return false;
    }
  }
  out.append_copy(encode_frame_header(frame).view());
  out.append_body(std::move(frame));
  return true;
}

}  // namespace ringmq::zmtp
