#include "zmtp/raw_connection.hpp"

#include "core/message_access.hpp"
#include "zmtp/metadata_codec.hpp"

#include <cerrno>
#include <new>
#include <utility>
#include <vector>

namespace ringmq::zmtp {

using detail::message_access;

namespace {

detail::metadata_ptr raw_metadata(const std::string& peer_address) {
  std::vector<detail::metadata::property> props;
  if (!peer_address.empty()) props.emplace_back(std::string(property_name::peer_address), peer_address);
  return detail::metadata_ptr(detail::metadata::create(std::move(props)));
}

}  // namespace

raw_connection::raw_connection(const raw_config& config, connection_sink& sink)
    : sink_(sink), notify_(config.notify), meta_(raw_metadata(config.peer_address)) {}

void raw_connection::start(output_batch&, time_point) {
  started_ = true;
  handshake_info info;
  info.peer_type = std::nullopt;  // a raw peer has no socket type
  info.meta = meta_.set();
  sink_.on_handshake_succeeded(info);
  if (notify_) deliver(message());
}

std::size_t raw_connection::feed(bytes in, time_point) {
  if (ended_ || in.empty()) return in.size();
  message frame;
  try {
    frame = message(in);
  } catch (const std::bad_alloc&) {
    ended_ = true;
    sink_.on_error(make_errno_error(ENOMEM, "cannot allocate a received chunk"));
    return 0;
  }
  // The sink cannot pause a raw connection: a chunk is one message, delivered whole.
  (void)deliver(std::move(frame));
  return in.size();
}

void raw_connection::ended() {
  if (std::exchange(ended_, true) || !started_) return;
  if (notify_) deliver(message());
}

bool raw_connection::deliver(message&& frame) {
  message_access::adopt_meta(frame, meta_.take());
  return sink_.on_message(std::move(frame));
}

bool raw_connection::send(message&& frame, output_batch& out) {
  // An empty frame would write nothing; STREAM never passes one down (it closes instead).
  if (frame.size() != 0) out.append_body(std::move(frame));
  return true;
}

}  // namespace ringmq::zmtp
