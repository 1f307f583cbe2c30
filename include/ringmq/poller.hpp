// Waiting on many sockets (and plain file descriptors) at once.
#pragma once

#include <ringmq/export.hpp>
#include <ringmq/flags.hpp>
#include <ringmq/socket.hpp>

#include <chrono>
#include <cstddef>
#include <span>
#include <vector>

namespace ringmq {

// One entry of poll(): either a socket or a file descriptor (sock == nullptr).
struct poll_item {
  socket* sock = nullptr;
  int fd = -1;
  ringmq::events interest = ringmq::events::pollin;
  ringmq::events ready = ringmq::events::none;  // filled in by poll()
};

// Waits until at least one item is ready or `timeout` passes (negative: forever, zero: just
// check). Returns the number of ready items. Throws errc::context_terminated if a socket's
// context is shut down while waiting, and std::errc::interrupted when a signal handler ran
// during the wait and a polled socket's context has context_option::interrupt_on_signal.
RINGMQ_API std::size_t poll(std::span<poll_item> items, std::chrono::milliseconds timeout);

// A reusable set of poll items.
class RINGMQ_API poller {
 public:
  void add(socket& sock, ringmq::events interest);
  void add(int fd, ringmq::events interest);
  void modify(socket& sock, ringmq::events interest);
  void remove(socket& sock);
  void remove(int fd);
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }

  // Waits as poll() does and returns the items that became ready.
  std::span<const poll_item> wait(std::chrono::milliseconds timeout);

 private:
  std::vector<poll_item> items_;
  std::vector<poll_item> ready_;
};

}  // namespace ringmq
