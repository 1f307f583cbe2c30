// PAIR (rfc 31): exactly one peer; further connections are refused. Blocks at the
// high-water mark.
#include "core/pattern.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"

namespace ringmq::detail {

namespace {

class pair_socket final : public pattern {
 public:
  explicit pair_socket(pattern_host& host) : host_(host) {}

  bool attach(peer& p) override {
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
    return {};
  }

  std::error_code recv(message& frame) override {
    if (peer_ == nullptr) return would_block();
    switch (peer_->end.read(frame)) {
      case link_end::read_status::ok:
        more_in_ = frame.more();
        return {};
      case link_end::read_status::empty:
        return would_block();
      case link_end::read_status::closed:
        host_.peer_closed(*peer_);
        return would_block();
    }
    return would_block();
  }

  bool can_send() override { return peer_ != nullptr && (more_out_ || peer_->end.can_write()); }
  bool can_recv() override { return peer_ != nullptr && (more_in_ || peer_->end.check_read()); }

 private:
  pattern_host& host_;
  peer* peer_ = nullptr;
  bool more_out_ = false;
  bool more_in_ = false;
};

}  // namespace

std::unique_ptr<pattern> make_pair(pattern_host& host) { return std::make_unique<pair_socket>(host); }

}  // namespace ringmq::detail
