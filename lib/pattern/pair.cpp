// PAIR (rfc 31): exactly one peer; further connections are refused. Blocks at the
// high-water mark.
#include "core/status.hpp"
#include "core/message_access.hpp"
#include "core/pattern.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"

namespace ringmq::detail {

namespace {

class pair_socket final : public pattern {
 public:
  explicit pair_socket(pattern_host& host) : host_(host) {}

  bool attach(peer& p) override {
    // A peer that went away is noticed here at the latest: it must not keep the place of
    // the new one (we may not have read its delimiter yet).
    if (peer_ != nullptr && peer_->end.peer_closed()) host_.peer_closed(*peer_);
    if (peer_ != nullptr) return false;
    peer_ = &p;
    return true;
  }
  void detach(peer& p) override {
    if (peer_ != &p) return;
    peer_ = nullptr;
    more_out_ = false;
    more_in_ = false;
  }
  void read_activated(peer&) override {}
  void write_activated(peer&) override {}

  std::error_code send(message& frame, bool more) override {
    if (peer_ == nullptr) return would_block();
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
        return no_error;
      case link_end::read_status::empty:
        return would_block();
      case link_end::read_status::closed:
        host_.peer_closed(*peer_);
        return would_block();
    }
    return would_block();
  }

  bool can_send() override { return peer_ != nullptr && (more_out_ || peer_->end.can_write()); }
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
  bool more_out_ = false;
  bool more_in_ = false;
};

}  // namespace

std::unique_ptr<pattern> make_pair(pattern_host& host) { return std::make_unique<pair_socket>(host); }

}  // namespace ringmq::detail
