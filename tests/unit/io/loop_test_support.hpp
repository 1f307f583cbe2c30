// Helpers for the io layer's tests: socket pairs, byte patterns, running code on a loop's
// thread, and stream handlers that record what the loop reports so the test thread can
// wait for it (with generous deadlines: no sleeps).
#pragma once

#include "io/io_loop.hpp"
#include "io/io_thread.hpp"
#include "io/io_uring_loop.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace ringmq::detail::io::test {

using namespace std::chrono_literals;

// A ceiling for anything the tests wait for, sized for sanitizer builds on a loaded VM.
constexpr auto patience = 60s;

class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  unique_fd& operator=(unique_fd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~unique_fd() { reset(); }
  [[nodiscard]] int get() const noexcept { return fd_; }
  // Gives up ownership (the fd now belongs to a loop).
  int release() noexcept { return std::exchange(fd_, -1); }
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

enum class transport { tcp, unix_stream };

inline const char* name_of(transport t) { return t == transport::tcp ? "tcp" : "unix"; }

inline void check_sys(bool ok, const char* what) {
  if (!ok) {
    std::perror(what);
    std::abort();
  }
}

inline void set_nonblocking(int fd, bool on) {
  const int flags = ::fcntl(fd, F_GETFL);
  check_sys(flags >= 0, "fcntl(F_GETFL)");
  check_sys(::fcntl(fd, F_SETFL, on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK)) == 0, "fcntl(F_SETFL)");
}

// Bounds blocking reads and writes on a test-owned socket, so a broken loop fails the test
// instead of hanging it.
inline void set_io_timeouts(int fd) {
  timeval tv{};
  tv.tv_sec = std::chrono::duration_cast<std::chrono::seconds>(patience).count();
  check_sys(::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0, "SO_RCVTIMEO");
  check_sys(::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == 0, "SO_SNDTIMEO");
}

inline void set_int_option(int fd, int level, int name, int value) {
  check_sys(::setsockopt(fd, level, name, &value, sizeof value) == 0, "setsockopt");
}

// A non-blocking TCP socket listening on 127.0.0.1 with an ephemeral port.
inline unique_fd tcp_listener(sockaddr_in& addr, int backlog = 128, bool nonblocking = true) {
  unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0));
  check_sys(fd.get() >= 0, "socket");
  addr = sockaddr_in{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  check_sys(::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0, "bind");
  socklen_t len = sizeof addr;
  check_sys(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0, "getsockname");
  check_sys(::listen(fd.get(), backlog) == 0, "listen");
  return fd;
}

// A blocking TCP client connected to `addr`.
inline unique_fd tcp_client(const sockaddr_in& addr) {
  unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  check_sys(fd.get() >= 0, "socket");
  check_sys(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0, "connect");
  return fd;
}

// A connected pair: `loop_end` non-blocking (for add_stream), `peer_end` blocking with
// timeouts (for the test thread). Both TCP ends get TCP_NODELAY.
struct socket_pair {
  unique_fd loop_end;
  unique_fd peer_end;
};

inline socket_pair make_pair(transport t) {
  socket_pair p;
  if (t == transport::unix_stream) {
    int fds[2];
    check_sys(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0, "socketpair");
    p.loop_end.reset(fds[0]);
    p.peer_end.reset(fds[1]);
  } else {
    sockaddr_in addr{};
    unique_fd listener = tcp_listener(addr, 1, false);
    p.peer_end = tcp_client(addr);
    p.loop_end.reset(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    check_sys(p.loop_end.get() >= 0, "accept4");
    set_int_option(p.loop_end.get(), IPPROTO_TCP, TCP_NODELAY, 1);
    set_int_option(p.peer_end.get(), IPPROTO_TCP, TCP_NODELAY, 1);
  }
  set_nonblocking(p.loop_end.get(), true);
  set_io_timeouts(p.peer_end.get());
  return p;
}

// Deterministic, position-dependent bytes: a misplaced or lost chunk changes the content.
inline std::vector<std::byte> pattern(std::size_t n, std::uint32_t seed) {
  std::vector<std::byte> out(n);
  std::uint32_t x = seed * 2654435761u + 12345u;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = static_cast<std::byte>(x & 0xffu);
  }
  return out;
}

// Blocking helpers for test-owned sockets; false on error/EOF/timeout.
inline bool write_all(int fd, std::span<const std::byte> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

inline bool read_exact(int fd, std::span<std::byte> out) {
  while (!out.empty()) {
    const ssize_t n = ::recv(fd, out.data(), out.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::fprintf(stderr, "read_exact: %s with %zu bytes missing\n", n == 0 ? "EOF" : std::strerror(errno),
                   out.size());
      return false;
    }
    out = out.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads until EOF or error; returns the bytes read and the errno that ended it (0 = EOF).
inline std::pair<std::size_t, int> read_to_end(int fd) {
  std::vector<std::byte> buf(std::size_t{64} * 1024);
  std::size_t total = 0;
  for (;;) {
    const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
    if (n == 0) return {total, 0};
    if (n < 0) return {total, errno};
    total += static_cast<std::size_t>(n);
  }
}

// Builds and destroys an io_uring loop on a thread of its own (a ring's teardown leaves
// task work for its creator, which would surface as EINTR in this thread's blocking calls);
// returns why it failed, or nullopt.
inline std::optional<std::string> io_uring_unavailable(const uring_config& config = uring_config{}) {
  std::optional<std::string> why;
  std::thread([&] {
    try {
      make_io_uring_loop(config).reset();
    } catch (const std::system_error& e) {
      why = e.what();
    }
  }).join();
  return why;
}

// Runs `fn` on the loop's thread (the only thread allowed to call most io_loop members)
// and returns its result.
template <class F>
auto on_loop(io_thread& t, F fn) -> std::invoke_result_t<F&> {
  using result = std::invoke_result_t<F&>;
  auto task = std::make_shared<std::packaged_task<result()>>(std::move(fn));
  auto done = task->get_future();
  t.loop().post([task] { (*task)(); });
  if (done.wait_for(patience) != std::future_status::ready) {
    // `fn` may refer to this frame: returning would leave it dangling.
    std::fprintf(stderr, "loop did not run a posted function within the deadline\n");
    std::abort();
  }
  return done.get();
}

// Waits for a condition that loop callbacks make true.
class signal_box {
 public:
  template <class Pred>
  bool wait(Pred pred, std::chrono::steady_clock::duration limit = patience) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, limit, pred);
  }
  template <class F>
  void update(F fn) {
    {
      std::lock_guard lock(mutex_);
      fn();
    }
    cv_.notify_all();
  }
  template <class F>
  auto read(F fn) {
    std::lock_guard lock(mutex_);
    return fn();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
};

// Records every callback of one stream. `hook_*` run on the loop thread before recording.
class recorder final : public stream_handler {
 public:
  void on_data(std::span<const std::byte> bytes) override {
    if (hook_data) hook_data(bytes);
    box.update([&] {
      if (done) ++after_close;
      data.insert(data.end(), bytes.begin(), bytes.end());
      ++data_calls;
    });
  }
  void on_recv_end(int error) override {
    box.update([&] {
      if (done) ++after_close;
      end = error;
    });
    if (hook_end) hook_end(error);
  }
  void on_sent(std::size_t n, int error) override {
    box.update([&] {
      if (done) ++after_close;
      sent.emplace_back(n, error);
    });
    if (hook_sent) hook_sent(n, error);
  }
  // For close_stream: marks the stream closed; any later callback counts in after_close.
  std::function<void()> on_done() {
    return [this] { box.update([this] { done = true; }); };
  }

  bool wait_bytes(std::size_t n) {
    return box.wait([&] { return data.size() >= n; });
  }
  bool wait_end() {
    return box.wait([&] { return end.has_value(); });
  }
  bool wait_sent(std::size_t count) {
    return box.wait([&] { return sent.size() >= count; });
  }
  bool wait_done() {
    return box.wait([&] { return done; });
  }
  std::size_t bytes() {
    return box.read([&] { return data.size(); });
  }

  signal_box box;
  // Guarded by box.
  std::vector<std::byte> data;
  std::size_t data_calls = 0;
  std::optional<int> end;
  std::vector<std::pair<std::size_t, int>> sent;
  bool done = false;
  int after_close = 0;

  std::function<void(std::span<const std::byte>)> hook_data;
  std::function<void(int)> hook_end;
  std::function<void(std::size_t, int)> hook_sent;
};

// Echoes what it receives, one send in flight at a time, batching what arrives meanwhile.
// Loop thread only, except `box`.
class echo_handler final : public stream_handler {
 public:
  io_loop* loop = nullptr;
  stream_id id = 0;

  void on_data(std::span<const std::byte> bytes) override {
    pending_.insert(pending_.end(), bytes.begin(), bytes.end());
    if (!sending_) flush();
  }
  void on_recv_end(int error) override {
    box.update([&] { end = error; });
  }
  void on_sent(std::size_t, int error) override {
    sending_ = false;
    if (error != 0) {
      box.update([&] { send_error = error; });
      return;
    }
    if (!pending_.empty()) flush();
  }

  signal_box box;
  std::optional<int> end;  // guarded by box
  int send_error = 0;      // guarded by box

 private:
  void flush() {
    in_flight_.swap(pending_);
    pending_.clear();
    iov_ = iovec{in_flight_.data(), in_flight_.size()};
    sending_ = true;
    loop->send(id, std::span<const iovec>(&iov_, 1));
  }

  std::vector<std::byte> pending_;
  std::vector<std::byte> in_flight_;
  iovec iov_{};
  bool sending_ = false;
};

// Records accepted connections.
class accept_recorder final : public listen_handler {
 public:
  void on_accept(int fd, int error) override {
    box.update([&] {
      if (fd >= 0)
        fds.emplace_back(fd);
      else
        errors.push_back(error);
    });
  }
  signal_box box;
  std::vector<unique_fd> fds;  // guarded by box
  std::vector<int> errors;     // guarded by box
};

}  // namespace ringmq::detail::io::test
