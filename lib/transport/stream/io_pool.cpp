#include "transport/stream/io_pool.hpp"

#include <chrono>
#include <future>

namespace ringmq::detail {

io_pool::io_pool(context_impl& ctx) {
  const io_thread_options options = ctx.freeze_io_threads();
  const auto busy_poll = std::chrono::microseconds(ctx.busy_poll_us());
  io::thread_setup setup;
  setup.name_prefix = options.name_prefix;
  setup.sched_policy = options.sched_policy;
  setup.priority = options.priority;
  setup.affinity_cpus = options.affinity_cpus;
  workers_.resize(static_cast<std::size_t>(options.count));
  // A thread that cannot take its scheduling throws here; the threads already started are
  // joined as workers_ goes, and the bind or connect that needed them fails with that error.
  try {
    for (int i = 0; i < options.count; ++i)
      workers_[static_cast<std::size_t>(i)].thread = std::make_unique<io::io_thread>(
          static_cast<unsigned>(i), io::backend_choice::automatic, busy_poll, setup);
  } catch (...) {
    ctx.thaw_io_threads();
    throw;
  }
}

io_pool::~io_pool() {
  // Every socket is closed by now. End what still lives on each thread (on that thread),
  // let the loops deliver the closing callbacks, then stop the threads.
  for (auto& w : workers_) {
    w.thread->loop().post([&w] {
      for (io_object* obj : std::vector<io_object*>(w.objects.begin(), w.objects.end())) obj->shut_down();
    });
  }
  std::unique_lock lock(mutex_);
  // Bounded: a loop that lost a completion must not hang the program's exit.
  changed_.wait_for(lock, std::chrono::seconds(10), [this] { return objects_.load() == 0; });
  lock.unlock();
  workers_.clear();
}

io_pool& io_pool::of(context_impl& ctx) { return ctx.extension<io_pool>(); }

io::io_thread* io_pool::pick(std::uint64_t affinity) {
  const std::size_t n = workers_.size();
  const std::size_t start = next_.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (start + k) % n;
    if (affinity == 0 || (i < 64 && ((affinity >> i) & 1U) != 0)) return workers_[i].thread.get();
  }
  return nullptr;
}

std::string_view io_pool::backend() const noexcept { return workers_.front().thread->backend(); }

io_pool::worker& io_pool::worker_of(io::io_thread& thread) noexcept {
  for (auto& w : workers_)
    if (w.thread.get() == &thread) return w;
  return workers_.front();  // unreachable: every thread belongs to the pool
}

void io_pool::adopt(io::io_thread& thread, io_object* obj) {
  worker_of(thread).objects.insert(obj);
  objects_.fetch_add(1, std::memory_order_relaxed);
}

void io_pool::forget(io::io_thread& thread, io_object* obj) noexcept {
  if (worker_of(thread).objects.erase(obj) != 0) objects_.fetch_sub(1, std::memory_order_relaxed);
  linger_done();
}

void io_pool::linger_done() noexcept {
  std::lock_guard lock(mutex_);
  changed_.notify_all();
}

std::size_t io_pool::count_lingering() {
  std::size_t total = 0;
  for (auto& w : workers_) {
    std::promise<std::size_t> count;
    w.thread->loop().post([&w, &count] {
      std::size_t n = 0;
      for (io_object* obj : w.objects) n += obj->lingering() ? 1u : 0u;
      count.set_value(n);
    });
    total += count.get_future().get();
  }
  return total;
}

void io_pool::drain() noexcept {
  // Each lingering object ends within its socket's LINGER; re-count whenever one finishes
  // (and at least every 50 ms, to catch an object that starts lingering meanwhile).
  while (count_lingering() != 0) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(50));
  }
}

}  // namespace ringmq::detail
