// Socket monitor: connection events of one socket (libzmq's zmq_socket_monitor events and
// values), delivered through a bounded queue. Events are posted by I/O threads without
// ever waiting for the reader: when the queue is full, new events are dropped and counted,
// and the next delivered event says how many were lost before it.
#pragma once

#include <ringmq/export.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ringmq {

namespace detail {
class monitor_queue;
}

// Bit values are libzmq's ZMQ_EVENT_* values, but for limit_exceeded.
enum class monitor_event : std::uint32_t {
  none = 0,
  connected = 0x0001,                   // value: fd
  connect_delayed = 0x0002,             // value: errno of the failed attempt, if any
  connect_retried = 0x0004,             // value: next reconnect interval, ms
  listening = 0x0008,                   // value: fd
  bind_failed = 0x0010,                 // value: errno
  accepted = 0x0020,                    // value: fd
  accept_failed = 0x0040,               // value: errno
  closed = 0x0080,                      // value: fd
  close_failed = 0x0100,                // value: errno
  disconnected = 0x0200,                // value: fd
  monitor_stopped = 0x0400,             // value: 0
  handshake_failed_no_detail = 0x0800,  // value: errno
  handshake_succeeded = 0x1000,         // value: 0
  handshake_failed_protocol = 0x2000,   // value: libzmq ZMQ_PROTOCOL_ERROR_* code
  handshake_failed_auth = 0x4000,       // value: ZAP status code (300, 400, 500)
  // ringmq only (libzmq has no such limits, and leaves this bit unused): a peer went over
  // a limit this socket holds each peer to, and its connection is closed; DISCONNECTED
  // follows. Value: a peer_limit.
  limit_exceeded = 0x8000,
  all = 0xffff,
};

// Values of limit_exceeded events: which limit the peer went over.
enum class peer_limit : std::int64_t {
  subscriptions = 1,        // PUB/XPUB: distinct topics the peer subscribed to
  subscription_memory = 2,  // PUB/XPUB: the memory its subscriptions would hold
};

constexpr monitor_event operator|(monitor_event a, monitor_event b) noexcept {
  return monitor_event(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr monitor_event operator&(monitor_event a, monitor_event b) noexcept {
  return monitor_event(static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(b));
}

// "CONNECTED", "HANDSHAKE_FAILED_AUTH", ...
RINGMQ_API std::string_view to_string(monitor_event e) noexcept;

struct socket_event {
  monitor_event type = monitor_event::none;
  std::int64_t value = 0;            // see monitor_event
  std::string endpoint;              // the endpoint given to bind/connect (resolved)
  std::string peer_address;          // "tcp://10.0.0.2:51234", "ipc://@name" — empty if unknown
  std::uint64_t dropped_before = 0;  // events lost to a full queue just before this one
};

// Reader of a socket's events; obtained from socket::monitor(). Move-only; any thread may
// read it (one at a time). Destroying it stops the monitor.
class RINGMQ_API monitor {
 public:
  monitor() noexcept;
  monitor(monitor&&) noexcept;
  monitor& operator=(monitor&&) noexcept;
  ~monitor();

  // The next event, waiting up to `timeout` (negative: forever). Empty on timeout, and
  // once the monitor was stopped and drained (the last event is monitor_stopped).
  std::optional<socket_event> next(std::chrono::milliseconds timeout = std::chrono::milliseconds(-1));
  // Events dropped so far because the queue was full.
  [[nodiscard]] std::uint64_t dropped() const noexcept;
  // Readable while events are queued (level-triggered), for foreign event loops.
  [[nodiscard]] int fd() const;
  // Stops delivery; a monitor_stopped event ends the stream. Idempotent.
  void stop() noexcept;
  [[nodiscard]] explicit operator bool() const noexcept { return queue_ != nullptr; }

 private:
  friend class socket;
  explicit monitor(std::shared_ptr<detail::monitor_queue> q) noexcept;
  std::shared_ptr<detail::monitor_queue> queue_;
};

}  // namespace ringmq
