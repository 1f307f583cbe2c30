#include "interop/raw_stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace ringmq_interop {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Splits "tcp://127.0.0.1:5555" / "ipc:///path" into a socket address.
struct parsed_endpoint {
  bool tcp = true;
  sockaddr_in in{};
  sockaddr_un un{};
};

parsed_endpoint parse(const std::string& endpoint) {
  parsed_endpoint out;
  if (endpoint.rfind("tcp://", 0) == 0) {
    const std::string rest = endpoint.substr(6);
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("no port in " + endpoint);
    out.in.sin_family = AF_INET;
    out.in.sin_port = htons(static_cast<std::uint16_t>(std::stoi(rest.substr(colon + 1))));
    if (::inet_pton(AF_INET, rest.substr(0, colon).c_str(), &out.in.sin_addr) != 1)
      throw std::invalid_argument("not an IPv4 address: " + endpoint);
    return out;
  }
  if (endpoint.rfind("ipc://", 0) == 0) {
    const std::string path = endpoint.substr(6);
    out.tcp = false;
    out.un.sun_family = AF_UNIX;
    if (path.size() >= sizeof out.un.sun_path) throw std::invalid_argument("ipc path too long: " + endpoint);
    std::memcpy(out.un.sun_path, path.data(), path.size());
    return out;
  }
  throw std::invalid_argument("unsupported endpoint " + endpoint);
}

std::string be64(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
  return out;
}

std::string be32(std::uint32_t v) {
  std::string out(4, '\0');
  for (int i = 3; i >= 0; --i, v >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
  return out;
}

std::string frame(std::uint8_t flags, std::string_view body) {
  std::string out;
  if (body.size() > 255) {
    out += static_cast<char>(flags | 0x02);
    out += be64(body.size());
  } else {
    out += static_cast<char>(flags);
    out += static_cast<char>(body.size());
  }
  out += body;
  return out;
}

}  // namespace

std::string raw_frame::command_name() const {
  if (!command() || body.empty()) return {};
  const auto len = static_cast<unsigned char>(body[0]);
  if (body.size() < 1U + len) return {};
  return body.substr(1, len);
}

raw_stream raw_stream::connect(const std::string& endpoint) {
  const parsed_endpoint ep = parse(endpoint);
  const int fd = ::socket(ep.tcp ? AF_INET : AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw_errno("socket");
  raw_stream s(fd);
  const int rc = ep.tcp ? ::connect(fd, reinterpret_cast<const sockaddr*>(&ep.in), sizeof ep.in)
                        : ::connect(fd, reinterpret_cast<const sockaddr*>(&ep.un), sizeof ep.un);
  if (rc != 0) throw_errno("connect " + endpoint);
  if (ep.tcp) {
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return s;
}

raw_stream::raw_stream(raw_stream&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), eof_(other.eof_), buffer_(std::move(other.buffer_)) {}

raw_stream& raw_stream::operator=(raw_stream&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    eof_ = other.eof_;
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

raw_stream::~raw_stream() {
  if (fd_ >= 0) ::close(fd_);
}

bool raw_stream::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool raw_stream::fill(std::chrono::steady_clock::time_point deadline) {
  if (eof_) return false;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd_, POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) return false;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof_ = true;  // end of stream, or reset by the peer
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

std::optional<std::string> raw_stream::read_exact(std::size_t n, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (buffer_.size() < n)
    if (!fill(deadline)) return std::nullopt;
  std::string out = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return out;
}

std::optional<raw_frame> raw_stream::read_frame(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (buffer_.size() >= 2) {
      const auto flags = static_cast<std::uint8_t>(buffer_[0]);
      const bool is_long = (flags & 0x02) != 0;
      const std::size_t header = is_long ? 9 : 2;
      if (buffer_.size() >= header) {
        std::uint64_t size = 0;
        if (is_long) {
          for (std::size_t i = 1; i < 9; ++i) size = size << 8 | static_cast<unsigned char>(buffer_[i]);
        } else {
          size = static_cast<unsigned char>(buffer_[1]);
        }
        if (size > (std::uint64_t{1} << 32))
          throw std::runtime_error("raw peer: absurd frame size " + std::to_string(size));
        if (buffer_.size() - header >= size) {
          raw_frame f{static_cast<std::uint8_t>(flags & 0xfd),
                      buffer_.substr(header, static_cast<std::size_t>(size))};
          buffer_.erase(0, header + static_cast<std::size_t>(size));
          return f;
        }
      }
    }
    if (!fill(deadline)) return std::nullopt;
  }
}

bool raw_stream::closed_by_peer(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!eof_) {
    buffer_.clear();
    if (!fill(deadline) && !eof_) return false;
  }
  return true;
}

std::optional<std::string> raw_stream::handshake(std::uint8_t minor, std::string_view type_name,
                                                 raw_frame* ready, std::optional<std::string_view> identity) {
  if (!write(zmtp_greeting(minor)) || !write(zmtp_ready(type_name, identity))) return std::nullopt;
  auto greeting = read_exact(64);
  if (!greeting) return std::nullopt;
  auto f = read_frame();
  if (!f || f->command_name() != "READY") return std::nullopt;
  if (ready != nullptr) *ready = std::move(*f);
  return greeting;
}

raw_listener::raw_listener(transport t) {
  fd_ = ::socket(t == transport::tcp ? AF_INET : AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw_errno("socket");
  if (t == transport::tcp) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&in), sizeof in) != 0) throw_errno("bind");
    socklen_t len = sizeof in;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&in), &len) != 0) throw_errno("getsockname");
    endpoint_ = "tcp://127.0.0.1:" + std::to_string(ntohs(in.sin_port));
  } else {
    path_ = fresh_ipc_path();
    endpoint_ = "ipc://" + path_;
    const parsed_endpoint ep = parse(endpoint_);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&ep.un), sizeof ep.un) != 0)
      throw_errno("bind " + path_);
  }
  if (::listen(fd_, 16) != 0) throw_errno("listen");
}

raw_listener::~raw_listener() {
  ::close(fd_);
  if (!path_.empty()) ::unlink(path_.c_str());
}

std::optional<raw_stream> raw_listener::accept(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
  const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return std::nullopt;
  return raw_stream(fd);
}

std::string zmtp_greeting(std::uint8_t minor, std::string_view mechanism) {
  std::string g(64, '\0');
  g[0] = '\xff';
  g[8] = '\x01';  // libzmq's padding: the ZMTP 1.0 length of an empty identity
  g[9] = '\x7f';
  g[10] = '\x03';
  g[11] = static_cast<char>(minor);
  g.replace(12, mechanism.size(), mechanism);
  return g;
}

std::string zmtp_data_frame(std::string_view body, bool more) { return frame(more ? 0x01 : 0x00, body); }

std::string zmtp_command(std::string_view name, std::string_view data) {
  std::string body;
  body += static_cast<char>(name.size());
  body += name;
  body += data;
  return frame(0x04, body);
}

std::string zmtp_ready(std::string_view type_name, std::optional<std::string_view> identity) {
  auto property = [](std::string_view name, std::string_view value) {
    return static_cast<char>(name.size()) + std::string(name) +
           be32(static_cast<std::uint32_t>(value.size())) + std::string(value);
  };
  std::string data = property("Socket-Type", type_name);
  if (identity) data += property("Identity", *identity);
  return zmtp_command("READY", data);
}

std::optional<std::string> zmtp_ready_property(const raw_frame& ready, std::string_view name) {
  const std::string& b = ready.body;
  std::size_t pos = 1 + static_cast<unsigned char>(b.at(0));  // after the command name
  while (pos < b.size()) {
    const std::size_t name_len = static_cast<unsigned char>(b[pos++]);
    if (name_len > b.size() - pos) return std::nullopt;
    const std::string key = b.substr(pos, name_len);
    pos += name_len;
    if (b.size() - pos < 4) return std::nullopt;
    std::uint32_t value_len = 0;
    for (int i = 0; i < 4; ++i) value_len = value_len << 8 | static_cast<unsigned char>(b[pos++]);
    if (value_len > b.size() - pos) return std::nullopt;
    if (key == name) return b.substr(pos, value_len);
    pos += value_len;
  }
  return std::nullopt;
}

std::string hex(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned char>(c));
    if (!out.empty()) out += ' ';
    out += buf;
  }
  return out;
}

}  // namespace ringmq_interop
