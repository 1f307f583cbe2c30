// perf_library: the handful of messaging operations the perf workloads use, over ringmq or
// over libzmq's C API. Each workload (local_lat.cpp, pub_fanout.cpp, ...) is written once
// against this interface and compiled twice: as the ringmq tool (`local_lat`) and, with
// PERF_LIBZMQ defined, as the libzmq tool (`zmq_local_lat`). Both libraries therefore run
// the very same loop, and a difference in the numbers is a difference in the libraries.
//
// Everything here is inline and thin: a send is one library call, a received message is
// reused as libzmq's perf tools reuse theirs. Failures throw std::runtime_error; the tools'
// main() turns that into "error: ..." and exit code 1.
#pragma once

#include "perf_common.hpp"

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#ifdef PERF_LIBZMQ
#include <zmq.h>

#include <dlfcn.h>

#include <cerrno>
#include <cstring>
#else
#include <ringmq/ringmq.hpp>
#endif

// The tool's name as printed: "local_lat" for ringmq, "zmq_local_lat" for libzmq.
#ifdef PERF_LIBZMQ
#define PERF_TOOL_NAME(name) "zmq_" name
#else
#define PERF_TOOL_NAME(name) name
#endif

namespace perf::lib {

enum class kind { req, rep, push, pull, pub, sub, xpub, xsub, pair };

#ifdef PERF_LIBZMQ
// ===================================================================================== libzmq

inline constexpr const char* library_name = "libzmq";
inline constexpr bool has_busy_poll = false;

[[noreturn]] inline void zmq_fail(const char* what) {
  throw std::runtime_error(std::string("error in ") + what + ": " + zmq_strerror(zmq_errno()));
}

inline std::string version() {
  int major = 0, minor = 0, patch = 0;
  zmq_version(&major, &minor, &patch);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

inline bool curve_available() { return zmq_has("curve") != 0; }

// Which libzmq.so.5 the loader gave this tool: ringmq's C ABI (capi/, which alone exports
// ringmq_version) when run with LD_LIBRARY_PATH=<build>/capi, else libzmq itself. compare.py
// checks it before it files a run under "libzmq API on ringmq".
inline std::string loaded_library() {
  return dlsym(RTLD_DEFAULT, "ringmq_version") != nullptr ? "ringmq-capi" : library_name;
}

// A context with one I/O thread, as libzmq's perf tools use (zmq_init(1)).
class context {
 public:
  explicit context(int /*busy_poll_us: libzmq has no equivalent*/) : ctx_(zmq_ctx_new()) {
    if (ctx_ == nullptr) zmq_fail("zmq_ctx_new");
    if (zmq_ctx_set(ctx_, ZMQ_IO_THREADS, 1) != 0) zmq_fail("zmq_ctx_set");
  }
  context(const context&) = delete;
  context& operator=(const context&) = delete;
  ~context() { zmq_ctx_term(ctx_); }

  // libzmq caps a context at 1023 sockets by default.
  void reserve_sockets(int n) {
    if (n + 16 > 1023 && zmq_ctx_set(ctx_, ZMQ_MAX_SOCKETS, n + 16) != 0) zmq_fail("zmq_ctx_set MAX_SOCKETS");
  }
  // libzmq on Linux polls with epoll in its I/O threads; on ringmq's C ABI it is ringmq's
  // backend, which this API cannot ask for.
  [[nodiscard]] std::string io_backend() const {
    return loaded_library() == library_name ? "epoll" : "ringmq's";
  }
  [[nodiscard]] void* raw() const noexcept { return ctx_; }

 private:
  void* ctx_;
};

// msg_ is initialised by zmq_msg_init*, which clang-tidy cannot see (hence the NOLINTs); not
// zeroed first so that the libzmq side of a comparison pays nothing extra.
class message {
 public:
  message() noexcept { zmq_msg_init(&msg_); }  // NOLINT(cppcoreguidelines-pro-type-member-init)
  explicit message(std::size_t size) {         // NOLINT(cppcoreguidelines-pro-type-member-init)
    if (zmq_msg_init_size(&msg_, size) != 0) zmq_fail("zmq_msg_init_size");
  }
  message(const message&) = delete;
  message& operator=(const message&) = delete;
  message(message&& other) noexcept {  // NOLINT(cppcoreguidelines-pro-type-member-init)
    zmq_msg_init(&msg_);
    zmq_msg_move(&msg_, &other.msg_);
  }
  message& operator=(message&& other) noexcept {
    zmq_msg_move(&msg_, &other.msg_);
    return *this;
  }
  ~message() { zmq_msg_close(&msg_); }

  [[nodiscard]] std::size_t size() noexcept { return zmq_msg_size(&msg_); }
  [[nodiscard]] void* data() noexcept { return zmq_msg_data(&msg_); }
  [[nodiscard]] zmq_msg_t* raw() noexcept { return &msg_; }

 private:
  zmq_msg_t msg_;
};

class socket {
 public:
  socket(context& ctx, kind k) : sock_(zmq_socket(ctx.raw(), type_of(k))) {
    if (sock_ == nullptr) zmq_fail("zmq_socket");
  }
  socket(const socket&) = delete;
  socket& operator=(const socket&) = delete;
  socket(socket&& other) noexcept : sock_(other.sock_) { other.sock_ = nullptr; }
  ~socket() {
    if (sock_ != nullptr) zmq_close(sock_);
  }

  void bind(const std::string& endpoint) {
    if (zmq_bind(sock_, endpoint.c_str()) != 0) zmq_fail(("zmq_bind " + endpoint).c_str());
  }
  void connect(const std::string& endpoint) {
    if (zmq_connect(sock_, endpoint.c_str()) != 0) zmq_fail(("zmq_connect " + endpoint).c_str());
  }
  [[nodiscard]] std::string last_endpoint() const {
    char buf[1024];
    std::size_t len = sizeof buf;
    if (zmq_getsockopt(sock_, ZMQ_LAST_ENDPOINT, buf, &len) != 0) zmq_fail("zmq_getsockopt LAST_ENDPOINT");
    return std::string(buf, len > 0 ? len - 1 : 0);
  }

  // A negative value means infinite.
  void set_linger(std::chrono::milliseconds ms) {
    set_int(ZMQ_LINGER, static_cast<int>(ms.count()), "LINGER");
  }
  void set_sndhwm(int n) { set_int(ZMQ_SNDHWM, n, "SNDHWM"); }
  void set_rcvhwm(int n) { set_int(ZMQ_RCVHWM, n, "RCVHWM"); }
  void set_rcvtimeo(std::chrono::milliseconds ms) {
    set_int(ZMQ_RCVTIMEO, static_cast<int>(ms.count()), "RCVTIMEO");
  }
  void set_backlog(int n) { set_int(ZMQ_BACKLOG, n, "BACKLOG"); }
  void subscribe(std::string_view prefix) { set_bytes(ZMQ_SUBSCRIBE, prefix, "SUBSCRIBE"); }
  void set_xpub_verbose() { set_int(ZMQ_XPUB_VERBOSE, 1, "XPUB_VERBOSE"); }
  void set_xpub_nodrop() { set_int(ZMQ_XPUB_NODROP, 1, "XPUB_NODROP"); }
  void set_curve_server(const char* secret_key) {
    set_int(ZMQ_CURVE_SERVER, 1, "CURVE_SERVER");
    set_bytes(ZMQ_CURVE_SECRETKEY, secret_key, "CURVE_SECRETKEY");
  }
  void set_curve_client(const char* server_key, const char* public_key, const char* secret_key) {
    set_bytes(ZMQ_CURVE_SERVERKEY, server_key, "CURVE_SERVERKEY");
    set_bytes(ZMQ_CURVE_PUBLICKEY, public_key, "CURVE_PUBLICKEY");
    set_bytes(ZMQ_CURVE_SECRETKEY, secret_key, "CURVE_SECRETKEY");
  }

  // Sends and empties `msg` (blocking).
  void send(message& msg) {
    if (zmq_msg_send(msg.raw(), sock_, 0) < 0) zmq_fail("zmq_msg_send");
  }
  // Receives into `msg` (blocking); false on RCVTIMEO.
  bool recv(message& msg) {
    if (zmq_msg_recv(msg.raw(), sock_, 0) >= 0) return true;
    if (zmq_errno() == EAGAIN) return false;
    zmq_fail("zmq_msg_recv");
  }
  // Receives into `msg` if one is waiting.
  bool try_recv(message& msg) {
    if (zmq_msg_recv(msg.raw(), sock_, ZMQ_DONTWAIT) >= 0) return true;
    if (zmq_errno() == EAGAIN) return false;
    zmq_fail("zmq_msg_recv");
  }
  [[nodiscard]] void* raw() const noexcept { return sock_; }

 private:
  static int type_of(kind k) {
    switch (k) {
      case kind::req: return ZMQ_REQ;
      case kind::rep: return ZMQ_REP;
      case kind::push: return ZMQ_PUSH;
      case kind::pull: return ZMQ_PULL;
      case kind::pub: return ZMQ_PUB;
      case kind::sub: return ZMQ_SUB;
      case kind::xpub: return ZMQ_XPUB;
      case kind::xsub: return ZMQ_XSUB;
      case kind::pair: return ZMQ_PAIR;
    }
    return ZMQ_PAIR;
  }
  void set_int(int id, int value, const char* name) {
    if (zmq_setsockopt(sock_, id, &value, sizeof value) != 0)
      zmq_fail((std::string("zmq_setsockopt ") + name).c_str());
  }
  void set_bytes(int id, std::string_view value, const char* name) {
    if (zmq_setsockopt(sock_, id, value.data(), value.size()) != 0)
      zmq_fail((std::string("zmq_setsockopt ") + name).c_str());
  }

  void* sock_;
};

// Waits until one of `socks` is readable (or `timeout` passes); sets ready[i] for those that
// are. Returns how many are.
class in_poller {
 public:
  explicit in_poller(const std::vector<socket*>& socks) : items_(socks.size()) {
    for (std::size_t i = 0; i < socks.size(); ++i)
      items_[i] = zmq_pollitem_t{socks[i]->raw(), 0, ZMQ_POLLIN, 0};
  }
  int wait(std::vector<char>& ready, std::chrono::milliseconds timeout) {
    const int n =
        zmq_poll(items_.data(), static_cast<int>(items_.size()), static_cast<long>(timeout.count()));
    if (n < 0) zmq_fail("zmq_poll");
    ready.assign(items_.size(), 0);
    for (std::size_t i = 0; i < items_.size(); ++i) ready[i] = (items_[i].revents & ZMQ_POLLIN) != 0;
    return n;
  }

 private:
  std::vector<zmq_pollitem_t> items_;
};

#else
// ===================================================================================== ringmq

inline constexpr const char* library_name = "ringmq";
inline constexpr bool has_busy_poll = true;

inline std::string version() {
  const auto v = ringmq::version();
  return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

// CURVE is available when the security layer accepts a Z85 key (it installs the decoder the
// socket options use); until then setting a key is errc::invalid_option_value.
inline bool curve_available() {
  try {
    ringmq::context ctx;
    ringmq::socket s(ctx, ringmq::socket_type::pull);
    s.set(ringmq::opt::curve_secretkey, "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8");
    s.set(ringmq::opt::curve_server, true);
    return s.get(ringmq::opt::mechanism) == ringmq::mechanism_kind::curve;
  } catch (const ringmq::error&) {
    return false;
  }
}

// A context with one I/O thread (ringmq's default, and what libzmq's perf tools use).
class context {
 public:
  explicit context(int busy_poll_us) : ctx_(1) {
    if (busy_poll_us > 0) ctx_.set(ringmq::context_option::busy_poll_us, busy_poll_us);
  }
  void reserve_sockets(int) {}  // no per-context socket cap
  // Starts the I/O threads if they are not running: call once tcp/ipc is in use.
  [[nodiscard]] std::string io_backend() const { return ctx_.io_backend(); }
  [[nodiscard]] ringmq::context& raw() noexcept { return ctx_; }

 private:
  ringmq::context ctx_;
};

class message {
 public:
  message() noexcept = default;
  explicit message(std::size_t size) : msg_(size) {}
  [[nodiscard]] std::size_t size() const noexcept { return msg_.size(); }
  [[nodiscard]] void* data() noexcept { return msg_.data(); }
  [[nodiscard]] ringmq::message& raw() noexcept { return msg_; }

 private:
  ringmq::message msg_;
};

class socket {
 public:
  socket(context& ctx, kind k) : sock_(ctx.raw(), type_of(k)) {}

  void bind(const std::string& endpoint) { sock_.bind(endpoint); }
  void connect(const std::string& endpoint) { sock_.connect(endpoint); }
  [[nodiscard]] std::string last_endpoint() const { return sock_.last_endpoint(); }

  void set_linger(std::chrono::milliseconds ms) { sock_.set(ringmq::opt::linger, ms); }
  void set_sndhwm(int n) { sock_.set(ringmq::opt::sndhwm, n); }
  void set_rcvhwm(int n) { sock_.set(ringmq::opt::rcvhwm, n); }
  void set_rcvtimeo(std::chrono::milliseconds ms) { sock_.set(ringmq::opt::rcvtimeo, ms); }
  void set_backlog(int n) { sock_.set(ringmq::opt::backlog, n); }
  void subscribe(std::string_view prefix) { sock_.set(ringmq::opt::subscribe, prefix); }
  void set_xpub_verbose() { sock_.set(ringmq::opt::xpub_verbose, true); }
  void set_xpub_nodrop() { sock_.set(ringmq::opt::xpub_nodrop, true); }
  void set_curve_server(const char* secret_key) {
    sock_.set(ringmq::opt::curve_server, true);
    sock_.set(ringmq::opt::curve_secretkey, secret_key);
  }
  void set_curve_client(const char* server_key, const char* public_key, const char* secret_key) {
    sock_.set(ringmq::opt::curve_serverkey, server_key);
    sock_.set(ringmq::opt::curve_publickey, public_key);
    sock_.set(ringmq::opt::curve_secretkey, secret_key);
  }

  // Sends and empties `msg` (blocking).
  void send(message& msg) { sock_.send(std::move(msg.raw())); }
  // Receives into `msg` (blocking); false on RCVTIMEO.
  bool recv(message& msg) { return sock_.recv(msg.raw()).has_value(); }
  // Receives into `msg` if one is waiting.
  bool try_recv(message& msg) { return sock_.recv(msg.raw(), ringmq::recv_flags::dontwait).has_value(); }
  [[nodiscard]] ringmq::socket& raw() noexcept { return sock_; }

 private:
  static ringmq::socket_type type_of(kind k) {
    using ringmq::socket_type;
    switch (k) {
      case kind::req: return socket_type::req;
      case kind::rep: return socket_type::rep;
      case kind::push: return socket_type::push;
      case kind::pull: return socket_type::pull;
      case kind::pub: return socket_type::pub;
      case kind::sub: return socket_type::sub;
      case kind::xpub: return socket_type::xpub;
      case kind::xsub: return socket_type::xsub;
      case kind::pair: return socket_type::pair;
    }
    return socket_type::pair;
  }

  ringmq::socket sock_;
};

// Waits until one of `socks` is readable (or `timeout` passes); sets ready[i] for those that
// are. Returns how many are.
class in_poller {
 public:
  explicit in_poller(const std::vector<socket*>& socks) : items_(socks.size()) {
    for (std::size_t i = 0; i < socks.size(); ++i) {
      items_[i].sock = &socks[i]->raw();
      items_[i].interest = ringmq::events::pollin;
    }
  }
  int wait(std::vector<char>& ready, std::chrono::milliseconds timeout) {
    const std::size_t n = ringmq::poll(items_, timeout);
    ready.assign(items_.size(), 0);
    for (std::size_t i = 0; i < items_.size(); ++i)
      ready[i] = ringmq::any(items_[i].ready & ringmq::events::pollin);
    return static_cast<int>(n);
  }

 private:
  std::vector<ringmq::poll_item> items_;
};

#endif

// The header of a tool run over `transport`: call it after bind/connect, so asking for the
// I/O backend does not start I/O threads earlier than the workload would. inproc involves no
// I/O thread.
inline header make_header(const char* tool, const std::string& transport, context& ctx, const options& o,
                          bool curve) {
  header h;
  h.tool = tool;
#ifdef PERF_LIBZMQ
  h.library = loaded_library();
#else
  h.library = library_name;
#endif
  h.version = version();
  h.transport = transport;
  h.io_backend = transport == "inproc" ? std::string("none") : ctx.io_backend();
  h.curve = curve;
  h.busy_poll_us = has_busy_poll ? o.busy_poll_us : 0;
  if (!has_busy_poll && o.busy_poll_us > 0) note(o, "libzmq has no busy-poll setting: --busy-poll ignored");
  return h;
}

// A CURVE run in a build without CURVE: say so clearly and stop.
inline void require_curve() {
  if (!curve_available())
    fail(std::string("CURVE is not available in this build of ") + library_name +
         " (enable_curve=1 needs it); run without the trailing 1");
}

// One REQ round trip of `msg`, checking the reply's size (the latency tools' inner loop).
inline void req_roundtrip(socket& req, message& msg, std::int64_t size) {
  req.send(msg);
  if (!req.recv(msg)) fail("receive timed out");
  if (static_cast<std::int64_t>(msg.size()) != size) fail("message of incorrect size received");
}

}  // namespace perf::lib
