// context_impl: what a context owns — socket defaults, the registered transports, per-layer
// extensions (the inproc namespace, the I/O thread pool) and the shutdown flag. Shared by
// the public context and its sockets through an intrusive count; freed on an application
// thread when the last of them lets go.
#pragma once

#include "core/mailbox.hpp"
#include "core/socket_options.hpp"
#include "core/transport.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ringmq::detail {

// State that a layer above core keeps per context (e.g. the I/O threads). Created on first
// use through context_impl::extension().
class context_extension {
 public:
  virtual ~context_extension() = default;
  // The context is shutting down: stop taking new work. Any thread; must not block.
  virtual void shutdown() noexcept {}
  // The public context is being destroyed: wait for background work (lingering messages)
  // to finish; every such wait is bounded by the owning socket's LINGER.
  virtual void drain() noexcept {}
};

// What the I/O threads are started with; fixed once they start (libzmq applies its
// ZMQ_THREAD_* options when its threads start, and ignores later changes).
struct io_thread_options {
  int count = 1;
  int sched_policy = -1;  // -1: inherited
  int priority = -1;      // -1: inherited
  std::set<int> affinity_cpus;
  std::string name_prefix;
};

class context_impl {
 public:
  context_impl() = default;
  context_impl(const context_impl&) = delete;
  context_impl& operator=(const context_impl&) = delete;

  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  // acq_rel: the final release sees everything the other owners did.
  void release() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // Context options.
  void set_io_threads(int n);
  [[nodiscard]] int io_threads() const;
  // What the I/O threads start with, which can no longer change afterwards (threads are
  // starting). The thread setters below throw errc::invalid_state from then on.
  io_thread_options freeze_io_threads();
  // The threads could not start (the OS refused their scheduling): the options may change
  // again, so that the application can correct them before its next bind or connect.
  void thaw_io_threads();
  void set_thread_sched_policy(int policy);
  void set_thread_priority(int priority);
  void add_thread_affinity_cpu(int cpu);
  // std::errc::invalid_argument when `cpu` was not added (as libzmq's EINVAL).
  void remove_thread_affinity_cpu(int cpu);
  void set_thread_name_prefix(std::string_view prefix);
  [[nodiscard]] io_thread_options thread_options() const;
  // MAX_SOCKETS: how many sockets may be open at once; a socket past it fails with EMFILE
  // (register_socket). Fixed when the first socket is created, as libzmq fixes it when it
  // starts.
  void set_max_sockets(int n);
  [[nodiscard]] int max_sockets() const;
  // Stored and reported only, as in libzmq 4.3 (whose sockets ignore them).
  void set_max_msgsz(int n);
  [[nodiscard]] int max_msgsz() const;
  void set_zero_copy_recv(bool on);
  [[nodiscard]] bool zero_copy_recv() const;
  void set_busy_poll_us(int us);
  [[nodiscard]] int busy_poll_us() const noexcept { return busy_poll_us_.load(std::memory_order_relaxed); }
  // Whether blocking calls return std::errc::interrupted when a signal handler runs while
  // they sleep (libzmq's EINTR) instead of sleeping on.
  void set_interrupt_on_signal(bool on) noexcept {
    interrupt_on_signal_.store(on, std::memory_order_relaxed);
  }
  [[nodiscard]] bool interrupt_on_signal() const noexcept {
    return interrupt_on_signal_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] socket_options socket_defaults() const;
  std::error_code set_socket_default(option id, std::int64_t value);
  std::error_code set_socket_default(option id, std::string_view value);

  // Shutdown.
  [[nodiscard]] bool terminated() const noexcept { return terminated_.load(std::memory_order_acquire); }
  void shutdown() noexcept;
  void drain() noexcept;
  // Throws std::system_error(EMFILE) when MAX_SOCKETS sockets are open already.
  void register_socket(const std::shared_ptr<mailbox>& box);
  void unregister_socket(const mailbox* box) noexcept;

  // Transports.
  void add_transport(std::unique_ptr<transport> t);
  [[nodiscard]] transport* find_transport(std::string_view scheme) const noexcept;

  // The extension stored under `key`, created by `make` on first use.
  std::shared_ptr<context_extension> extension(
      const void* key, const std::function<std::shared_ptr<context_extension>()>& make);
  template <class T>
  T& extension() {
    static const char key = 0;
    return static_cast<T&>(*extension(&key, [this] { return std::make_shared<T>(*this); }));
  }

 private:
  ~context_impl();

  mutable std::mutex mutex_;
  std::atomic<int> refs_{1};
  std::atomic<bool> terminated_{false};
  io_thread_options threads_;
  bool io_threads_fixed_ = false;
  int max_sockets_ = 1023;  // ZMQ_MAX_SOCKETS_DFLT
  bool sockets_started_ = false;
  int max_msgsz_ = 0x7fffffff;  // INT_MAX, libzmq's default
  bool zero_copy_recv_ = true;
  std::atomic<int> busy_poll_us_{0};
  std::atomic<bool> interrupt_on_signal_{false};
  socket_options defaults_;
  std::vector<std::weak_ptr<mailbox>> sockets_;
  std::vector<std::unique_ptr<transport>> transports_;
  std::unordered_map<const void*, std::shared_ptr<context_extension>> extensions_;
};

}  // namespace ringmq::detail
