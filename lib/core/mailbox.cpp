#include "core/mailbox.hpp"

#include "core/futex.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace ringmq::detail {

namespace {
// A connection offered to a closed socket is closed, so its other end learns that no one
// will ever read it.
void discard(command& cmd) noexcept {
  if (cmd.what == command::kind::attach && cmd.target) link_end(std::move(cmd.target), cmd.side).close();
}
}  // namespace

mailbox::~mailbox() {
  for (const int fd : {efd_.load(std::memory_order_relaxed), wake_fd_.load(std::memory_order_relaxed)})
    if (fd >= 0) ::close(fd);
}

void mailbox::post(command&& cmd) noexcept {
  {
    std::unique_lock lock(mutex_);
    if (closed_) {
      lock.unlock();
      discard(cmd);
      return;
    }
    queue_.push_back(std::move(cmd));
    nonempty_.store(true, std::memory_order_seq_cst);
  }
  // seq_cst: either the owner's sleeping_ store is visible here (we wake it), or our
  // nonempty_ store is visible to the owner's check after it set sleeping_ (it won't sleep).
  seq_.fetch_add(1, std::memory_order_seq_cst);
  if (sleeping_.load(std::memory_order_seq_cst)) futex_wake_all(seq_);
  if (polling_.load(std::memory_order_seq_cst)) ::eventfd_write(wake_fd_.load(std::memory_order_relaxed), 1);
  if (efd_.load(std::memory_order_seq_cst) >= 0) signal_fd();
}

void mailbox::on_readable(link& l, int side) noexcept {
  command cmd;
  cmd.what = command::kind::activate_read;
  cmd.side = side;
  cmd.target = l.shared_from_this();
  post(std::move(cmd));
}

void mailbox::on_writable(link& l, int side) noexcept {
  command cmd;
  cmd.what = command::kind::activate_write;
  cmd.side = side;
  cmd.target = l.shared_from_this();
  post(std::move(cmd));
}

void mailbox::take(std::vector<command>& out) {
  std::lock_guard lock(mutex_);
  out.swap(queue_);
  nonempty_.store(false, std::memory_order_relaxed);
}

mailbox::wake mailbox::wait(std::optional<time_point> deadline, std::chrono::nanoseconds spin,
                            bool stop_on_signal) {
  if (spin_until([this] { return pending(); }, spin)) return wake::work;
  for (;;) {
    const std::uint32_t seen = seq_.load(std::memory_order_acquire);
    sleeping_.store(true, std::memory_order_seq_cst);
    if (nonempty_.load(std::memory_order_seq_cst)) {
      sleeping_.store(false, std::memory_order_relaxed);
      return wake::work;
    }
    if (deadline && steady_clock::now() >= *deadline) {
      sleeping_.store(false, std::memory_order_relaxed);
      return wake::deadline;
    }
    const bool interrupted = futex_wait(seq_, seen, deadline);
    sleeping_.store(false, std::memory_order_relaxed);
    if (pending()) return wake::work;
    if (interrupted && stop_on_signal) return wake::signal;
  }
}

bool mailbox::can_wait_readable() noexcept {
  if (wake_fd_.load(std::memory_order_relaxed) >= 0) return true;
  const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) return false;
  // Published before any polling_ store, which posters read it after.
  wake_fd_.store(fd, std::memory_order_relaxed);
  return true;
}

mailbox::wake mailbox::wait_readable(int fd, std::optional<time_point> deadline, bool stop_on_signal) {
  const int wake_fd = wake_fd_.load(std::memory_order_relaxed);
  // seq_cst, as in wait(): either a poster sees polling_ (and writes the eventfd), or we
  // see its command here.
  polling_.store(true, std::memory_order_seq_cst);
  if (nonempty_.load(std::memory_order_seq_cst)) {
    polling_.store(false, std::memory_order_relaxed);
    return wake::work;
  }
  timespec limit{};
  if (deadline) limit = to_timespec(std::max(std::chrono::nanoseconds(0), *deadline - steady_clock::now()));
  pollfd fds[2] = {{fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  const int rc = ::ppoll(fds, 2, deadline ? &limit : nullptr, nullptr);
  const bool interrupted = rc < 0 && errno == EINTR;
  polling_.store(false, std::memory_order_relaxed);
  if (fds[1].revents != 0) {
    eventfd_t drained = 0;
    ::eventfd_read(wake_fd, &drained);
  }
  if (rc > 0 || pending()) return wake::work;
  if (interrupted && stop_on_signal) return wake::signal;
  // rc < 0 otherwise (EINTR): look again, as after a wake-up.
  return rc == 0 ? wake::deadline : wake::work;
}

void mailbox::close() noexcept {
  std::vector<command> dropped;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    dropped.swap(queue_);
    nonempty_.store(false, std::memory_order_relaxed);
  }
  // Outside the lock: commands may hold the last reference to links.
  for (auto& cmd : dropped) discard(cmd);
}

int mailbox::fd() {
  int fd = efd_.load(std::memory_order_relaxed);
  if (fd >= 0) return fd;
  fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  // seq_cst on both sides, as sleeping_ in wait(): either post() sees the descriptor (and
  // signals it), or the command it queued is seen here. With release/acquire the load
  // below could pass the store, and both would miss.
  efd_.store(fd, std::memory_order_seq_cst);
  if (nonempty_.load(std::memory_order_seq_cst)) signal_fd();
  return fd;
}

void mailbox::signal_fd() noexcept {
  if (!fd_signaled_.exchange(true, std::memory_order_seq_cst))
    ::eventfd_write(efd_.load(std::memory_order_relaxed), 1);
}

void mailbox::update_fd(bool ready) noexcept {
  const int fd = efd_.load(std::memory_order_relaxed);
  if (fd < 0) return;
  if (ready) {
    signal_fd();
    return;
  }
  if (!fd_signaled_.load(std::memory_order_relaxed)) return;
  fd_signaled_.store(false, std::memory_order_seq_cst);
  eventfd_t drained = 0;
  ::eventfd_read(fd, &drained);
  // A post that raced with the drain may have had its signal consumed while leaving
  // fd_signaled_ set: restore the signal unconditionally.
  if (nonempty_.load(std::memory_order_seq_cst)) {
    fd_signaled_.store(true, std::memory_order_seq_cst);
    ::eventfd_write(fd, 1);
  }
}

}  // namespace ringmq::detail
