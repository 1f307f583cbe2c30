#include "pattern/reqrep/router.hpp"

#include "core/message_access.hpp"
#include "core/status.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"
#include "pattern/reqrep/probe.hpp"

#include <random>

namespace ringmq::detail {

router::router(pattern_host& host) : host_(host), fq_(host) {
  // libzmq starts the generated-id counter at a random value.
  std::random_device rd;
  next_id_ = rd();
}

std::string router::generate_id() {
  for (;;) {
    const std::uint32_t n = next_id_++;
    std::string id{'\0', static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                   static_cast<char>(n)};
    if (!by_id_.contains(id)) return id;
  }
}

bool router::identify(peer& p) {
  auto& named = p.state<routed_peer>();
  if (named.identified) return true;
  const peer_info* info = p.end.peer();
  // Named by CONNECT_ROUTING_ID, or by what the peer announces once that is known.
  if (info == nullptr && p.alias.empty()) return true;
  std::string id = !p.alias.empty() ? p.alias : info->routing_id;
  if (id.empty()) {
    id = generate_id();
  } else if (auto it = by_id_.find(id); it != by_id_.end()) {
    peer* old = it->second;
    // libzmq: a duplicate identity is refused. A holder whose peer already left is no
    // conflict, even if we have not read the end of its pipe yet (a quick reconnect).
    if (!handover_ && !old->end.peer_closed()) return false;
    host_.peer_closed(*old);  // the new connection takes the name over
  }
  named.routing_id = id;
  named.identified = true;
  if ((notify_ & router_notify_connect) != 0) notices_.push_back(id);
  by_id_[std::move(id)] = &p;
  return true;
}

bool router::attach(peer& p) {
  p.pattern_state = std::make_unique<routed_peer>();
  if (probe_) send_probe(p);
  if (!identify(p)) return false;
  fq_.attach(p);
  return true;
}

void router::detach(peer& p) {
  fq_.detach(p);
  if (const auto& named = p.state<routed_peer>(); named.identified) {
    auto it = by_id_.find(named.routing_id);
    if (it != by_id_.end() && it->second == &p) by_id_.erase(it);
    // After the peer's last message: detach follows the read of the end of its pipe.
    if ((notify_ & router_notify_disconnect) != 0) notices_.push_back(named.routing_id);
  }
  if (out_ == &p) out_ = nullptr;  // the rest of the message being sent is dropped
}

void router::read_activated(peer& p) {
  if (!identify(p)) {
    host_.peer_closed(p);
    return;
  }
  fq_.read_activated(p);
}

std::error_code router::recv(message& frame) {
  if (prefetched_) {
    frame = std::move(*prefetched_);
    prefetched_.reset();
    more_in_ = frame.more();
    return no_error;
  }
  if (!more_in_ && !notices_.empty()) {
    frame = message(notices_.front());
    notices_.pop_front();
    message_access::set(frame, message_access::more, true);
    prefetched_ = message();
    more_in_ = true;
    return no_error;
  }
  peer* from = nullptr;
  if (std::error_code ec = fq_.recv(frame, &from)) return ec;
  if (more_in_) {
    more_in_ = frame.more();
    return no_error;
  }
  // First frame of a message: hand out the sender's routing id first.
  identify(*from);
  prefetched_ = std::move(frame);
  frame = message(from->state<routed_peer>().routing_id);
  message_access::set(frame, message_access::more, true);
  more_in_ = true;
  return no_error;
}

bool router::can_recv() { return prefetched_ || more_in_ || !notices_.empty() || fq_.can_recv(); }

bool router::can_send() {
  // libzmq: always writable (unroutable messages are dropped), except with ROUTER_MANDATORY,
  // where a send may fail: writable while some peer has room.
  if (!mandatory_ || more_out_) return true;
  for (const auto& [id, p] : by_id_)
    if (p->end.can_write()) return true;
  return false;
}

std::error_code router::send(message& frame, bool more) {
  if (!more_out_) {
    // The routing-id frame. A lone routing id is not a message: it is dropped.
    out_ = nullptr;
    if (more) {
      auto it = by_id_.find(std::string(frame.view()));
      // A peer that left is unroutable, whether or not we have read the end of its pipe.
      if (it == by_id_.end() || it->second->end.peer_closed()) {
        if (mandatory_) return std::make_error_code(std::errc::host_unreachable);
      } else if (!it->second->end.can_write_or_drain()) {
        if (mandatory_) return would_block();
      } else {
        out_ = it->second;
      }
    }
    more_out_ = more;
    frame.reset();
    return no_error;
  }
  more_out_ = more;
  if (out_ == nullptr) {  // unroutable or over the high-water mark: dropped
    frame.reset();
    return no_error;
  }
  out_->end.write(std::move(frame), more);
  if (!more) {
    out_->end.flush();
    out_ = nullptr;
  }
  return no_error;
}

std::error_code router::set_option(option id, std::int64_t value) {
  if (id == option::router_notify) {
    if (value < 0 || value > (router_notify_connect | router_notify_disconnect))
      return make_error_code(errc::invalid_option_value);
    notify_ = static_cast<int>(value);
    return no_error;
  }
  bool* field = nullptr;
  switch (id) {
    case option::router_mandatory: field = &mandatory_; break;
    case option::router_handover: field = &handover_; break;
    case option::probe_router: field = &probe_; break;
    default: return pattern::set_option(id, value);
  }
  if (value != 0 && value != 1) return make_error_code(errc::invalid_option_value);
  *field = value != 0;
  return no_error;
}

std::error_code router::get_option(option id, std::int64_t& value) const {
  if (id != option::router_notify) return pattern::get_option(id, value);
  value = notify_;
  return no_error;
}

std::unique_ptr<pattern> make_router(pattern_host& host) { return std::make_unique<router>(host); }

}  // namespace ringmq::detail
