// io_pool: a context's I/O threads and the stream sessions living on them. Created when a
// context first uses tcp or ipc (inproc-only programs start no thread).
//
// Threads: pick() and the counters are safe from any thread; the registry of objects on a
// thread is only touched on that thread.
#pragma once

#include "core/context_impl.hpp"
#include "io/io_thread.hpp"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace ringmq::detail {

// Something that lives on an I/O thread and must be destroyed before that thread stops
// (sessions, listeners, dialers).
class io_object {
 public:
  virtual ~io_object() = default;
  // Pool shutdown, on the object's thread: end now (no lingering, no reconnecting). The
  // object forgets itself from the pool and deletes itself once the loop has let go of it.
  virtual void shut_down() noexcept = 0;
  // On the object's thread, while the context ends: true while this object still has
  // messages of a closed socket to deliver (lingering). An object that has not noticed the
  // close yet starts its LINGER here.
  [[nodiscard]] virtual bool lingering() noexcept { return false; }
};

class io_pool final : public context_extension {
 public:
  explicit io_pool(context_impl& ctx);
  ~io_pool() override;

  // The pool of `ctx`, created on first use.
  static io_pool& of(context_impl& ctx);

  // The thread for a new bind or connect: round-robin among the threads whose bit is set in
  // `affinity` (bit n, thread n; 0: all). Null when it names no thread of the pool.
  io::io_thread* pick(std::uint64_t affinity);
  [[nodiscard]] std::string_view backend() const noexcept;

  // On `thread`'s own thread: registers / forgets an object the pool must destroy at
  // shutdown. forget() is called by the object's own teardown.
  void adopt(io::io_thread& thread, io_object* obj);
  void forget(io::io_thread& thread, io_object* obj) noexcept;
  // An object stopped lingering (finished or gave up): wakes drain().
  void linger_done() noexcept;

  void drain() noexcept override;

 private:
  struct worker {
    std::unordered_set<io_object*> objects;  // touched on the thread only
    // Declared last, so destroyed (stopped and joined) first: a function posted to the
    // thread may still be reading `objects`.
    std::unique_ptr<io::io_thread> thread;
  };
  worker& worker_of(io::io_thread& thread) noexcept;
  std::size_t count_lingering();

  std::vector<worker> workers_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> objects_{0};  // adopted and not yet forgotten, on all threads
  std::mutex mutex_;
  std::condition_variable changed_;
};

}  // namespace ringmq::detail
