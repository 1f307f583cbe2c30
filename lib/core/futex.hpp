// Thin wrappers over the Linux futex system call for 32-bit atomics.
#pragma once

#include "core/clock.hpp"

#include <atomic>
#include <cstdint>
#include <optional>

namespace ringmq::detail {

// Sleeps while `word` holds `expected`, until woken or `deadline` passes. Spurious returns
// are possible; callers re-check their condition.
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                std::optional<time_point> deadline) noexcept;
// Wakes every thread sleeping on `word`.
void futex_wake_all(std::atomic<std::uint32_t>& word) noexcept;

// A bounded spin: calls `ready()` until it returns true or `spin` elapses.
template <class Ready>
bool spin_until(Ready&& ready, std::chrono::nanoseconds spin) {
  if (spin.count() <= 0) return ready();
  const auto until = steady_clock::now() + spin;
  for (unsigned i = 0;; ++i) {
    if (ready()) return true;
    __builtin_ia32_pause();
    if ((i & 63) == 63 && steady_clock::now() >= until) return ready();
  }
}

}  // namespace ringmq::detail
