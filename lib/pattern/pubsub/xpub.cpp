#include "pattern/pubsub/xpub.hpp"

#include "core/message_access.hpp"
#include "core/status.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"

namespace ringmq::detail {

bool xpub::attach(peer& p) {
  p.pattern_state = std::make_unique<subscriber>();
  dist_.attach(p);
  read_peer(p);  // subscriptions may already be waiting
  return true;
}

void xpub::detach(peer& p) {
  dist_.detach(p);
  // rfc 29: a subscriber that goes away takes its subscriptions with it. As in libzmq,
  // XPUB_VERBOSER reports each of them, the others only the topics nobody wants any more.
  subscriptions_.remove_peer_each(p, p.state<subscriber>().usage, [this](std::string_view topic, bool last) {
    if (last || verboser_) surface(topic, false);
  });
}

void xpub::read_activated(peer& p) { read_peer(p); }

void xpub::drop(peer& p, peer_limit broken) {
  host_.drop_peer(p, monitor_event::limit_exceeded, static_cast<std::int64_t>(broken));
}

void xpub::surface(std::string_view topic, bool subscribe) {
  if (is_pub_) return;
  message note(topic.size() + 1);
  auto* bytes = static_cast<char*>(note.data());
  bytes[0] = subscribe ? 1 : 0;
  if (!topic.empty()) std::memcpy(bytes + 1, topic.data(), topic.size());
  pending_.push_back(std::move(note));
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
      if (data[0] == 1) {
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
      pending_.push_back(std::move(frame));  // leaves `frame` empty
  }
}

std::error_code xpub::send(message& frame, bool more) {
  if (!dist_.in_message()) {
    subscriptions_.match(frame.view(), [this](peer& p) { dist_.add_target(p); });
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
  frame = std::move(pending_.front());
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
    return no_error;
  }
  bool* field = nullptr;
  switch (id) {
    case option::xpub_verbose: field = &verbose_; break;
    case option::xpub_verboser: field = &verboser_; break;
    case option::xpub_nodrop: field = &nodrop_; break;
    default: return pattern::set_option(id, value);
  }
  if (value != 0 && value != 1) return make_error_code(errc::invalid_option_value);
  *field = value != 0;
  if (id == option::xpub_verboser && verboser_) verbose_ = true;
  return no_error;
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
    // PUB has XPUB_NODROP but not the verbose options.
    if (id == option::xpub_verbose || id == option::xpub_verboser) return not_supported();
    return xpub::set_option(id, value);
  }
};
}  // namespace

std::unique_ptr<pattern> make_xpub(pattern_host& host) { return std::make_unique<xpub>(host, false); }
std::unique_ptr<pattern> make_pub(pattern_host& host) { return std::make_unique<pub>(host); }

}  // namespace ringmq::detail
