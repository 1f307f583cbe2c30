// Bit-flag enums of the API: send and receive flags, poll events.
#pragma once

namespace ringmq {

enum class send_flags : int {
  none = 0,
  dontwait = 1,  // return an empty result instead of blocking
  sndmore = 2,   // more parts of this message follow
};

enum class recv_flags : int {
  none = 0,
  dontwait = 1,
};

// Readiness of a socket (or file descriptor) for polling.
enum class events : int {
  none = 0,
  pollin = 1,   // a message can be received without blocking
  pollout = 2,  // a message can be sent without blocking
  pollerr = 4,  // (file descriptors only) an error condition
  pollpri = 8,  // (file descriptors only) urgent data, poll(2)'s POLLPRI
};

// E names a type, which cannot be parenthesised, and the expansion is a list of
// declarations, not an expression: bugprone-macro-parentheses does not apply.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define RINGMQ_FLAG_OPERATORS(E)                                                                    \
  constexpr E operator|(E a, E b) noexcept { return E(static_cast<int>(a) | static_cast<int>(b)); } \
  constexpr E operator&(E a, E b) noexcept { return E(static_cast<int>(a) & static_cast<int>(b)); } \
  constexpr E& operator|=(E& a, E b) noexcept { return a = a | b; }                                 \
  constexpr bool any(E a) noexcept { return static_cast<int>(a) != 0; }
// NOLINTEND(bugprone-macro-parentheses)

RINGMQ_FLAG_OPERATORS(send_flags)
RINGMQ_FLAG_OPERATORS(recv_flags)
RINGMQ_FLAG_OPERATORS(events)

#undef RINGMQ_FLAG_OPERATORS

}  // namespace ringmq
