// peer_socket: the few socket operations the fault suite's peer program needs, over ringmq or
// over libzmq's C API. fault_peer.cpp is written once against this interface and compiled
// twice: as `fault_peer` (ringmq) and, with FAULT_LIBZMQ defined, as `fault_peer_zmq`
// (Debian's libzmq 4.3.4), so that either side of every scenario can be either library and
// both run the very same loop.
//
// Options are named by their libzmq numbers, which ringmq shares (include/ringmq/options.hpp).
// Failures throw std::runtime_error. Everything here belongs to the peer's main thread except
// the monitor, whose callback runs on a thread of its own.
#pragma once

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#ifdef FAULT_LIBZMQ
#include <zmq.h>
#else
#include <ringmq/ringmq.hpp>
#endif

namespace fault::lib {

enum class kind { push, pull, dealer, router, req, rep, pub, sub, pair };

// libzmq's option numbers (zmq.h), the same in ringmq.
namespace option {
inline constexpr int routing_id = 5;
inline constexpr int subscribe = 6;
inline constexpr int linger = 17;
inline constexpr int reconnect_ivl = 18;
inline constexpr int reconnect_ivl_max = 21;
inline constexpr int sndhwm = 23;
inline constexpr int rcvhwm = 24;
inline constexpr int rcvtimeo = 27;
inline constexpr int sndtimeo = 28;
inline constexpr int immediate = 39;
inline constexpr int req_correlate = 52;
inline constexpr int req_relaxed = 53;
inline constexpr int xpub_nodrop = 69;
inline constexpr int heartbeat_ivl = 75;
inline constexpr int heartbeat_ttl = 76;
inline constexpr int heartbeat_timeout = 77;
inline constexpr int connect_timeout = 79;
}  // namespace option

// Called on the monitor thread with the event's name ("DISCONNECTED", as libzmq spells
// ZMQ_EVENT_DISCONNECTED) and value.
using event_callback = std::function<void(std::string_view name, std::int64_t value)>;

#ifdef FAULT_LIBZMQ
// ===================================================================================== libzmq

inline constexpr const char* library_name = "libzmq";

[[noreturn]] inline void zmq_fail(const std::string& what) {
  throw std::runtime_error(what + ": " + zmq_strerror(zmq_errno()));
}

inline const char* event_name(int e) {
  switch (e) {
    case ZMQ_EVENT_CONNECTED: return "CONNECTED";
    case ZMQ_EVENT_CONNECT_DELAYED: return "CONNECT_DELAYED";
    case ZMQ_EVENT_CONNECT_RETRIED: return "CONNECT_RETRIED";
    case ZMQ_EVENT_LISTENING: return "LISTENING";
    case ZMQ_EVENT_BIND_FAILED: return "BIND_FAILED";
    case ZMQ_EVENT_ACCEPTED: return "ACCEPTED";
    case ZMQ_EVENT_ACCEPT_FAILED: return "ACCEPT_FAILED";
    case ZMQ_EVENT_CLOSED: return "CLOSED";
    case ZMQ_EVENT_CLOSE_FAILED: return "CLOSE_FAILED";
    case ZMQ_EVENT_DISCONNECTED: return "DISCONNECTED";
    case ZMQ_EVENT_MONITOR_STOPPED: return "MONITOR_STOPPED";
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: return "HANDSHAKE_FAILED_NO_DETAIL";
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: return "HANDSHAKE_SUCCEEDED";
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: return "HANDSHAKE_FAILED_PROTOCOL";
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: return "HANDSHAKE_FAILED_AUTH";
    default: return "UNKNOWN";
  }
}

class context {
 public:
  context() : ctx_(zmq_ctx_new()) {
    if (ctx_ == nullptr) zmq_fail("zmq_ctx_new");
  }
  context(const context&) = delete;
  context& operator=(const context&) = delete;
  ~context() { zmq_ctx_term(ctx_); }
  [[nodiscard]] std::string io_backend() const { return "epoll"; }
  [[nodiscard]] void* raw() const noexcept { return ctx_; }

 private:
  void* ctx_;
};

// A message being built for sending. msg_ is initialised by zmq_msg_init_size, which
// clang-tidy cannot see (hence the NOLINT).
class outgoing {
 public:
  explicit outgoing(std::size_t size) {  // NOLINT(cppcoreguidelines-pro-type-member-init)
    if (zmq_msg_init_size(&msg_, size) != 0) zmq_fail("zmq_msg_init_size");
  }
  outgoing(const outgoing&) = delete;
  outgoing& operator=(const outgoing&) = delete;
  ~outgoing() { zmq_msg_close(&msg_); }
  [[nodiscard]] std::span<std::byte> bytes() noexcept {
    return {static_cast<std::byte*>(zmq_msg_data(&msg_)), zmq_msg_size(&msg_)};
  }
  [[nodiscard]] zmq_msg_t* raw() noexcept { return &msg_; }

 private:
  zmq_msg_t msg_;
};

// The parts of one received message; reused from message to message.
class received {
 public:
  received() = default;
  received(const received&) = delete;
  received& operator=(const received&) = delete;
  ~received() {
    for (auto& m : parts_) zmq_msg_close(&m);
  }
  [[nodiscard]] std::size_t size() const noexcept { return used_; }
  [[nodiscard]] std::span<const std::byte> part(std::size_t i) const noexcept {
    auto* m = const_cast<zmq_msg_t*>(&parts_[i]);
    return {static_cast<const std::byte*>(zmq_msg_data(m)), zmq_msg_size(m)};
  }
  void clear() noexcept { used_ = 0; }
  zmq_msg_t* next_slot() {
    if (used_ == parts_.size()) {
      parts_.emplace_back();
      zmq_msg_init(&parts_.back());
    }
    return &parts_[used_++];
  }
  void drop_last() noexcept { --used_; }
  [[nodiscard]] zmq_msg_t* raw(std::size_t i) noexcept { return &parts_[i]; }
  // Which connection part `i` came over: libzmq attaches one property set per connection
  // to all its messages, so the address of a property's bytes names the connection (not the
  // descriptor, ZMQ_SRCFD: libzmq closes it while the connection's messages still wait in
  // its pipe, and the next connection may get the same number); 0 if the part has none (a
  // ROUTER's routing-id frame, made locally).
  [[nodiscard]] std::uint64_t connection_key(std::size_t i) noexcept {
    if (i >= used_) return 0;
    const char* type = zmq_msg_gets(&parts_[i], "Socket-Type");
    return reinterpret_cast<std::uintptr_t>(type);
  }

 private:
  std::vector<zmq_msg_t> parts_;  // initialised slots; the first used_ hold the message
  std::size_t used_ = 0;
};

class socket {
 public:
  socket(context& ctx, kind k) : ctx_(ctx.raw()), sock_(zmq_socket(ctx.raw(), type_of(k))) {
    if (sock_ == nullptr) zmq_fail("zmq_socket");
  }
  socket(const socket&) = delete;
  socket& operator=(const socket&) = delete;
  ~socket() { close(); }

  void close() {
    stop_monitor();
    if (sock_ != nullptr) zmq_close(sock_);
    sock_ = nullptr;
  }

  void set_int(int id, std::int64_t value) {
    const int v = static_cast<int>(value);
    if (zmq_setsockopt(sock_, id, &v, sizeof v) != 0) zmq_fail("zmq_setsockopt " + std::to_string(id));
  }
  void set_bytes(int id, std::string_view value) {
    if (zmq_setsockopt(sock_, id, value.data(), value.size()) != 0)
      zmq_fail("zmq_setsockopt " + std::to_string(id));
  }
  void bind(const std::string& ep) {
    if (zmq_bind(sock_, ep.c_str()) != 0) zmq_fail("zmq_bind " + ep);
  }
  // bind(), but false (nothing bound) when the address is still in use.
  bool try_bind(const std::string& ep) {
    if (zmq_bind(sock_, ep.c_str()) == 0) return true;
    if (zmq_errno() == EADDRINUSE) return false;
    zmq_fail("zmq_bind " + ep);
  }
  void connect(const std::string& ep) {
    if (zmq_connect(sock_, ep.c_str()) != 0) zmq_fail("zmq_connect " + ep);
  }
  [[nodiscard]] std::string last_endpoint() const {
    char buf[1024];
    std::size_t len = sizeof buf;
    if (zmq_getsockopt(sock_, ZMQ_LAST_ENDPOINT, buf, &len) != 0) zmq_fail("zmq_getsockopt LAST_ENDPOINT");
    return std::string(buf, len > 0 ? len - 1 : 0);
  }

  // Sends one part (consumed on success). False when it would block (dontwait) or SNDTIMEO
  // passed; the part is then still there to send again.
  bool send(outgoing& part, bool more, bool dontwait) {
    const int flags = (more ? ZMQ_SNDMORE : 0) | (dontwait ? ZMQ_DONTWAIT : 0);
    if (zmq_msg_send(part.raw(), sock_, flags) >= 0) return true;
    if (zmq_errno() == EAGAIN) return false;
    zmq_fail("zmq_msg_send");
  }
  // Sends parts[first..] of a received message again (an echo).
  bool send_copy(received& r, std::size_t i, bool more, bool dontwait) {
    zmq_msg_t copy;
    zmq_msg_init(&copy);
    zmq_msg_copy(&copy, r.raw(i));
    const int flags = (more ? ZMQ_SNDMORE : 0) | (dontwait ? ZMQ_DONTWAIT : 0);
    const int rc = zmq_msg_send(&copy, sock_, flags);
    if (rc < 0) {
      const int e = zmq_errno();
      zmq_msg_close(&copy);
      if (e == EAGAIN) return false;
      errno = e;
      zmq_fail("zmq_msg_send");
    }
    return true;
  }

  // Receives a whole multipart message into `r`. False when none is there (dontwait) or
  // RCVTIMEO passed.
  bool recv(received& r, bool dontwait) {
    r.clear();
    for (;;) {
      zmq_msg_t* slot = r.next_slot();
      const bool first = r.size() == 1;
      if (zmq_msg_recv(slot, sock_, first && dontwait ? ZMQ_DONTWAIT : 0) < 0) {
        r.drop_last();
        if (zmq_errno() != EAGAIN) zmq_fail("zmq_msg_recv");
        // A later part that does not come (RCVTIMEO): hand on what came, for the checker
        // to call partial.
        return !first;
      }
      if (zmq_msg_more(slot) == 0) return true;
    }
  }

  // Waits up to `timeout` for the socket to be readable (and writable, if asked).
  // Returns {readable, writable}.
  std::pair<bool, bool> poll(bool want_out, std::chrono::milliseconds timeout) {
    zmq_pollitem_t item{sock_, 0, static_cast<short>(ZMQ_POLLIN | (want_out ? ZMQ_POLLOUT : 0)), 0};
    if (zmq_poll(&item, 1, static_cast<long>(timeout.count())) < 0 && zmq_errno() != EINTR)
      zmq_fail("zmq_poll");
    return {(item.revents & ZMQ_POLLIN) != 0, (item.revents & ZMQ_POLLOUT) != 0};
  }

  // Reports connection events on a thread of its own until close().
  void start_monitor(event_callback cb) {
    const std::string ep =
        "inproc://fault-monitor-" + std::to_string(reinterpret_cast<std::uintptr_t>(sock_));
    if (zmq_socket_monitor(sock_, ep.c_str(), ZMQ_EVENT_ALL) != 0) zmq_fail("zmq_socket_monitor");
    void* reader = zmq_socket(ctx_, ZMQ_PAIR);
    if (reader == nullptr) zmq_fail("zmq_socket PAIR");
    if (zmq_connect(reader, ep.c_str()) != 0) zmq_fail("zmq_connect monitor");
    const int timeout = 50;
    zmq_setsockopt(reader, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    monitor_ = std::thread([this, reader, cb = std::move(cb)] {
      while (!stop_.load(std::memory_order_acquire)) {
        zmq_msg_t head;
        zmq_msg_init(&head);
        if (zmq_msg_recv(&head, reader, 0) < 0) {
          zmq_msg_close(&head);
          continue;
        }
        // Frame 1: u16 event, u32 value (native order); frame 2: the endpoint.
        std::uint16_t event = 0;
        std::uint32_t value = 0;
        if (zmq_msg_size(&head) >= 6) {
          std::memcpy(&event, zmq_msg_data(&head), 2);
          std::memcpy(&value, static_cast<char*>(zmq_msg_data(&head)) + 2, 4);
        }
        const bool more = zmq_msg_more(&head) != 0;
        zmq_msg_close(&head);
        if (more) {
          zmq_msg_t address;
          zmq_msg_init(&address);
          zmq_msg_recv(&address, reader, 0);
          zmq_msg_close(&address);
        }
        cb(event_name(event), static_cast<std::int64_t>(value));
      }
      const int zero = 0;
      zmq_setsockopt(reader, ZMQ_LINGER, &zero, sizeof zero);
      zmq_close(reader);
    });
  }

 private:
  void stop_monitor() {
    if (!monitor_.joinable()) return;
    stop_.store(true, std::memory_order_release);
    monitor_.join();
  }

  static int type_of(kind k) {
    switch (k) {
      case kind::push: return ZMQ_PUSH;
      case kind::pull: return ZMQ_PULL;
      case kind::dealer: return ZMQ_DEALER;
      case kind::router: return ZMQ_ROUTER;
      case kind::req: return ZMQ_REQ;
      case kind::rep: return ZMQ_REP;
      case kind::pub: return ZMQ_PUB;
      case kind::sub: return ZMQ_SUB;
      case kind::pair: return ZMQ_PAIR;
    }
    return ZMQ_PAIR;
  }

  void* ctx_;
  void* sock_;
  std::thread monitor_;
  std::atomic<bool> stop_{false};
};

#else
// ===================================================================================== ringmq

inline constexpr const char* library_name = "ringmq";

class context {
 public:
  context() = default;
  [[nodiscard]] std::string io_backend() const { return ctx_.io_backend(); }
  [[nodiscard]] ringmq::context& raw() noexcept { return ctx_; }

 private:
  ringmq::context ctx_;
};

class outgoing {
 public:
  explicit outgoing(std::size_t size) : msg_(size) {}
  [[nodiscard]] std::span<std::byte> bytes() noexcept { return msg_.bytes(); }
  [[nodiscard]] ringmq::message& raw() noexcept { return msg_; }

 private:
  ringmq::message msg_;
};

class received {
 public:
  [[nodiscard]] std::size_t size() const noexcept { return used_; }
  [[nodiscard]] std::span<const std::byte> part(std::size_t i) const noexcept { return parts_[i].bytes(); }
  void clear() noexcept { used_ = 0; }
  ringmq::message& next_slot() {
    if (used_ == parts_.size()) parts_.emplace_back();
    return parts_[used_++];
  }
  void drop_last() noexcept { --used_; }
  [[nodiscard]] const ringmq::message& raw(std::size_t i) const noexcept { return parts_[i]; }
  // Which connection part `i` came over: every message received on a connection shares its
  // property set, so the address of a property's bytes names the connection; 0 if the part
  // has none (inproc, a ROUTER's routing-id frame).
  [[nodiscard]] std::uint64_t connection_key(std::size_t i) const noexcept {
    if (i >= used_) return 0;
    const auto type = parts_[i].property("Socket-Type");
    return type ? reinterpret_cast<std::uintptr_t>(type->data()) : 0;
  }

 private:
  std::vector<ringmq::message> parts_;
  std::size_t used_ = 0;
};

class socket {
 public:
  socket(context& ctx, kind k) : sock_(ctx.raw(), type_of(k)) {}
  socket(const socket&) = delete;
  socket& operator=(const socket&) = delete;
  ~socket() { close(); }

  void close() {
    stop_monitor();
    sock_.close();
  }

  void set_int(int id, std::int64_t value) { sock_.set_option(static_cast<ringmq::option>(id), value); }
  void set_bytes(int id, std::string_view value) { sock_.set_option(static_cast<ringmq::option>(id), value); }
  void bind(const std::string& ep) { sock_.bind(ep); }
  // bind(), but false (nothing bound) when the address is still in use.
  bool try_bind(const std::string& ep) {
    std::error_code ec;
    sock_.bind(ep, ec);
    if (!ec) return true;
    if (ec == std::errc::address_in_use) return false;
    throw ringmq::error(ec, "bind " + ep);
  }
  void connect(const std::string& ep) { sock_.connect(ep); }
  [[nodiscard]] std::string last_endpoint() const { return sock_.last_endpoint(); }

  bool send(outgoing& part, bool more, bool dontwait) {
    return sock_.send(std::move(part.raw()), flags(more, dontwait)).has_value();
  }
  bool send_copy(received& r, std::size_t i, bool more, bool dontwait) {
    return sock_.send(r.raw(i), flags(more, dontwait)).has_value();
  }

  bool recv(received& r, bool dontwait) {
    r.clear();
    for (;;) {
      ringmq::message& slot = r.next_slot();
      const bool first = r.size() == 1;
      if (!sock_.recv(slot, first && dontwait ? ringmq::recv_flags::dontwait : ringmq::recv_flags::none)) {
        r.drop_last();
        // A later part that does not come (RCVTIMEO; ringmq promises it never happens): hand
        // on what came, for the checker to call partial.
        return !first;
      }
      if (!slot.more()) return true;
    }
  }

  std::pair<bool, bool> poll(bool want_out, std::chrono::milliseconds timeout) {
    ringmq::poll_item item;
    item.sock = &sock_;
    item.interest = ringmq::events::pollin | (want_out ? ringmq::events::pollout : ringmq::events::none);
    ringmq::poll(std::span(&item, 1), timeout);
    return {ringmq::any(item.ready & ringmq::events::pollin),
            ringmq::any(item.ready & ringmq::events::pollout)};
  }

  void start_monitor(event_callback cb) {
    auto mon = std::make_shared<ringmq::monitor>(sock_.monitor());
    monitor_ = std::thread([this, mon, cb = std::move(cb)] {
      while (!stop_.load(std::memory_order_acquire)) {
        const auto e = mon->next(std::chrono::milliseconds(50));
        if (e) cb(ringmq::to_string(e->type), e->value);
      }
    });
  }

 private:
  static ringmq::send_flags flags(bool more, bool dontwait) {
    return (more ? ringmq::send_flags::sndmore : ringmq::send_flags::none) |
           (dontwait ? ringmq::send_flags::dontwait : ringmq::send_flags::none);
  }
  void stop_monitor() {
    if (!monitor_.joinable()) return;
    stop_.store(true, std::memory_order_release);
    monitor_.join();
  }
  static ringmq::socket_type type_of(kind k) {
    using ringmq::socket_type;
    switch (k) {
      case kind::push: return socket_type::push;
      case kind::pull: return socket_type::pull;
      case kind::dealer: return socket_type::dealer;
      case kind::router: return socket_type::router;
      case kind::req: return socket_type::req;
      case kind::rep: return socket_type::rep;
      case kind::pub: return socket_type::pub;
      case kind::sub: return socket_type::sub;
      case kind::pair: return socket_type::pair;
    }
    return socket_type::pair;
  }

  ringmq::socket sock_;
  std::thread monitor_;
  std::atomic<bool> stop_{false};
};

#endif

}  // namespace fault::lib
