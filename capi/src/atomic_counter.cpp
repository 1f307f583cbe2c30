// zmq_atomic_counter_*: a heap-allocated int counter for use across threads.
#include "handles.hpp"

namespace {

// Sequentially consistent: these counters are used as reference counts and flags between
// threads without other synchronisation, so every change must be seen in one order.
std::atomic<int>& counter_of(void* counter) noexcept { return *static_cast<std::atomic<int>*>(counter); }

}  // namespace

extern "C" {

void* zmq_atomic_counter_new(void) {
  return ringmq::capi::guarded<void*>(nullptr, [] { return static_cast<void*>(new std::atomic<int>(0)); });
}

void zmq_atomic_counter_set(void* counter, int value) { counter_of(counter).store(value); }

int zmq_atomic_counter_inc(void* counter) { return counter_of(counter).fetch_add(1); }

int zmq_atomic_counter_dec(void* counter) { return counter_of(counter).fetch_sub(1) - 1 != 0 ? 1 : 0; }

int zmq_atomic_counter_value(void* counter) { return counter_of(counter).load(); }

void zmq_atomic_counter_destroy(void** counter) {
  if (counter == nullptr) return;
  delete static_cast<std::atomic<int>*>(*counter);
  *counter = nullptr;
}

}  // extern "C"
