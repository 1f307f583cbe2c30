// REQ (rfc 28): a DEALER that adds an empty delimiter to each request and accepts exactly
// one reply, from the peer the request went to, before the next request. REQ_RELAXED lets a
// new request abandon the pending reply; REQ_CORRELATE prefixes requests with an id and
// drops replies that do not carry it.
#include "core/message_access.hpp"
#include "core/status.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"
#include "pattern/reqrep/dealer.hpp"

#include <cstring>
#include <random>

namespace ringmq::detail {

namespace {

class req final : public dealer {
 public:
  explicit req(pattern_host& host) : dealer(host) {
    std::random_device rd;
    request_id_ = rd();
  }

  void detach(peer& p) override {
    if (reply_peer_ == &p) reply_peer_ = nullptr;
    dealer::detach(p);
  }

  std::error_code send(message& frame, bool more) override {
    if (receiving_reply_) {
      if (!relaxed_) return invalid_state();
      receiving_reply_ = false;  // the pending reply is abandoned
      message_begins_ = true;
    }
    if (message_begins_) {
      peer* to = nullptr;
      if (correlate_) {
        const std::uint32_t next = request_id_ + 1;
        message id(&next, sizeof next);
        if (std::error_code ec = lb_.send(id, true, &to)) return ec;
        request_id_ = next;
        message bottom;
        lb_.send(bottom, true);
      } else {
        message bottom;
        if (std::error_code ec = lb_.send(bottom, true, &to)) return ec;
      }
      reply_peer_ = to;
      message_begins_ = false;
    }
    lb_.send(frame, more);
    if (!more) {
      receiving_reply_ = true;
      message_begins_ = true;
    }
    return no_error;
  }

  std::error_code recv(message& frame) override {
    if (!receiving_reply_) return invalid_state();
    while (message_begins_) {
      peer* from = nullptr;
      if (std::error_code ec = fq_.recv(frame, &from)) return ec;
      if (accept_header(frame, from)) {
        message_begins_ = false;
        break;
      }
      while (frame.more() && !fq_.recv(frame)) {
      }  // drop the rest of this message
    }
    if (std::error_code ec = fq_.recv(frame)) return ec;
    if (!frame.more()) {
      receiving_reply_ = false;
      message_begins_ = true;
    }
    return no_error;
  }

  bool can_send() override { return (!receiving_reply_ || relaxed_) && dealer::can_send(); }
  bool can_recv() override { return receiving_reply_ && dealer::can_recv(); }

  using dealer::set_option;
  std::error_code set_option(option id, std::int64_t value) override {
    bool* field = nullptr;
    switch (id) {
      case option::req_relaxed: field = &relaxed_; break;
      case option::req_correlate: field = &correlate_; break;
      default: return dealer::set_option(id, value);
    }
    if (value != 0 && value != 1) return make_error_code(errc::invalid_option_value);
    *field = value != 0;
    return no_error;
  }

 private:
  // Reads the reply header that starts with `first`: [request id,] empty delimiter. False if
  // the reply is not for our pending request (wrong peer, id or shape); `frame` is then the
  // last frame read from it.
  bool accept_header(message& frame, peer* from) {
    if (from != reply_peer_ || !frame.more()) return false;
    if (correlate_) {
      if (frame.size() != sizeof request_id_ ||
          std::memcmp(frame.data(), &request_id_, sizeof request_id_) != 0)
        return false;
      if (fq_.recv(frame) || !frame.more()) return false;
    }
    return frame.empty();
  }

  peer* reply_peer_ = nullptr;
  std::uint32_t request_id_;
  bool receiving_reply_ = false;
  bool message_begins_ = true;
  bool relaxed_ = false;
  bool correlate_ = false;
};

}  // namespace

std::unique_ptr<pattern> make_req(pattern_host& host) { return std::make_unique<req>(host); }

}  // namespace ringmq::detail
