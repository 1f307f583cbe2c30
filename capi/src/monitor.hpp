// monitor_pump: libzmq's socket monitor over ringmq::monitor. zmq_socket_monitor binds a
// socket (PAIR by default) at an inproc endpoint of the monitored socket's context; a thread
// of the pump takes each event from the ringmq::monitor queue and sends it there, encoded as
// libzmq encodes it:
//   version 1: [16-bit event, 32-bit value] (host byte order), then the endpoint;
//   version 2: 64-bit event, 64-bit count of values (1), the value, the local address, the
//              remote address.
// Sends never block the pump: when the reader lags (or nobody is connected yet) an event is
// dropped, as ringmq's monitor queue drops what its reader does not take.
#pragma once

#include "handles.hpp"

#include <thread>

namespace ringmq::capi {

class monitor_pump {
 public:
  // Starts monitoring `target`'s `events` on a `type` socket bound at `endpoint`. Throws
  // ringmq::error (EINVAL, EADDRINUSE, ...) when the endpoint cannot be bound.
  monitor_pump(socket_handle& target, const char* endpoint, std::uint64_t events, int version, int type);
  // Stops the monitor: MONITOR_STOPPED (when asked for) ends the stream, then the thread
  // ends and the monitor socket closes.
  ~monitor_pump();
  monitor_pump(const monitor_pump&) = delete;
  monitor_pump& operator=(const monitor_pump&) = delete;

 private:
  void run() noexcept;
  void forward(const ringmq::socket_event& e) noexcept;

  ringmq::monitor events_;
  ringmq::socket out_;  // owned by the thread once it runs
  std::uint64_t mask_;
  int version_;
  std::thread thread_;
};

}  // namespace ringmq::capi
