#include "transport/stream/session_gate.hpp"

#include "core/futex.hpp"
#include "transport/stream/stream_session.hpp"

namespace ringmq::detail {

void session_gate::set_session(stream_session* s) noexcept {
  acquire_io();
  session_ = s;
  // A request that arrived while no session was attached is served by the new session's
  // first pump; nothing is owed to a detached one.
  state_.store(none, std::memory_order_seq_cst);
}

void session_gate::acquire_io() noexcept {
  // An application thread holds the gate only for non-blocking work (encoding at most a
  // batch's worth, writes with MSG_DONTWAIT).
  while (!try_acquire(io_thread)) __builtin_ia32_pause();
}

bool session_gate::release_io() noexcept {
  state_.store(none, std::memory_order_seq_cst);
  if (!wanted_.load(std::memory_order_seq_cst)) return false;
  if (!try_acquire(io_thread)) return false;  // the new holder serves the request
  wanted_.store(false, std::memory_order_relaxed);
  return true;
}

void session_gate::release_io_later() noexcept {
  state_.store(none, std::memory_order_seq_cst);
  if (wanted_.load(std::memory_order_seq_cst)) post_pump();
}

void session_gate::want() noexcept {
  wanted_.store(true, std::memory_order_seq_cst);
  // If the holder released before our store it may have missed the flag: then the gate is
  // free and we post the work ourselves (seq_cst: we see its release, or it sees our flag).
  if (state_.load(std::memory_order_seq_cst) == none) post_pump();
}

void session_gate::post_pump() noexcept {
  try {
    loop_.post([self = shared_from_this()] {
      if (!self->try_acquire(io_thread)) {
        self->want();
        return;
      }
      self->wanted_.store(false, std::memory_order_relaxed);
      if (self->session_ != nullptr)
        self->session_->pump();
      else
        while (self->release_io()) {
        }
    });
  } catch (...) {
    // Out of memory: the request stays in `wanted_` for the next holder.
    wanted_.store(true, std::memory_order_seq_cst);
  }
}

void session_gate::on_readable(link&, int) noexcept {
  wanted_.store(true, std::memory_order_seq_cst);
  if (!try_acquire(app_thread)) return;  // the holder sees `wanted_` when it releases
  wanted_.store(false, std::memory_order_relaxed);
  using outcome = stream_session::direct_outcome;
  const outcome left = session_ != nullptr ? session_->send_directly() : outcome::needs_pump;
  state_.store(none, std::memory_order_seq_cst);
  if (left == outcome::needs_pump || wanted_.load(std::memory_order_seq_cst)) post_pump();
}

bool session_gate::drain_now(link& l, int side) noexcept {
  bool acquired = try_acquire(app_thread);
  if (!acquired) {
    // The I/O thread holds the gate for a moment (a pump, a send's completion), and that
    // pump returns credit. Wait a little for it or for the gate, unless the last wait was
    // in vain and the session has taken nothing from the pipe since: an I/O thread off the
    // CPU for long must not cost a publisher the wait at every message.
    pipe& out = l.in(side);  // the caller's out-pipe: credit is checked on its thread
    if (out.credit_returned() == vain_wait_mark_) return true;
    spin_then_nap([&] { return (acquired = try_acquire(app_thread)) || out.has_credit(); }, drain_spin,
                  drain_patience, drain_nap);
    if (!acquired) {
      vain_wait_mark_ = out.has_credit() ? no_vain_wait : out.credit_returned();
      return true;
    }
  }
  vain_wait_mark_ = no_vain_wait;
  using outcome = stream_session::direct_outcome;
  const bool attached = session_ != nullptr;
  const outcome left = attached ? session_->drain_directly() : outcome::done;
  state_.store(none, std::memory_order_seq_cst);
  if (left == outcome::needs_pump || wanted_.load(std::memory_order_seq_cst)) post_pump();
  return attached;
}

void session_gate::on_writable(link&, int) noexcept {
  try {
    loop_.post([self = shared_from_this()] {
      // session_ is written on this (the I/O) thread only: reading it here is safe.
      if (self->session_ != nullptr) self->session_->resume_receiving();
    });
  } catch (...) {
    // Out of memory: reception resumes with the next credit notification.
  }
}

}  // namespace ringmq::detail
