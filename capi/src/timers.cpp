// zmq_timers_*: a set of repeating timers the caller drives (libzmq's timers API): ask
// zmq_timers_timeout how long to wait, wait (e.g. in zmq_poll), then zmq_timers_execute
// runs the handlers that are due and schedules each again one interval later. Used by one
// thread at a time; handlers may add, cancel or change timers.
#include "handles.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

namespace ringmq::capi {

namespace {

using clock = std::chrono::steady_clock;

class timer_set {
 public:
  ~timer_set() { tag_ = dead_tag; }

  static timer_set* from(void* handle) noexcept {
    auto* t = static_cast<timer_set*>(handle);
    if (t == nullptr || t->tag_ != live_tag) {
      errno = EFAULT;
      return nullptr;
    }
    return t;
  }

  int add(std::size_t interval, zmq_timer_fn* handler, void* arg) {
    const int id = ++last_id_;
    timers_.push_back({id, std::chrono::milliseconds(interval),
                       clock::now() + std::chrono::milliseconds(interval), handler, arg});
    return id;
  }

  int cancel(int id) {
    const auto it = find(id);
    if (it == timers_.end()) return fail(EINVAL);
    timers_.erase(it);
    return 0;
  }

  int set_interval(int id, std::size_t interval) {
    const auto it = find(id);
    if (it == timers_.end()) return fail(EINVAL);
    it->interval = std::chrono::milliseconds(interval);
    it->due = clock::now() + it->interval;
    return 0;
  }

  int reset(int id) {
    const auto it = find(id);
    if (it == timers_.end()) return fail(EINVAL);
    it->due = clock::now() + it->interval;
    return 0;
  }

  long timeout() const {
    if (timers_.empty()) return -1;
    const auto next = std::min_element(timers_.begin(), timers_.end(),
                                       [](const timer& a, const timer& b) { return a.due < b.due; });
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(next->due - clock::now());
    return std::max<long>(0, static_cast<long>(left.count()));
  }

  int execute() {
    const auto now = clock::now();
    std::vector<int> due;
    for (const auto& t : timers_)
      if (t.due <= now) due.push_back(t.id);
    // By id: a handler may cancel or add timers while we go.
    for (const int id : due) {
      const auto it = find(id);
      if (it == timers_.end()) continue;
      it->due = now + it->interval;
      zmq_timer_fn* handler = it->handler;
      void* arg = it->arg;
      handler(id, arg);
    }
    return 0;
  }

 private:
  struct timer {
    int id;
    std::chrono::milliseconds interval;
    clock::time_point due;
    zmq_timer_fn* handler;
    void* arg;
  };

  std::vector<timer>::iterator find(int id) {
    return std::find_if(timers_.begin(), timers_.end(), [&](const timer& t) { return t.id == id; });
  }

  static constexpr std::uint32_t live_tag = 0x726d7174;  // "rmqt"
  static constexpr std::uint32_t dead_tag = 0xdeadbeef;
  std::uint32_t tag_ = live_tag;
  int last_id_ = 0;
  std::vector<timer> timers_;
};

}  // namespace

}  // namespace ringmq::capi

using ringmq::capi::fail;
using ringmq::capi::guarded;
using ringmq::capi::timer_set;

extern "C" {

void* zmq_timers_new(void) {
  return guarded<void*>(nullptr, [] { return static_cast<void*>(new timer_set); });
}

int zmq_timers_destroy(void** timers) {
  if (timers == nullptr) return fail(EFAULT);
  timer_set* t = timer_set::from(*timers);
  if (t == nullptr) return -1;
  delete t;
  *timers = nullptr;
  return 0;
}

int zmq_timers_add(void* timers, size_t interval, zmq_timer_fn handler, void* arg) {
  timer_set* t = timer_set::from(timers);
  if (t == nullptr) return -1;
  if (handler == nullptr) return fail(EFAULT);
  return guarded(-1, [&] { return t->add(interval, handler, arg); });
}

int zmq_timers_cancel(void* timers, int timer_id) {
  timer_set* t = timer_set::from(timers);
  return t == nullptr ? -1 : t->cancel(timer_id);
}

int zmq_timers_set_interval(void* timers, int timer_id, size_t interval) {
  timer_set* t = timer_set::from(timers);
  return t == nullptr ? -1 : t->set_interval(timer_id, interval);
}

int zmq_timers_reset(void* timers, int timer_id) {
  timer_set* t = timer_set::from(timers);
  return t == nullptr ? -1 : t->reset(timer_id);
}

long zmq_timers_timeout(void* timers) {
  timer_set* t = timer_set::from(timers);
  return t == nullptr ? -1 : t->timeout();
}

int zmq_timers_execute(void* timers) {
  timer_set* t = timer_set::from(timers);
  return t == nullptr ? -1 : guarded(-1, [&] { return t->execute(); });
}

}  // extern "C"
