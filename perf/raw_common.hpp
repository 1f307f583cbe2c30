// raw_common: what the raw baselines share: blocking socket helpers, a futex, and the
// header of a run that involves no messaging library. Internal to perf/.
#pragma once

#include "perf_common.hpp"

#include <linux/futex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

namespace perf::raw {

[[noreturn]] inline void fail_errno(const std::string& what) { fail(what + ": " + std::strerror(errno)); }

inline std::string kernel_release() {
  utsname u{};
  return uname(&u) == 0 ? std::string("linux ") + u.release : std::string("linux");
}

inline header make_header(const char* tool, const std::string& transport, const options& o, const char* io) {
  header h;
  h.tool = tool;
  h.library = "raw";
  h.version = kernel_release();
  h.transport = transport;
  h.io_backend = io;
  h.busy_poll_us = o.busy_poll_us;
  h.io_threads = 0;
  return h;
}

// ---------------------------------------------------------------------------------------
// Stream sockets: a listener on loopback (tcp) or in the abstract namespace (unix), and
// whole-buffer blocking reads and writes.

struct listener {
  int fd = -1;
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
  int family = AF_INET;
};

inline listener listen_on(const std::string& transport) {
  listener l;
  if (transport == "tcp") {
    l.family = AF_INET;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;  // the kernel picks a free port
    std::memcpy(&l.addr, &a, sizeof a);
    l.addr_len = sizeof a;
  } else if (transport == "unix") {
    l.family = AF_UNIX;
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    // Abstract name (leading NUL): nothing to clean up in the file system.
    const std::string name = "ringmq-perf-raw-" + std::to_string(getpid());
    std::memcpy(a.sun_path + 1, name.data(), name.size());
    std::memcpy(&l.addr, &a, sizeof a);
    l.addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  } else {
    fail("transport must be 'tcp' or 'unix', not '" + transport + "'");
  }
  l.fd = ::socket(l.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (l.fd < 0) fail_errno("socket");
  if (::bind(l.fd, reinterpret_cast<const sockaddr*>(&l.addr), l.addr_len) != 0) fail_errno("bind");
  if (::listen(l.fd, 4) != 0) fail_errno("listen");
  if (l.family == AF_INET && getsockname(l.fd, reinterpret_cast<sockaddr*>(&l.addr), &l.addr_len) != 0)
    fail_errno("getsockname");
  return l;
}

// TCP_NODELAY, as libzmq sets on its tcp connections.
inline void tune(int fd, int family) {
  if (family != AF_INET) return;
  int one = 1;
  if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) fail_errno("TCP_NODELAY");
}

inline int accept_one(const listener& l) {
  const int fd = ::accept4(l.fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) fail_errno("accept");
  tune(fd, l.family);
  return fd;
}

inline int connect_to(const listener& l) {
  const int fd = ::socket(l.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail_errno("socket");
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&l.addr), l.addr_len) != 0) fail_errno("connect");
  tune(fd, l.family);
  return fd;
}

inline void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno("send");
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Reads up to `size` bytes (at least one). With busy_poll_us > 0 it first spins on
// non-blocking reads for that long, as a busy-polling library would.
inline std::size_t read_some(int fd, char* data, std::size_t size, int busy_poll_us) {
  if (busy_poll_us > 0) {
    const auto until = now_ns() + std::int64_t{busy_poll_us} * 1000;
    do {
      const ssize_t n = ::recv(fd, data, size, MSG_DONTWAIT);
      if (n > 0) return static_cast<std::size_t>(n);
      if (n == 0) fail("peer closed the connection");
      if (errno != EAGAIN && errno != EINTR) fail_errno("recv");
    } while (now_ns() < until);
  }
  for (;;) {
    const ssize_t n = ::recv(fd, data, size, 0);
    if (n > 0) return static_cast<std::size_t>(n);
    if (n == 0) fail("peer closed the connection");
    if (errno != EINTR) fail_errno("recv");
  }
}

inline void read_exact(int fd, char* data, std::size_t size, int busy_poll_us) {
  while (size > 0) {
    const std::size_t n = read_some(fd, data, size, busy_poll_us);
    data += n;
    size -= n;
  }
}

// Waits for a forked child; fails unless it exited with 0.
inline void reap(pid_t child) {
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) fail_errno("waitpid");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("the peer process failed");
}

// ---------------------------------------------------------------------------------------
// Futex on a 32-bit atomic (the same word the C++ atomic holds).

inline void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected) noexcept {
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr,
          0);
}

inline void futex_wake(std::atomic<std::uint32_t>& word) noexcept {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

// Sleeps until `word` differs from `old`, spinning first for `busy_poll_us`. `sleepers` counts
// threads that may be asleep so that a waker can skip the system call when none is (Dekker:
// sleeper increments then re-reads word; waker stores word then reads sleepers; both seq_cst).
inline std::uint32_t await_change(std::atomic<std::uint32_t>& word, std::uint32_t old,
                                  std::atomic<std::uint32_t>& sleepers, int busy_poll_us) noexcept {
  if (busy_poll_us > 0) {
    const auto until = now_ns() + std::int64_t{busy_poll_us} * 1000;
    for (unsigned i = 0;; ++i) {
      const auto v = word.load(std::memory_order_acquire);
      if (v != old) return v;
      __builtin_ia32_pause();
      if ((i & 63) == 63 && now_ns() >= until) break;
    }
  }
  for (;;) {
    auto v = word.load(std::memory_order_acquire);
    if (v != old) return v;
    sleepers.fetch_add(1, std::memory_order_seq_cst);
    v = word.load(std::memory_order_seq_cst);
    if (v == old) futex_wait(word, old);
    sleepers.fetch_sub(1, std::memory_order_relaxed);
  }
}

inline void publish(std::atomic<std::uint32_t>& word, std::uint32_t value,
                    std::atomic<std::uint32_t>& sleepers) noexcept {
  word.store(value, std::memory_order_seq_cst);
  if (sleepers.load(std::memory_order_seq_cst) != 0) futex_wake(word);
}

}  // namespace perf::raw
