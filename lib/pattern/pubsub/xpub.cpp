#include "pattern/pubsub/xpub.hpp"

#include "core/message_access.hpp"
#include "core/status.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"

#include <utility>

namespace ringmq::detail {

bool xpub::attach(peer& p) {
  p.pattern_state = std::make_unique<subscriber>();
  dist_.attach(p);
  if (welcome_.size() != 0) {
    p.end.write(message(welcome_), false);
    p.end.flush();
  }
  read_peer(p);  // subscriptions may already be waiting
  return true;
}

void xpub::detach(peer& p) {
  dist_.detach(p);
  auto& sub = p.state<subscriber>();
  if (manual_) {
    // libzmq: each topic the peer asked for is surfaced as cancelled, whatever the
    // application granted; what it was granted goes silently.
    requested_.remove_peer_each(p, sub.requested,
                                [this](std::string_view topic, bool) { surface(topic, false); });
    subscriptions_.remove_peer_each(p, sub.usage, [](std::string_view, bool) {});
    for (pending_frame& f : pending_)
      if (f.from == &p) f.from = nullptr;
    if (last_ == &p) last_ = nullptr;
    return;
  }
  // rfc 29: a subscriber that goes away takes its subscriptions with it. As in libzmq,
  // XPUB_VERBOSER reports each of them, the others only the topics nobody wants any more.
  subscriptions_.remove_peer_each(p, sub.usage, [this](std::string_view topic, bool last) {
    if (last || verboser_) surface(topic, false);
  });
}

void xpub::read_activated(peer& p) { read_peer(p); }

void xpub::drop(peer& p, peer_limit broken) {
  host_.drop_peer(p, monitor_event::limit_exceeded, static_cast<std::int64_t>(broken));
}

void xpub::surface(std::string_view topic, bool subscribe, peer* from) {
  if (is_pub_) return;
  message note(topic.size() + 1);
  auto* bytes = static_cast<char*>(note.data());
  bytes[0] = subscribe ? 1 : 0;
  if (!topic.empty()) std::memcpy(bytes + 1, topic.data(), topic.size());
  pending_.push_back({std::move(note), from});
}

bool xpub::request(std::string_view topic, bool subscribe, peer& p) {
  auto& asked = p.state<subscriber>().requested;
  if (!subscribe) {
    requested_.remove(topic, p, asked);
  } else {
    switch (requested_.add(topic, p, asked)) {
      case subscription_map::add_result::over_topics: drop(p, peer_limit::subscriptions); return false;
      case subscription_map::add_result::over_memory: drop(p, peer_limit::subscription_memory); return false;
      default: break;
    }
  }
  surface(topic, subscribe, &p);
  return true;
}

void xpub::read_peer(peer& p) {
  message frame;
  for (;;) {
    switch (p.end.read(frame)) {
      case link_end::read_status::empty: return;
      case link_end::read_status::closed:
        host_.peer_closed(p);  // calls detach(p)
        return;
      case link_end::read_status::ok: break;
    }
    const bool first = !reading_more_;
    reading_more_ = frame.more();
    const std::string_view data = frame.view();
    // "\x01topic" subscribes, "\x00topic" unsubscribes (the session turns ZMTP 3.1
    // SUBSCRIBE/CANCEL commands into this form).
    if (first && !frame.more() && !data.empty() && (data[0] == 0 || data[0] == 1)) {
      const std::string_view topic = data.substr(1);
      if (manual_) {
        if (!request(topic, data[0] == 1, p)) return;  // `p` is gone
      } else if (data[0] == 1) {
        switch (subscriptions_.add(topic, p, p.state<subscriber>().usage)) {
          case subscription_map::add_result::first: surface(topic, true); break;
          case subscription_map::add_result::added:
          case subscription_map::add_result::already:
            if (verbose_) surface(topic, true);
            break;
          case subscription_map::add_result::over_topics:
            drop(p, peer_limit::subscriptions);
            return;  // `p` is gone
          case subscription_map::add_result::over_memory: drop(p, peer_limit::subscription_memory); return;
        }
      } else {
        if (subscriptions_.remove(topic, p, p.state<subscriber>().usage) || verboser_) surface(topic, false);
      }
      continue;
    }
    // Any other message travels upstream to the XPUB user; PUB drops it.
    if (is_pub_)
      frame.reset();
    else
      pending_.push_back({std::move(frame), nullptr});  // leaves `frame` empty
  }
}

std::error_code xpub::send(message& frame, bool more) {
  if (!dist_.in_message()) {
    if (last_value_ && last_ != nullptr) {
      // XPUB_MANUAL_LAST_VALUE: the message after a grant goes to the granted peer only.
      peer* only = std::exchange(last_, nullptr);
      subscriptions_.match(frame.view(), [&](peer& p) {
        if (&p == only) dist_.add_target(p);
      });
    } else {
      subscriptions_.match(frame.view(), [this](peer& p) { dist_.add_target(p); });
    }
    if (options_.invert_matching) dist_.invert_targets();
    if (nodrop_ && !dist_.targets_have_credit()) {
      // Keep nothing selected: the caller retries the whole message.
      dist_.clear_targets();
      return would_block();
    }
  }
  dist_.send(frame, more);
  return no_error;
}

std::error_code xpub::recv(message& frame) {
  if (is_pub_) return not_supported();
  if (pending_.empty()) return would_block();
  pending_frame& next = pending_.front();
  frame = std::move(next.frame);
  if (manual_ && next.from != nullptr) last_ = next.from;
  pending_.pop_front();
  return no_error;
}

bool xpub::can_send() {
  if (!nodrop_) return true;
  for (std::size_t i = 0; i < dist_.size(); ++i)
    if (!dist_[i].end.can_write()) return false;
  return true;
}

bool xpub::can_recv() { return !is_pub_ && !pending_.empty(); }

std::error_code xpub::set_option(option id, std::int64_t value) {
  if (id == option::xpub_max_subscriptions) {
    // -1 lifts the limits (libzmq has none); 0 would refuse every subscriber.
    if (value < -1 || value == 0) return make_error_code(errc::invalid_option_value);
    subscriptions_.set_limits(subscription_limits::for_topics(value));
    requested_.set_limits(subscription_limits::for_topics(value));
    return no_error;
  }
  bool* field = nullptr;
  switch (id) {
    case option::xpub_verbose: field = &verbose_; break;
    case option::xpub_verboser: field = &verboser_; break;
    case option::xpub_nodrop: field = &nodrop_; break;
    case option::xpub_manual: field = &manual_; break;
    case option::xpub_manual_last_value: field = &last_value_; break;
    default: return pattern::set_option(id, value);
  }
  if (value != 0 && value != 1) return make_error_code(errc::invalid_option_value);
  *field = value != 0;
  if (id == option::xpub_verboser && verboser_) verbose_ = true;
  if (id == option::xpub_manual_last_value) manual_ = last_value_;  // libzmq: both or neither
  if (id == option::xpub_manual && !manual_) last_value_ = false;
  return no_error;
}

std::error_code xpub::set_option(option id, std::string_view value) {
  switch (id) {
    case option::xpub_welcome_msg: welcome_ = value.empty() ? message() : message(value); return no_error;
    case option::subscribe:
    case option::unsubscribe: {
      // XPUB_MANUAL only: grants (or takes back) a topic for the peer of the last
      // subscription received; without one, nothing happens (libzmq).
      if (!manual_) return pattern::set_option(id, value);
      if (last_ == nullptr) return no_error;
      auto& usage = last_->state<subscriber>().usage;
      if (id == option::unsubscribe) {
        subscriptions_.remove(value, *last_, usage);
        return no_error;
      }
      const auto added = subscriptions_.add(value, *last_, usage);
      const bool refused = added == subscription_map::add_result::over_topics ||
                           added == subscription_map::add_result::over_memory;
      // The peer's limits hold for grants too; an application that grants a topic the peer
      // never asked for past them is told so.
      return refused ? make_error_code(errc::invalid_option_value) : no_error;
    }
    default: return pattern::set_option(id, value);
  }
}

std::error_code xpub::get_option(option id, std::int64_t& value) const {
  if (id != option::xpub_max_subscriptions) return pattern::get_option(id, value);
  const std::size_t topics = subscriptions_.limits().topics;
  value = topics == subscription_limits::unlimited ? -1 : static_cast<std::int64_t>(topics);
  return no_error;
}

namespace {
class pub final : public xpub {
 public:
  explicit pub(pattern_host& host) : xpub(host, true) {}
  using xpub::set_option;
  std::error_code set_option(option id, std::int64_t value) override {
    // PUB has XPUB_NODROP but not the options about surfacing subscriptions.
    if (id == option::xpub_verbose || id == option::xpub_verboser || id == option::xpub_manual ||
        id == option::xpub_manual_last_value)
      return not_supported();
    return xpub::set_option(id, value);
  }
};
}  // namespace

std::unique_ptr<pattern> make_xpub(pattern_host& host) { return std::make_unique<xpub>(host, false); }
std::unique_ptr<pattern> make_pub(pattern_host& host) { return std::make_unique<pub>(host); }

}  // namespace ringmq::detail
