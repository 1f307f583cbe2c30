// Helpers libzmq exports for its perf tools and tests: stopwatch, sleep, threads.
#include "handles.hpp"

#include <unistd.h>

#include <chrono>
#include <thread>

namespace {

using clock = std::chrono::steady_clock;

unsigned long micros_since(const clock::time_point* start) {
  return static_cast<unsigned long>(
      std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - *start).count());
}

}  // namespace

extern "C" {

void* zmq_stopwatch_start(void) {
  return ringmq::capi::guarded<void*>(nullptr,
                                      [] { return static_cast<void*>(new clock::time_point(clock::now())); });
}

unsigned long zmq_stopwatch_intermediate(void* watch) {
  return micros_since(static_cast<clock::time_point*>(watch));
}

unsigned long zmq_stopwatch_stop(void* watch) {
  auto* start = static_cast<clock::time_point*>(watch);
  const unsigned long elapsed = micros_since(start);
  delete start;
  return elapsed;
}

void zmq_sleep(int seconds) { std::this_thread::sleep_for(std::chrono::seconds(seconds)); }

void* zmq_threadstart(zmq_thread_fn* func, void* arg) {
  return ringmq::capi::guarded<void*>(nullptr,
                                      [&] { return static_cast<void*>(new std::thread(func, arg)); });
}

void zmq_threadclose(void* thread) {
  auto* t = static_cast<std::thread*>(thread);
  t->join();
  delete t;
}

}  // extern "C"
