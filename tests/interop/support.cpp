#include "interop/support.hpp"

#include <zmq.h>

#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace ringmq_interop {

namespace {

// This process's directory for ipc paths, removed when the process exits.
class ipc_directory {
 public:
  ipc_directory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ringmq-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::system_error(errno, std::generic_category(), "mkdtemp");
    path_ = pattern;
  }
  ~ipc_directory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ipc_directory(const ipc_directory&) = delete;
  ipc_directory& operator=(const ipc_directory&) = delete;
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

std::atomic<unsigned> ipc_counter{0};

[[noreturn]] void throw_zmq(const char* what) {
  throw std::system_error(zmq_errno(), std::generic_category(), std::string("libzmq ") + what);
}

// ---- ringmq -------------------------------------------------------------------------------

class ringmq_peer final : public peer {
 public:
  ringmq_peer(ringmq::context& ctx, socket_type type) : peer(type), sock_(ctx, type) {
    sock_.set(ringmq::opt::rcvtimeo, safety);
    sock_.set(ringmq::opt::sndtimeo, safety);
    sock_.set(ringmq::opt::linger, 0ms);
    monitor_ = sock_.monitor();
  }

  [[nodiscard]] std::string_view library() const override { return "ringmq"; }
  ringmq::socket& socket() noexcept { return sock_; }

  std::string bind(const std::string& endpoint) override {
    sock_.bind(endpoint);
    return sock_.last_endpoint();
  }
  void connect(const std::string& endpoint) override { sock_.connect(endpoint); }

  send_status send(const strings& parts) override {
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto flags = i + 1 < parts.size() ? ringmq::send_flags::sndmore : ringmq::send_flags::none;
      std::error_code ec;
      const auto sent = sock_.send(ringmq::message(parts[i]), flags, ec);
      if (ec == std::errc::host_unreachable) return send_status::unroutable;
      if (ec) throw ringmq::error(ec, "send");
      if (!sent) return send_status::would_block;
    }
    return send_status::ok;
  }

  std::optional<strings> recv(std::chrono::milliseconds timeout) override {
    ringmq::poll_item item{&sock_, -1, ringmq::events::pollin};
    if (ringmq::poll(std::span(&item, 1), timeout) == 0) return std::nullopt;
    strings parts;
    for (;;) {
      // The first part is there; the others of a message arrive with it.
      auto part = sock_.recv(parts.empty() ? ringmq::recv_flags::dontwait : ringmq::recv_flags::none);
      if (!part) return parts.empty() ? std::nullopt : std::optional<strings>(parts);
      parts.push_back(part->to_string());
      if (!part->more()) return parts;
    }
  }

  void catch_up() override {
    // Nothing to do: a send takes in the socket's commands before routing (socket_base).
  }

  void set_routing_id(std::string_view id) override { sock_.set(ringmq::opt::routing_id, id); }
  void set_router_mandatory() override { sock_.set(ringmq::opt::router_mandatory, true); }
  void set_reconnect_ivl(std::chrono::milliseconds ivl, std::chrono::milliseconds max) override {
    sock_.set(ringmq::opt::reconnect_ivl, ivl);
    sock_.set(ringmq::opt::reconnect_ivl_max, max);
  }

  std::optional<monitor_event> next_event(std::chrono::milliseconds timeout) override {
    auto e = monitor_.next(timeout);
    if (!e) return std::nullopt;
    return e->type;
  }

 private:
  void set_subscription(std::string_view topic, bool on) override {
    if (on)
      sock_.set(ringmq::opt::subscribe, topic);
    else
      sock_.set(ringmq::opt::unsubscribe, topic);
  }

  ringmq::socket sock_;
  ringmq::monitor monitor_;
};

// ---- libzmq -------------------------------------------------------------------------------

std::atomic<unsigned> monitor_counter{0};

class libzmq_peer final : public peer {
 public:
  libzmq_peer(libzmq_context& ctx, socket_type type) : peer(type) {
    sock_ = zmq_socket(ctx.get(), libzmq_type(type));
    if (sock_ == nullptr) throw_zmq("zmq_socket");
    set_int(ZMQ_LINGER, 0);
    set_int(ZMQ_RCVTIMEO, static_cast<int>(safety.count()));
    set_int(ZMQ_SNDTIMEO, static_cast<int>(safety.count()));
    const std::string address = "inproc://libzmq-monitor-" + std::to_string(++monitor_counter);
    if (zmq_socket_monitor(sock_, address.c_str(), ZMQ_EVENT_ALL) != 0) throw_zmq("zmq_socket_monitor");
    monitor_ = zmq_socket(ctx.get(), ZMQ_PAIR);
    if (monitor_ == nullptr) throw_zmq("zmq_socket");
    int zero = 0;
    zmq_setsockopt(monitor_, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_connect(monitor_, address.c_str()) != 0) throw_zmq("zmq_connect monitor");
  }
  ~libzmq_peer() override {
    // Stop the monitor and read what it still holds before closing: libzmq 4.3.4 leaks
    // event messages (those with an endpoint too long to be stored inline) left in the
    // monitor's pipe.
    zmq_socket_monitor(sock_, nullptr, 0);
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    while (zmq_msg_recv(&msg, monitor_, ZMQ_DONTWAIT) >= 0) {
    }
    zmq_msg_close(&msg);
    zmq_close(sock_);
    zmq_close(monitor_);
  }
  libzmq_peer(const libzmq_peer&) = delete;
  libzmq_peer& operator=(const libzmq_peer&) = delete;

  [[nodiscard]] std::string_view library() const override { return "libzmq"; }

  std::string bind(const std::string& endpoint) override {
    if (zmq_bind(sock_, endpoint.c_str()) != 0) throw_zmq(("zmq_bind " + endpoint).c_str());
    char resolved[256];
    std::size_t size = sizeof resolved;
    if (zmq_getsockopt(sock_, ZMQ_LAST_ENDPOINT, resolved, &size) != 0) throw_zmq("ZMQ_LAST_ENDPOINT");
    return std::string(resolved);
  }
  void connect(const std::string& endpoint) override {
    if (zmq_connect(sock_, endpoint.c_str()) != 0) throw_zmq(("zmq_connect " + endpoint).c_str());
  }

  send_status send(const strings& parts) override {
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const int flags = i + 1 < parts.size() ? ZMQ_SNDMORE : 0;
      if (zmq_send(sock_, parts[i].data(), parts[i].size(), flags) < 0) {
        if (zmq_errno() == EHOSTUNREACH) return send_status::unroutable;
        if (zmq_errno() == EAGAIN) return send_status::would_block;
        throw_zmq("zmq_send");
      }
    }
    return send_status::ok;
  }

  std::optional<strings> recv(std::chrono::milliseconds timeout) override {
    zmq_pollitem_t item{sock_, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&item, 1, static_cast<long>(timeout.count())) <= 0) return std::nullopt;
    strings parts;
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    for (;;) {
      if (zmq_msg_recv(&msg, sock_, parts.empty() ? ZMQ_DONTWAIT : 0) < 0) break;
      parts.emplace_back(static_cast<const char*>(zmq_msg_data(&msg)), zmq_msg_size(&msg));
      if (!zmq_msg_more(&msg)) break;
    }
    zmq_msg_close(&msg);
    if (parts.empty()) return std::nullopt;
    return parts;
  }

  void catch_up() override {
    int events = 0;
    std::size_t size = sizeof events;
    if (zmq_getsockopt(sock_, ZMQ_EVENTS, &events, &size) != 0) throw_zmq("ZMQ_EVENTS");
  }

  void set_routing_id(std::string_view id) override {
    if (zmq_setsockopt(sock_, ZMQ_ROUTING_ID, id.data(), id.size()) != 0) throw_zmq("ZMQ_ROUTING_ID");
  }
  void set_router_mandatory() override { set_int(ZMQ_ROUTER_MANDATORY, 1); }
  void set_reconnect_ivl(std::chrono::milliseconds ivl, std::chrono::milliseconds max) override {
    set_int(ZMQ_RECONNECT_IVL, static_cast<int>(ivl.count()));
    set_int(ZMQ_RECONNECT_IVL_MAX, static_cast<int>(max.count()));
  }

  std::optional<monitor_event> next_event(std::chrono::milliseconds timeout) override {
    zmq_pollitem_t item{monitor_, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&item, 1, static_cast<long>(timeout.count())) <= 0) return std::nullopt;
    // An event is two frames: 16-bit event and 32-bit value (host order), then the endpoint.
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    std::uint16_t type = 0;
    bool first = true;
    while (zmq_msg_recv(&msg, monitor_, 0) >= 0) {
      if (first && zmq_msg_size(&msg) >= sizeof type) std::memcpy(&type, zmq_msg_data(&msg), sizeof type);
      first = false;
      if (!zmq_msg_more(&msg)) break;
    }
    zmq_msg_close(&msg);
    return static_cast<monitor_event>(type);
  }

 private:
  void set_int(int option, int value) {
    if (zmq_setsockopt(sock_, option, &value, sizeof value) != 0) throw_zmq("zmq_setsockopt");
  }
  void set_subscription(std::string_view topic, bool on) override {
    if (zmq_setsockopt(sock_, on ? ZMQ_SUBSCRIBE : ZMQ_UNSUBSCRIBE, topic.data(), topic.size()) != 0)
      throw_zmq("ZMQ_SUBSCRIBE");
  }

  void* sock_ = nullptr;
  void* monitor_ = nullptr;
};

}  // namespace

std::string_view to_string(transport t) noexcept { return t == transport::tcp ? "tcp" : "ipc"; }
void PrintTo(transport t, std::ostream* os) { *os << to_string(t); }

std::string fresh_ipc_path() {
  static const ipc_directory directory;
  return directory.path() + "/" + std::to_string(++ipc_counter);
}

std::string bind_endpoint(transport t) {
  if (t == transport::tcp) return "tcp://127.0.0.1:*";
  return "ipc://" + fresh_ipc_path();
}

std::string body(std::size_t size, unsigned seed) {
  std::string out(size, '\0');
  std::uint32_t x = seed * 2654435761U + 1;
  for (auto& c : out) {
    x = x * 1664525U + 1013904223U;  // a cheap LCG: every offset depends on the seed
    c = static_cast<char>(x >> 24);
  }
  return out;
}

std::string describe_difference(std::string_view expected, std::string_view actual) {
  std::string out =
      "expected " + std::to_string(expected.size()) + " bytes, got " + std::to_string(actual.size());
  const std::size_t n = std::min(expected.size(), actual.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (expected[i] != actual[i]) return out + ", first difference at offset " + std::to_string(i);
  }
  return out;
}

std::string show(const strings& parts) {
  std::string out = "[";
  for (std::size_t p = 0; p < parts.size(); ++p) {
    if (p != 0) out += ", ";
    const std::string& s = parts[p];
    if (s.size() > 40) {
      out += "<" + std::to_string(s.size()) + " bytes>";
      continue;
    }
    out += '"';
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u < 0x7f) {
        out += c;
      } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", u);
        out += hex;
      }
    }
    out += '"';
  }
  return out + "]";
}

bool peer::wait_event(monitor_event event, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return false;
    const auto e = next_event(left);
    if (!e) return false;
    seen_.emplace_back(ringmq::to_string(*e));
    if (*e == event) return true;
  }
}

void peer::subscribe(std::string_view topic) {
  if (type_ == socket_type::xsub) {
    if (send({std::string(1, '\x01') + std::string(topic)}) != send_status::ok)
      throw std::runtime_error("XSUB subscribe: send failed");
  } else {
    set_subscription(topic, true);
  }
}

void peer::unsubscribe(std::string_view topic) {
  if (type_ == socket_type::xsub) {
    if (send({std::string(1, '\x00') + std::string(topic)}) != send_status::ok)
      throw std::runtime_error("XSUB unsubscribe: send failed");
  } else {
    set_subscription(topic, false);
  }
}

std::optional<std::string> missing_io_backend() {
  const char* requested = std::getenv("RINGMQ_IO_BACKEND");
  if (requested == nullptr || std::string_view(requested) != "io_uring") return std::nullopt;
  io_uring_params params{};
  const long fd = ::syscall(SYS_io_uring_setup, 1, &params);
  if (fd >= 0) {
    ::close(static_cast<int>(fd));
    return std::nullopt;
  }
  const int error = errno;
  if (error != ENOSYS && error != EPERM) return std::nullopt;  // let ringmq report anything else
  return "RINGMQ_IO_BACKEND=io_uring, but this kernel or its seccomp filter refuses io_uring_setup (" +
         std::string(std::strerror(error)) + ")";
}

void interop_test::SetUp() {
  static const std::optional<std::string> missing = missing_io_backend();
  if (missing) GTEST_SKIP() << *missing;
}

libzmq_context::libzmq_context() : ctx_(zmq_ctx_new()) {
  if (ctx_ == nullptr) throw_zmq("zmq_ctx_new");
}
libzmq_context::~libzmq_context() { zmq_ctx_term(ctx_); }

std::unique_ptr<peer> make_ringmq_peer(ringmq::context& ctx, socket_type type) {
  return std::make_unique<ringmq_peer>(ctx, type);
}
std::unique_ptr<peer> make_libzmq_peer(libzmq_context& ctx, socket_type type) {
  return std::make_unique<libzmq_peer>(ctx, type);
}

ringmq::socket& ringmq_socket_of(peer& p) { return dynamic_cast<ringmq_peer&>(p).socket(); }

int libzmq_type(socket_type type) noexcept { return static_cast<int>(type); }

}  // namespace ringmq_interop
