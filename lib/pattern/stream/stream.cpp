#include "pattern/stream/stream.hpp"

#include "core/message_access.hpp"
#include "core/status.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"

#include <random>

namespace ringmq::detail {

stream_pattern::stream_pattern(pattern_host& host) : host_(host), fq_(host) {
  // libzmq starts the generated-id counter at a random value.
  std::random_device rd;
  next_id_ = rd();
}

std::string stream_pattern::generate_id() {
  for (;;) {
    const std::uint32_t n = next_id_++;
    std::string id{'\0', static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                   static_cast<char>(n)};
    if (!by_id_.contains(id)) return id;
  }
}

bool stream_pattern::attach(peer& p) {
  // A raw peer announces nothing: the name is CONNECT_ROUTING_ID's or a generated one.
  std::string id = p.alias.empty() ? generate_id() : p.alias;
  if (by_id_.contains(id)) return false;  // libzmq asserts on a taken CONNECT_ROUTING_ID
  auto state = std::make_unique<stream_peer>();
  state->routing_id = id;
  p.pattern_state = std::move(state);
  by_id_.emplace(std::move(id), &p);
  fq_.attach(p);
  return true;
}

void stream_pattern::detach(peer& p) {
  fq_.detach(p);
  if (p.pattern_state) {
    auto it = by_id_.find(p.state<stream_peer>().routing_id);
    if (it != by_id_.end() && it->second == &p) by_id_.erase(it);
  }
  if (out_ == &p) out_ = nullptr;
}

std::error_code stream_pattern::recv(message& frame) {
  if (prefetched_) {
    frame = std::move(*prefetched_);
    prefetched_.reset();
    return no_error;
  }
  peer* from = nullptr;
  if (std::error_code ec = fq_.recv(frame, &from)) return ec;
  // Every chunk is a single frame (raw_connection): it follows its sender's routing id.
  message_access::set(frame, message_access::more, false);
  prefetched_ = std::move(frame);
  frame = message(from->state<stream_peer>().routing_id);
  message_access::set(frame, message_access::more, true);
  return no_error;
}

std::error_code stream_pattern::send(message& frame, bool more) {
  if (!more_out_) {
    // The routing-id frame. As libzmq, the frame after it is the data whatever MORE says,
    // and an id frame without MORE names nobody: that data is dropped.
    out_ = nullptr;
    if (more) {
      auto it = by_id_.find(std::string(frame.view()));
      // A peer that left is unreachable, whether or not we have read the end of its pipe.
      if (it == by_id_.end() || it->second->end.peer_closed())
        return std::make_error_code(std::errc::host_unreachable);
      if (!it->second->end.can_write_or_drain()) return would_block();
      out_ = it->second;
    }
    more_out_ = true;
    frame.reset();
    return no_error;
  }
  more_out_ = false;
  peer* to = std::exchange(out_, nullptr);
  if (to == nullptr) {
    frame.reset();
    return no_error;
  }
  if (frame.size() == 0) {
    // Closes the connection: what was sent before is written first (the session drains its
    // pipe up to the end, within LINGER), then the socket forgets the peer.
    frame.reset();
    host_.peer_closed(*to);
    return no_error;
  }
  to->end.write(std::move(frame), false);
  to->end.flush();
  return no_error;
}

std::unique_ptr<pattern> make_stream(pattern_host& host) { return std::make_unique<stream_pattern>(host); }

}  // namespace ringmq::detail
