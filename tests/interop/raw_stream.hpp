// A plain stream socket (tcp or ipc) for playing a ZMTP peer byte by byte: an old (3.0)
// peer, or one that misbehaves. Reads keep what they received in a buffer, so a read that
// times out loses nothing; every read has a deadline.
#pragma once

#include "interop/support.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringmq_interop {

// A ZMTP frame as read off the wire.
struct raw_frame {
  std::uint8_t flags = 0;
  std::string body;
  [[nodiscard]] bool more() const noexcept { return (flags & 0x01) != 0; }
  [[nodiscard]] bool command() const noexcept { return (flags & 0x04) != 0; }
  // A command's name (empty for a data frame or a malformed command).
  [[nodiscard]] std::string command_name() const;
};

class raw_stream {
 public:
  // Connects to "tcp://host:port" or "ipc:///path" (blocking; loopback only).
  static raw_stream connect(const std::string& endpoint);
  explicit raw_stream(int fd) noexcept : fd_(fd) {}
  raw_stream(raw_stream&& other) noexcept;
  raw_stream& operator=(raw_stream&& other) noexcept;
  raw_stream(const raw_stream&) = delete;
  raw_stream& operator=(const raw_stream&) = delete;
  ~raw_stream();

  // Writes all of `bytes`; false if the peer closed the connection.
  bool write(std::string_view bytes);
  // Exactly `n` bytes, or empty on timeout or end of stream.
  std::optional<std::string> read_exact(std::size_t n, std::chrono::milliseconds timeout = safety);
  // The next whole ZMTP frame, or empty on timeout or end of stream.
  std::optional<raw_frame> read_frame(std::chrono::milliseconds timeout = safety);
  // True once the peer closed the connection (end of stream or reset) within `timeout`;
  // whatever it sends before is discarded.
  bool closed_by_peer(std::chrono::milliseconds timeout = safety);

  // The ZMTP handshake with NULL security as a peer of type `type_name` (with Identity
  // `identity`, if given) announcing minor version `minor`: sends our greeting and READY,
  // reads the peer's greeting (returned) and its READY (in `ready`). Empty if the peer did
  // not complete it.
  std::optional<std::string> handshake(std::uint8_t minor, std::string_view type_name,
                                       raw_frame* ready = nullptr,
                                       std::optional<std::string_view> identity = std::nullopt);

  // The socket, for a test that drives it itself (socket options, non-blocking floods).
  [[nodiscard]] int fd() const noexcept { return fd_; }

 private:
  // Reads whatever arrives within `timeout` into the buffer; false on timeout or end.
  bool fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  bool eof_ = false;
  std::string buffer_;
};

// A listening stream socket on an ephemeral loopback port or a fresh ipc path.
class raw_listener {
 public:
  explicit raw_listener(transport t);
  raw_listener(const raw_listener&) = delete;
  raw_listener& operator=(const raw_listener&) = delete;
  ~raw_listener();

  [[nodiscard]] const std::string& endpoint() const noexcept { return endpoint_; }
  // The next incoming connection, or empty on timeout.
  std::optional<raw_stream> accept(std::chrono::milliseconds timeout = safety);

 private:
  int fd_ = -1;
  std::string endpoint_;
  std::string path_;  // ipc: removed on destruction
};

// ---- ZMTP bytes (rfc 23) --------------------------------------------------------------------

// A 64-byte greeting: signature (padding as libzmq writes it), version 3.`minor`, mechanism,
// as-server 0, filler.
std::string zmtp_greeting(std::uint8_t minor, std::string_view mechanism = "NULL");
// A data frame (flags 0x00 / 0x01 MORE, LONG when over 255 bytes).
std::string zmtp_data_frame(std::string_view body, bool more = false);
// A command frame: name-length, name, data.
std::string zmtp_command(std::string_view name, std::string_view data);
// A READY command with Socket-Type `type_name` and, if given, an Identity.
std::string zmtp_ready(std::string_view type_name, std::optional<std::string_view> identity = std::nullopt);
// The value of property `name` in a READY command body, if present and well formed.
std::optional<std::string> zmtp_ready_property(const raw_frame& ready, std::string_view name);

// Bytes as "ff 00 01 ...", for failure messages.
std::string hex(std::string_view bytes);

}  // namespace ringmq_interop
