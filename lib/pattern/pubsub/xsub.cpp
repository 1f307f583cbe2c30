#include "pattern/pubsub/xsub.hpp"

#include "core/status.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"

#include <cstring>

namespace ringmq::detail {

namespace {

message subscription_message(std::string_view topic, bool subscribe) {
  message m(topic.size() + 1);
  auto* bytes = static_cast<char*>(m.data());
  bytes[0] = subscribe ? 1 : 0;
  if (!topic.empty()) std::memcpy(bytes + 1, topic.data(), topic.size());
  return m;
}

}  // namespace

bool xsub::attach(peer& p) {
  fq_.attach(p);
  dist_.attach(p);
  // rfc 29: a new publisher learns every current subscription.
  subscriptions_.for_each([&](std::string_view topic) {
    if (!p.end.can_write()) return;
    p.end.write(subscription_message(topic, true), false);
  });
  p.end.flush();
  return true;
}

void xsub::detach(peer& p) {
  fq_.detach(p);
  dist_.detach(p);
}

void xsub::send_subscription(std::string_view topic, bool subscribe) {
  message m = subscription_message(topic, subscribe);
  dist_.target_all();
  dist_.send(m, false);
}

std::error_code xsub::send(message& frame, bool more) {
  const std::string_view data = frame.view();
  if (!more_out_ && !more && !data.empty() && (data[0] == 0 || data[0] == 1)) {
    const std::string_view topic = data.substr(1);
    if (data[0] == 1) {
      // Forwarded even when already subscribed: XPUB_VERBOSE upstream relies on it.
      subscriptions_.add(topic);
    } else if (!subscriptions_.remove(topic)) {
      frame.reset();  // still subscribed (or never was): nothing to tell upstream
      return no_error;
    }
  }
  if (!more_out_) dist_.target_all();
  dist_.send(frame, more);
  more_out_ = more;
  return no_error;
}

std::error_code xsub::read_matching(message& frame) {
  for (;;) {
    if (std::error_code ec = fq_.recv(frame)) return ec;
    if (more_in_) {
      more_in_ = frame.more();
      return no_error;
    }
    // INVERT_MATCHING: what matches no subscription.
    if (subscriptions_.matches(frame.view()) != options_.invert_matching) {
      more_in_ = frame.more();
      return no_error;
    }
    // Not subscribed: drop the whole message.
    while (frame.more()) {
      if (fq_.recv(frame)) break;  // cannot happen: multipart messages arrive whole
    }
    frame.reset();
  }
}

std::error_code xsub::recv(message& frame) {
  if (prefetched_) {
    frame = std::move(*prefetched_);
    prefetched_.reset();
    return no_error;
  }
  return read_matching(frame);
}

bool xsub::can_recv() {
  if (prefetched_ || more_in_) return true;
  message frame;
  if (read_matching(frame)) return false;
  prefetched_ = std::move(frame);
  return true;
}

namespace {

class sub final : public xsub {
 public:
  explicit sub(pattern_host& host) : xsub(host) {}
  using xsub::set_option;
  std::error_code send(message&, bool) override { return not_supported(); }
  bool can_send() override { return false; }
  std::error_code set_option(option id, std::string_view value) override {
    if (id == option::subscribe || id == option::unsubscribe) {
      message m = subscription_message(value, id == option::subscribe);
      return xsub::send(m, false);
    }
    return xsub::set_option(id, value);
  }
};

}  // namespace

std::unique_ptr<pattern> make_xsub(pattern_host& host) { return std::make_unique<xsub>(host); }
std::unique_ptr<pattern> make_sub(pattern_host& host) { return std::make_unique<sub>(host); }

}  // namespace ringmq::detail
