// stream_listener: a bound tcp or ipc socket on an I/O thread. Every accepted connection
// becomes a stream_session. Stopped (on its I/O thread) when the socket unbinds or closes.
#pragma once

#include "io/io_loop.hpp"
#include "transport/stream/connection_policy.hpp"
#include "transport/stream/io_pool.hpp"
#include "transport/stream/stream_session.hpp"

#include <future>
#include <memory>
#include <string>

namespace ringmq::detail {

class stream_listener;

// Shared by a listener and its bind handle, as dial_control is for sessions. `closed` is
// fulfilled once the listening socket is closed: the handle waits for it, so the address is
// free for another bind as soon as unbind or close returns.
struct listen_control {
  stream_listener* listener = nullptr;
  std::promise<void> closed;
};

class stream_listener final : public io_object, private io::listen_handler {
 public:
  // I/O thread: takes over `fd` (bound, listening, non-blocking) and accepts on it;
  // `directory`, if not empty, is removed once it closed (made for "ipc://*"). `policy`
  // admits and tunes each accepted connection.
  static void start(const session_config& config, int fd, std::string directory,
                    const connection_policy& policy, std::shared_ptr<listen_control> control);
  // I/O thread: stops accepting and closes; the object deletes itself once the loop let go.
  void stop();
  void shut_down() noexcept override;

 private:
  stream_listener(const session_config& config, int fd, std::string directory,
                  const connection_policy& policy, std::shared_ptr<listen_control> control);
  ~stream_listener() override;
  void on_accept(int fd, int error) override;

  session_config config_;
  int fd_;
  std::string directory_;
  const connection_policy& policy_;
  std::shared_ptr<listen_control> control_;
  io::listener_id id_ = 0;
  bool stopping_ = false;
};

}  // namespace ringmq::detail
