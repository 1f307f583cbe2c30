// Thin wrappers over the Linux futex system call for 32-bit atomics.
#pragma once

#include "core/clock.hpp"

#include <atomic>
#include <cstdint>
#include <optional>
#include <thread>

namespace ringmq::detail {

// Sleeps while `word` holds `expected`, until woken or `deadline` passes. Spurious returns
// are possible; callers re-check their condition. Returns true when the sleep was cut short
// by a signal handler (EINTR).
bool futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                std::optional<time_point> deadline) noexcept;
// Wakes every thread sleeping on `word`.
void futex_wake_all(std::atomic<std::uint32_t>& word) noexcept;

// Gives the CPU to another runnable thread, if any (the spinner's peer may share its core).
void yield_cpu() noexcept;

// A bounded spin: calls `ready()` until it returns true or `spin` elapses. After the first
// microsecond it yields between checks: on a machine with fewer free cores than spinning
// threads, a pure spin would keep the very thread it waits for off the CPU.
template <class Ready>
bool spin_until(Ready&& ready, std::chrono::nanoseconds spin) {
  if (spin.count() <= 0) return ready();
  const auto start = steady_clock::now();
  const auto until = start + spin;
  const auto polite = start + std::chrono::microseconds(1);
  for (unsigned i = 0;; ++i) {
    if (ready()) return true;
    __builtin_ia32_pause();
    if ((i & 31) != 31) continue;
    const auto now = steady_clock::now();
    if (now >= until) return ready();
    if (now >= polite) yield_cpu();
  }
}

// A wait on a thread that may be off the CPU for a while (a loaded machine): spins like
// spin_until for `spin`, then checks every `nap` while sleeping in between, so that the
// waiter leaves the CPU to the thread it waits for, until `patience` has elapsed in all.
template <class Ready>
bool spin_then_nap(Ready&& ready, std::chrono::nanoseconds spin, std::chrono::nanoseconds patience,
                   std::chrono::nanoseconds nap) {
  const auto until = steady_clock::now() + patience;
  if (spin_until(ready, spin)) return true;
  while (steady_clock::now() < until) {
    std::this_thread::sleep_for(nap);
    if (ready()) return true;
  }
  return false;
}

}  // namespace ringmq::detail
