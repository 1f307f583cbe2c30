#include "security/support.hpp"

#include <zmq.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sec_test {

using clock_type = std::chrono::steady_clock;

// ---- ringmq ----

std::optional<ringmq::socket_event> wait_event(ringmq::monitor& m, ringmq::monitor_event type,
                                               std::chrono::milliseconds timeout) {
  const auto deadline = clock_type::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
    if (left.count() < 0) return std::nullopt;
    auto e = m.next(left);
    if (!e) return std::nullopt;
    if (e->type == type) return e;
  }
}

bool sees_event(ringmq::monitor& m, ringmq::monitor_event type, std::chrono::milliseconds timeout) {
  return wait_event(m, type, timeout).has_value();
}

std::optional<strings> recv_parts(ringmq::socket& s, std::chrono::milliseconds timeout) {
  s.set(ringmq::opt::rcvtimeo, timeout);
  std::vector<ringmq::message> parts;
  if (!s.recv_multipart(std::back_inserter(parts))) return std::nullopt;
  strings out;
  for (const auto& p : parts) out.push_back(p.to_string());
  return out;
}

std::optional<std::string> recv_text(ringmq::socket& s, std::chrono::milliseconds timeout) {
  auto parts = recv_parts(s, timeout);
  if (!parts || parts->empty()) return std::nullopt;
  return parts->back();
}

void send_parts(ringmq::socket& s, const strings& parts) {
  s.set(ringmq::opt::sndtimeo, safety);
  if (!s.send_multipart(parts)) throw std::runtime_error("ringmq send timed out");
}

int port_of(const std::string& endpoint) { return std::stoi(endpoint.substr(endpoint.rfind(':') + 1)); }

void make_curve_server(ringmq::socket& s, std::string_view secret) {
  s.set(ringmq::opt::curve_server, true);
  s.set(ringmq::opt::curve_secretkey, secret);
}

void make_curve_client(ringmq::socket& s, std::string_view server, std::string_view pub,
                       std::string_view secret) {
  s.set(ringmq::opt::curve_serverkey, server);
  s.set(ringmq::opt::curve_publickey, pub);
  s.set(ringmq::opt::curve_secretkey, secret);
}

// ---- libzmq ----

namespace {
void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string(what) + ": " + zmq_strerror(zmq_errno()));
}
}  // namespace

zctx::zctx() : p(zmq_ctx_new()) {}
zctx::~zctx() { zmq_ctx_term(p); }

zsock::zsock(zctx& ctx, int type) : p(zmq_socket(ctx.p, type)) { set(ZMQ_LINGER, 0); }
zsock::~zsock() { zmq_close(p); }

void zsock::set(int option, int value) {
  check(zmq_setsockopt(p, option, &value, sizeof value), "zmq_setsockopt");
}
void zsock::set(int option, std::string_view value) {
  check(zmq_setsockopt(p, option, value.data(), value.size()), "zmq_setsockopt");
}

std::string zsock::bind(const std::string& endpoint) {
  check(zmq_bind(p, endpoint.c_str()), "zmq_bind");
  char buf[256];
  std::size_t len = sizeof buf;
  check(zmq_getsockopt(p, ZMQ_LAST_ENDPOINT, buf, &len), "ZMQ_LAST_ENDPOINT");
  return std::string(buf);
}

void zsock::connect(const std::string& endpoint) { check(zmq_connect(p, endpoint.c_str()), "zmq_connect"); }

void zsock::make_curve_server(std::string_view secret) {
  set(ZMQ_CURVE_SERVER, 1);
  set(ZMQ_CURVE_SECRETKEY, secret);
}

void zsock::make_curve_client(std::string_view server, std::string_view pub, std::string_view secret) {
  set(ZMQ_CURVE_SERVERKEY, server);
  set(ZMQ_CURVE_PUBLICKEY, pub);
  set(ZMQ_CURVE_SECRETKEY, secret);
}

namespace {

std::optional<strings> zrecv_impl(zsock& s, std::chrono::milliseconds timeout, const char* property,
                                  std::string* value) {
  s.set(ZMQ_RCVTIMEO, static_cast<int>(timeout.count()));
  strings out;
  for (;;) {
    zmq_msg_t m;
    zmq_msg_init(&m);
    if (zmq_msg_recv(&m, s.p, 0) < 0) {
      zmq_msg_close(&m);
      if (out.empty()) return std::nullopt;
      throw std::runtime_error("libzmq: a multipart message stopped halfway");
    }
    if (property != nullptr && out.empty()) {
      const char* v = zmq_msg_gets(&m, property);
      if (v != nullptr) *value = v;
    }
    out.emplace_back(static_cast<const char*>(zmq_msg_data(&m)), zmq_msg_size(&m));
    const bool more = zmq_msg_more(&m) != 0;
    zmq_msg_close(&m);
    if (!more) return out;
  }
}

}  // namespace

std::optional<strings> zrecv(zsock& s, std::chrono::milliseconds timeout) {
  return zrecv_impl(s, timeout, nullptr, nullptr);
}

std::optional<std::pair<strings, std::string>> zrecv_with_property(zsock& s, const char* property,
                                                                   std::chrono::milliseconds timeout) {
  std::string value;
  auto parts = zrecv_impl(s, timeout, property, &value);
  if (!parts) return std::nullopt;
  return std::pair{*parts, value};
}

void zsend(zsock& s, const strings& parts) {
  s.set(ZMQ_SNDTIMEO, static_cast<int>(safety.count()));
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const int flags = i + 1 < parts.size() ? ZMQ_SNDMORE : 0;
    if (zmq_send(s.p, parts[i].data(), parts[i].size(), flags) < 0)
      throw std::runtime_error(std::string("zmq_send: ") + zmq_strerror(zmq_errno()));
  }
}

zmonitor::zmonitor(zctx& ctx, zsock& s) {
  static std::atomic<int> counter{0};
  const std::string ep = "inproc://sec-monitor-" + std::to_string(counter++);
  check(zmq_socket_monitor(s.p, ep.c_str(), ZMQ_EVENT_ALL), "zmq_socket_monitor");
  pair_ = std::make_unique<zsock>(ctx, ZMQ_PAIR);
  pair_->connect(ep);
}

std::optional<int> zmonitor::wait(int event, std::chrono::milliseconds timeout) {
  const auto deadline = clock_type::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
    if (left.count() <= 0) return std::nullopt;
    auto parts = zrecv(*pair_, left);
    if (!parts || parts->size() != 2 || (*parts)[0].size() != 6) return std::nullopt;
    std::uint16_t e = 0;
    std::uint32_t v = 0;
    std::memcpy(&e, (*parts)[0].data(), 2);
    std::memcpy(&v, (*parts)[0].data() + 2, 4);
    if (e == event) return static_cast<int>(v);
  }
}

libzmq_zap_handler::libzmq_zap_handler(zctx& ctx, policy decide)
    : sock_(ctx, ZMQ_REP), decide_(std::move(decide)) {
  sock_.bind("inproc://zeromq.zap.01");
  sock_.set(ZMQ_RCVTIMEO, 50);  // to notice stop_
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      auto request = zrecv(sock_, 50ms);
      if (!request) continue;
      requests_.fetch_add(1);
      {
        std::lock_guard lock(mutex_);
        last_ = *request;
      }
      const answer a = decide_(*request);
      const std::string id = request->size() > 1 ? (*request)[1] : std::string();
      zsend(sock_, {"1.0", id, a.status, a.text, a.user_id, a.metadata});
    }
  });
}

libzmq_zap_handler::~libzmq_zap_handler() {
  stop_.store(true);
  thread_.join();
}

strings libzmq_zap_handler::last_request() const {
  std::lock_guard lock(mutex_);
  return last_;
}

// ---- raw ZMTP ----

std::string greeting(std::string_view mechanism, int minor) {
  std::string g(64, '\0');
  g[0] = '\xff';
  g[8] = 1;
  g[9] = '\x7f';
  g[10] = 3;
  g[11] = static_cast<char>(minor);
  g.replace(12, mechanism.size(), mechanism);
  return g;
}

namespace {
std::string frame(unsigned flags, const std::string& body) {
  if (body.size() <= 255)
    return std::string(1, static_cast<char>(flags)) + static_cast<char>(body.size()) + body;
  std::string h(1, static_cast<char>(flags | 2U));
  for (int i = 7; i >= 0; --i)
    h += static_cast<char>((body.size() >> (8U * static_cast<unsigned>(i))) & 0xffU);
  return h + body;
}
}  // namespace

std::string command_frame(const std::string& body) { return frame(4, body); }
std::string data_frame(const std::string& body, bool more) { return frame(more ? 1U : 0U, body); }

std::string prop(const std::string& name, const std::string& value) {
  std::string s(1, static_cast<char>(name.size()));
  s += name;
  const auto n = static_cast<std::uint32_t>(value.size());
  for (int i = 3; i >= 0; --i) s += static_cast<char>((n >> (8U * static_cast<unsigned>(i))) & 0xffU);
  return s + value;
}

raw_tcp::raw_tcp(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

raw_tcp::~raw_tcp() { close(); }

void raw_tcp::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool raw_tcp::send(std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<std::string> raw_tcp::read_exact(std::size_t n, std::chrono::milliseconds timeout) {
  const auto deadline = clock_type::now() + timeout;
  std::string out;
  while (out.size() < n) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    const ssize_t r = ::recv(fd_, buf, std::min(sizeof buf, n - out.size()), 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return std::nullopt;
    out.append(buf, static_cast<std::size_t>(r));
  }
  return out;
}

std::optional<raw_tcp::frame> raw_tcp::read_frame(std::chrono::milliseconds timeout) {
  auto head = read_exact(2, timeout);
  if (!head) return std::nullopt;
  frame f;
  f.flags = static_cast<unsigned char>((*head)[0]);
  std::uint64_t size = static_cast<unsigned char>((*head)[1]);
  if ((f.flags & 2U) != 0) {
    auto rest = read_exact(7, timeout);
    if (!rest) return std::nullopt;
    const std::string all = head->substr(1) + *rest;
    size = 0;
    for (char c : all) size = (size << 8U) | static_cast<unsigned char>(c);
  }
  auto body = read_exact(static_cast<std::size_t>(size), timeout);
  if (!body) return std::nullopt;
  f.body = std::move(*body);
  return f;
}

bool raw_tcp::closed_by_peer(std::chrono::milliseconds timeout) {
  const auto deadline = clock_type::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    const ssize_t r = ::recv(fd_, buf, sizeof buf, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return true;
  }
}

}  // namespace sec_test
