#include "io/io_thread.hpp"

#include <pthread.h>

#include <future>
#include <string>

namespace ringmq::detail::io {

io_thread::io_thread(unsigned index, backend_choice choice, std::chrono::microseconds busy_poll)
    : io_thread(index, loop_factory([choice] { return make_loop(choice); }), busy_poll) {}

io_thread::io_thread(unsigned index, loop_factory factory, std::chrono::microseconds busy_poll) {
  std::promise<void> started;
  std::future<void> ready = started.get_future();
  thread_ = std::thread([this, index, factory = std::move(factory), busy_poll, &started] {
    main(index, factory, busy_poll, [&started](const std::exception_ptr& error) {
      if (error)
        started.set_exception(error);
      else
        started.set_value();
    });
  });
  try {
    // The promise/future pair orders the thread's writes of loop_ and backend_ before
    // this thread's reads of them (set_value synchronizes with get).
    ready.get();
  } catch (...) {
    thread_.join();
    throw;
  }
}

io_thread::~io_thread() {
  // seq_cst store, then stop(): the thread re-checks quitting_ each time run() returns,
  // so a run() ended by this stop() is not restarted.
  quitting_.store(true);
  loop_->stop();
  released_.release();
  thread_.join();
}

void io_thread::main(unsigned index, const loop_factory& factory, std::chrono::microseconds busy_poll,
                     const std::function<void(std::exception_ptr)>& started) {
  const std::string name = "ringmq-io-" + std::to_string(index);
  // Linux limits names to 15 characters; an overlong one is just left unset.
  ::pthread_setname_np(::pthread_self(), name.c_str());
  try {
    loop_ = factory();
    backend_ = loop_->backend();
  } catch (...) {
    started(std::current_exception());
    return;
  }
  // After this call the constructor may return and `started` (which refers to its
  // promise) must not be touched again.
  started(nullptr);
  while (!quitting_.load()) loop_->run(busy_poll);
  // The destructor may still be inside stop(): wait until it is out before destroying.
  released_.acquire();
  loop_.reset();
}

}  // namespace ringmq::detail::io
