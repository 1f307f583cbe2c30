// Monotonic time helpers shared by blocking calls and timers.
#pragma once

#include <time.h>

#include <chrono>
#include <optional>

namespace ringmq::detail {

using steady_clock = std::chrono::steady_clock;
using time_point = steady_clock::time_point;

// The deadline for a timeout in milliseconds; negative = none (wait forever).
inline std::optional<time_point> deadline_after(std::chrono::milliseconds timeout) {
  if (timeout.count() < 0) return std::nullopt;
  return steady_clock::now() + timeout;
}

// A non-negative duration (or a steady_clock time since its epoch) for a system call.
inline timespec to_timespec(std::chrono::nanoseconds d) noexcept {
  return {static_cast<time_t>(d.count() / 1'000'000'000), static_cast<long>(d.count() % 1'000'000'000)};
}

}  // namespace ringmq::detail
