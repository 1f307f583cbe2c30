// REP (rfc 28): a ROUTER that receives one request at a time, keeps its envelope (every
// frame up to and including the empty delimiter) and puts it back on the reply. Strict
// recv/send alternation; a request without a delimiter is dropped.
#include "core/status.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"
#include "pattern/reqrep/router.hpp"

#include <vector>

namespace ringmq::detail {

namespace {

class rep final : public router {
 public:
  explicit rep(pattern_host& host) : router(host) {}

  std::error_code recv(message& frame) override {
    if (sending_reply_) return invalid_state();
    if (request_begins_) {
      if (std::error_code ec = read_envelope(frame)) return ec;
      request_begins_ = false;
    }
    if (std::error_code ec = router::recv(frame)) return ec;
    if (!frame.more()) {
      sending_reply_ = true;
      request_begins_ = true;
    }
    return no_error;
  }

  std::error_code send(message& frame, bool more) override {
    if (!sending_reply_) return invalid_state();
    for (message& part : envelope_) router::send(part, true);
    envelope_.clear();
    if (std::error_code ec = router::send(frame, more)) return ec;
    if (!more) sending_reply_ = false;
    return no_error;
  }

  bool can_send() override { return sending_reply_; }
  bool can_recv() override { return !sending_reply_ && router::can_recv(); }

 private:
  // Reads frames up to the delimiter of the next well-formed request into envelope_.
  std::error_code read_envelope(message& frame) {
    for (;;) {
      envelope_.clear();
      if (std::error_code ec = router::recv(frame)) return ec;  // the routing id
      envelope_.push_back(std::move(frame));
      for (;;) {
        if (router::recv(frame)) break;  // cannot happen: messages arrive whole
        const bool more = frame.more();
        const bool bottom = frame.empty();
        if (!more) break;  // ended before a delimiter: malformed, dropped
        envelope_.push_back(std::move(frame));
        if (bottom) return no_error;
      }
      frame.reset();
    }
  }

  std::vector<message> envelope_;
  bool sending_reply_ = false;
  bool request_begins_ = true;
};

}  // namespace

std::unique_ptr<pattern> make_rep(pattern_host& host) { return std::make_unique<rep>(host); }

}  // namespace ringmq::detail
