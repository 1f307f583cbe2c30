// The one check for broken invariants, shared by every layer (STYLE.md: broken invariants
// abort with file and line). RINGMQ_INVARIANT(condition, why) is evaluated in every build
// type; when `condition` is false it prints the place, the condition and `why` to stderr and
// aborts. Only for programming errors in ringmq or in its caller: what a peer or the kernel
// sends never reaches it (that ends the connection and raises a monitor event instead).
//
// Header-only so that any layer may use it without linking ringmq_core: it is the one core
// header cmake/check_layers.py lets every layer include. A macro rather than a function
// taking std::source_location: it can print the condition's text, and clang 14 (clang-tidy,
// the fuzz build) has no std::source_location with libstdc++ 12.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace ringmq::detail {

// Out of line and cold so that the check costs one predicted branch where it is used.
[[noreturn, gnu::cold, gnu::noinline]] inline void invariant_failed(const char* file, int line,
                                                                    const char* condition,
                                                                    const char* why) noexcept {
  std::fprintf(stderr, "ringmq: invariant broken at %s:%d: %s (%s)\n", file, line, why, condition);
  std::abort();
}

}  // namespace ringmq::detail

// `why` is a string literal saying what went wrong ("send on an unknown stream").
#define RINGMQ_INVARIANT(condition, why)             \
  (__builtin_expect(static_cast<bool>(condition), 1) \
       ? static_cast<void>(0)                        \
       : ::ringmq::detail::invariant_failed(__FILE__, __LINE__, #condition, (why)))
