#include "core/send_pacing.hpp"

#include "core/clock.hpp"

namespace ringmq::detail::send_pacing {

namespace {

// An answer follows its request after at least a round trip, which takes longer than this;
// a thread answering faster than this, to a message it did not wait for, is working through
// a backlog and is better batched. (Busy-polling peers make round trips shorter than this:
// their answers are told apart by the wait.)
constexpr auto answer_gap = std::chrono::microseconds(10);
// A sender that has not received anything is streaming unless it paused this long. Long
// enough to span a stream's stalls (a full pipe, a preempted thread on a busy machine).
constexpr auto stream_pause = std::chrono::microseconds(500);

struct thread_state {
  constexpr thread_state() noexcept = default;
  time_point last_attempt{};
  bool received = false;
  bool waited = false;
  bool sent_since_received = false;
};
// constinit: initialised before any code runs (nothing can throw, cert-err58-cpp).
constinit thread_local thread_state state;

}  // namespace

void note_received(bool waited) noexcept {
  state.received = true;
  state.waited = waited;
  state.sent_since_received = false;
}

void note_sent() noexcept { state.sent_since_received = true; }

bool awaiting_answer() noexcept { return state.sent_since_received; }

bool lone_message() noexcept {
  const auto now = steady_clock::now();
  const auto gap = now - state.last_attempt;
  const bool answer = state.received && (state.waited || gap >= answer_gap);
  state.last_attempt = now;
  state.received = false;
  return answer || gap >= stream_pause;
}

}  // namespace ringmq::detail::send_pacing
