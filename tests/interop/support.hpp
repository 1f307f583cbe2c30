// Helpers of the interop suite: one interface over a ringmq socket and a libzmq socket (so
// a scenario runs the same whichever side is which library), endpoints for tcp and ipc,
// message bodies with checkable content, and waiting on monitor events.
//
// Nothing here sleeps. Every blocking call carries a deadline (`safety`) so that a bug fails
// the test instead of hanging it; the deadline is never reached when both libraries behave.
#pragma once

#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ringmq_interop {

using namespace std::chrono_literals;
using ringmq::monitor_event;
using ringmq::socket_type;
using strings = std::vector<std::string>;

// How long a blocking call may take before the test declares a library stuck.
inline constexpr std::chrono::milliseconds safety{5000};
// How long to wait when checking that nothing (more) arrives.
inline constexpr std::chrono::milliseconds quiet{20};

enum class transport { tcp, ipc };
std::string_view to_string(transport t) noexcept;
void PrintTo(transport t, std::ostream* os);

// An endpoint to bind to: tcp on an ephemeral loopback port, or ipc on a fresh path in this
// process's temporary directory (removed at exit). Resolve it with peer::bind's result.
std::string bind_endpoint(transport t);
// A fresh ipc path (without the scheme) in this process's temporary directory.
std::string fresh_ipc_path();

// `size` bytes whose content depends on `seed`, so that a misplaced or corrupted body shows.
std::string body(std::size_t size, unsigned seed);
// "<n> bytes" or "<n> bytes, first difference at <i>": a readable verdict for big bodies.
std::string describe_difference(std::string_view expected, std::string_view actual);

// The message parts as one readable line: printable bytes as is, others as \xNN, long parts
// abbreviated.
std::string show(const strings& parts);

enum class send_status { ok, unroutable, would_block };

// One socket of either library, seen through the operations the scenarios need.
class peer {
 public:
  virtual ~peer() = default;
  peer(const peer&) = delete;
  peer& operator=(const peer&) = delete;

  [[nodiscard]] virtual std::string_view library() const = 0;
  [[nodiscard]] socket_type type() const noexcept { return type_; }

  // Binds and returns the resolved endpoint (a wildcard port replaced by the real one).
  virtual std::string bind(const std::string& endpoint) = 0;
  virtual void connect(const std::string& endpoint) = 0;

  // Sends all parts as one message, waiting up to `safety`.
  virtual send_status send(const strings& parts) = 0;
  // The next whole message, or empty when none arrived within `timeout`.
  virtual std::optional<strings> recv(std::chrono::milliseconds timeout = safety) = 0;

  // Options, set before bind/connect where libzmq requires it.
  virtual void set_routing_id(std::string_view id) = 0;
  virtual void set_router_mandatory() = 0;
  virtual void set_reconnect_ivl(std::chrono::milliseconds ivl, std::chrono::milliseconds max) = 0;
  // SUB: the option; XSUB: the "\x01topic" / "\x00topic" message.
  void subscribe(std::string_view topic);
  void unsubscribe(std::string_view topic);

  // Waits up to `timeout` for `event` in this socket's monitor stream; events before it are
  // consumed. False on timeout.
  bool wait_event(monitor_event event, std::chrono::milliseconds timeout = safety);
  // Names of all events consumed so far, for failure messages.
  [[nodiscard]] const strings& seen_events() const noexcept { return seen_; }

  // Makes the socket take in what its I/O threads have told it so far (new peers and
  // their routing ids), so that a peer whose handshake was reported is routable. ringmq's
  // send always does this first. libzmq's zmq_send does it only when about a millisecond
  // of CPU time passed since it last did (socket_base_t::process_commands throttles), so a
  // ROUTER may refuse a peer that it reported; reading ZMQ_EVENTS takes them in at once.
  virtual void catch_up() = 0;

 protected:
  explicit peer(socket_type type) : type_(type) {}
  virtual void set_subscription(std::string_view topic, bool on) = 0;
  // The next event of the monitor stream within `timeout` (> 0), or empty.
  virtual std::optional<monitor_event> next_event(std::chrono::milliseconds timeout) = 0;

  socket_type type_;
  strings seen_;
};

// The I/O backend the run asked for (RINGMQ_IO_BACKEND) is io_uring and this kernel, or
// its seccomp filter, refuses io_uring: why, or empty when the backend is there.
std::optional<std::string> missing_io_backend();

// Base of every interop test: skips, saying why, when the backend the run asked for is
// missing (the epoll run still covers everything), rather than failing for want of a
// kernel feature. A derived SetUp calls this one first and returns if IsSkipped().
class interop_test : public ::testing::Test {
 protected:
  void SetUp() override;
};

// libzmq's context, shared by the libzmq peers of a test. Terminated on destruction (the
// peers must be gone by then; they all have LINGER 0).
class libzmq_context {
 public:
  libzmq_context();
  ~libzmq_context();
  libzmq_context(const libzmq_context&) = delete;
  libzmq_context& operator=(const libzmq_context&) = delete;
  [[nodiscard]] void* get() const noexcept { return ctx_; }

 private:
  void* ctx_;
};

// A socket with RCVTIMEO/SNDTIMEO `safety`, LINGER 0 and a monitor of all events.
std::unique_ptr<peer> make_ringmq_peer(ringmq::context& ctx, socket_type type);
std::unique_ptr<peer> make_libzmq_peer(libzmq_context& ctx, socket_type type);

// The ringmq socket inside a peer made by make_ringmq_peer (for direct API use).
ringmq::socket& ringmq_socket_of(peer& p);

// The libzmq constant of a socket type (they are numbered alike).
int libzmq_type(socket_type type) noexcept;

}  // namespace ringmq_interop
