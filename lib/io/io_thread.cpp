#include "io/io_thread.hpp"

#include <future>
#include <string>
#include <system_error>
#include <utility>

namespace ringmq::detail::io {

io_thread::io_thread(unsigned index, backend_choice choice, std::chrono::microseconds busy_poll,
                     thread_setup setup)
    : io_thread(index, loop_factory([choice] { return make_loop(choice); }), busy_poll, std::move(setup)) {}

io_thread::io_thread(unsigned index, loop_factory factory, std::chrono::microseconds busy_poll,
                     thread_setup setup) {
  std::promise<void> started;
  std::future<void> ready = started.get_future();
  thread_ =
      std::thread([this, index, factory = std::move(factory), busy_poll, setup = std::move(setup), &started] {
        main(index, factory, busy_poll, setup, [&started](const std::exception_ptr& error) {
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
                     const thread_setup& setup, const std::function<void(std::exception_ptr)>& started) {
  try {
    // Before the loop: its ring's kernel worker threads are created by this thread and
    // inherit its scheduling.
    if (const std::error_code ec = apply_to_this_thread(setup, index))
      throw std::system_error(ec, "I/O thread scheduling");
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
