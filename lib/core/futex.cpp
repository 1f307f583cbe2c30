#include "core/futex.hpp"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace ringmq::detail {

bool futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                std::optional<time_point> deadline) noexcept {
  timespec ts{};
  timespec* tsp = nullptr;
  if (deadline) {
    // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time, which steady_clock is on Linux.
    ts = to_timespec(deadline->time_since_epoch());
    tsp = &ts;
  }
  const long rc = syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_BITSET_PRIVATE,
                          expected, tsp, nullptr, FUTEX_BITSET_MATCH_ANY);
  return rc < 0 && errno == EINTR;
}

void yield_cpu() noexcept { ::sched_yield(); }

void futex_wake_all(std::atomic<std::uint32_t>& word) noexcept {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr,
          0);
}

}  // namespace ringmq::detail
