#include "core/link.hpp"

#include "core/message_access.hpp"

namespace ringmq::detail {

std::shared_ptr<link> link::create(std::int64_t hwm_to_0, std::int64_t hwm_to_1, bool between_sockets) {
  return std::shared_ptr<link>(new link(hwm_to_0, hwm_to_1, between_sockets));
}

void link::set_listener(int side, std::shared_ptr<link_listener> listener) {
  end_state& end = ends_[side];
  end.listener_owner = std::move(listener);
  // release: the other end's acquire load sees a fully constructed listener.
  end.listener.store(end.listener_owner.get(), std::memory_order_release);
}

void link::notify_readable(int side) noexcept {
  if (link_listener* l = ends_[side].listener.load(std::memory_order_acquire)) l->on_readable(*this, side);
}

void link::notify_writable(int side) noexcept {
  if (link_listener* l = ends_[side].listener.load(std::memory_order_acquire)) l->on_writable(*this, side);
}

bool link::drain(int side) noexcept {
  link_listener* l = ends_[side].listener.load(std::memory_order_acquire);
  return l != nullptr && l->drain_now(*this, side);
}

void link::publish_info(int side, peer_info info) {
  ends_[side].info = std::move(info);
  ends_[side].info_ready.store(true, std::memory_order_release);
}

const peer_info* link::info(int side) const noexcept {
  return ends_[side].info_ready.load(std::memory_order_acquire) ? &ends_[side].info : nullptr;
}

void link_end::close(std::chrono::milliseconds linger) {
  if (!link_) return;
  link& l = *link_;
  pipe& out = l.out(side_);
  out.rollback();  // an unfinished multipart message is never delivered
  l.mark_closed(side_, linger);
  out.write_uncounted(message_access::make_delimiter());
  if (!out.flush()) l.notify_readable(other());
  // A writer waiting for credit from us must learn that we are gone.
  l.notify_writable(other());
  link_.reset();
}

}  // namespace ringmq::detail
