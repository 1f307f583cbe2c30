// PAIR (rfc 31): exactly one peer; further connections are refused. Blocks at the
// high-water mark. A peer that went away gives its place to the next one at once, except
// while one of its messages is half read; a message half sent to it is dropped whole.
#include "core/message_access.hpp"
#include "core/pattern.hpp"
#include "core/status.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"

#include <utility>

namespace ringmq::detail {

namespace {

class pair_socket final : public pattern {
 public:
  explicit pair_socket(pattern_host& host) : host_(host) {}

  bool attach(peer& p) override {
    if (peer_ != nullptr && peer_->end.peer_closed()) {
      // The peer went away: it must not keep the place of the new one (we may not have read
      // its delimiter yet), and what it left unread is dropped with it, except the rest of
      // a message we are reading: that is in its pipe (messages are published whole), and
      // the new peer waits until it is read.
      if (more_in_) {
        if (next_ != nullptr) return false;
        next_ = &p;
        return true;
      }
      host_.peer_closed(*peer_);
    }
    if (peer_ != nullptr) return false;
    peer_ = &p;
    return true;
  }
  void detach(peer& p) override {
    if (next_ == &p) {
      next_ = nullptr;
      return;
    }
    if (peer_ != &p) return;
    peer_ = std::exchange(next_, nullptr);
    // The rest of a message being sent has no peer any more: it is taken and dropped (only
    // a first part can block), never sent to the next peer as a message of its own.
    dropping_ = more_out_;
    more_out_ = false;
    more_in_ = false;
  }
  void read_activated(peer&) override {}
  void write_activated(peer&) override {}

  std::error_code send(message& frame, bool more) override {
    if (dropping_) {
      dropping_ = more;
      frame.reset();
      return no_error;
    }
    if (peer_ == nullptr) return would_block();
    // A peer that went away takes no new message (can_write); the rest of a message already
    // started goes into its pipe, and is dropped with it.
    if (!more_out_ && !peer_->end.can_write()) return would_block();
    peer_->end.write(std::move(frame), more);
    more_out_ = more;
    if (!more) peer_->end.flush();
    return no_error;
  }

  std::error_code recv(message& frame) override {
    if (peer_ == nullptr) return would_block();
    switch (peer_->end.read(frame)) {
      case link_end::read_status::ok:
        more_in_ = frame.more();
        // The half-read message of a peer that went away is whole now: the waiting one
        // takes its place.
        if (!more_in_ && next_ != nullptr) host_.peer_closed(*peer_);
        return no_error;
      case link_end::read_status::empty: return would_block();
      case link_end::read_status::closed: host_.peer_closed(*peer_); return would_block();
    }
    return would_block();
  }

  bool can_send() override {
    return dropping_ || (peer_ != nullptr && (more_out_ || peer_->end.can_write()));
  }
  bool can_recv() override {
    if (peer_ == nullptr) return false;
    if (more_in_) return true;
    if (!peer_->end.check_read()) return false;
    // Only the end of the pipe is left: the peer is gone, there is nothing to receive.
    if (message_access::has(peer_->end.get().in(peer_->end.side()).front(), message_access::delimiter)) {
      host_.peer_closed(*peer_);
      return false;
    }
    return true;
  }

 private:
  pattern_host& host_;
  peer* peer_ = nullptr;
  peer* next_ = nullptr;   // arrived while a message of the departed peer_ was half read
  bool more_out_ = false;  // in the middle of sending a message to peer_
  bool more_in_ = false;   // in the middle of reading a message from peer_
  bool dropping_ = false;  // the rest of a message whose peer went away: dropped
};

}  // namespace

std::unique_ptr<pattern> make_pair(pattern_host& host) { return std::make_unique<pair_socket>(host); }

}  // namespace ringmq::detail
