// A peer in another process (python3-zmq), for tests that kill it. Its stdout is a pipe the
// test reads line by line with a deadline; its stdin is a pipe too, so that the child sees
// end-of-file and exits if the test process dies without killing it.
#pragma once

#include "interop/support.hpp"

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ringmq_interop {

class child_process {
 public:
  explicit child_process(const std::vector<std::string>& argv);
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process();  // kills the child if it still runs

  // The next line the child wrote (without the newline), or empty on timeout or exit.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = safety);
  // SIGKILL, then reaps it. Idempotent.
  void kill();
  [[nodiscard]] bool running() const noexcept { return pid_ > 0; }
  // The child's process id (-1 once killed).
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string buffer_;
};

// The python peer (libzmq_peer.py) as `mode` ("pull", "rep" or "pub") bound at `endpoint`.
// It prints "bound <endpoint>" once bound; PULL then prints "got <part>|<part>..." per
// message, REP answers each request with the parts reversed, PUB publishes "A-<pid>-<n>"
// and "B-<pid>-<n>" every 20 ms (<pid>: its process id, which tells one run from another).
std::vector<std::string> python_peer_command(const std::string& mode, const std::string& endpoint);

}  // namespace ringmq_interop
