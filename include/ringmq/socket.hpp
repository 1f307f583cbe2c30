// socket: a messaging endpoint of one socket_type. Move-only. Closing (or destroying) does not
// wait for delivery: pending outgoing messages keep draining in the background for up to
// LINGER. It waits only for the socket's tcp and ipc binds to give up their addresses (see
// close()).
// A socket is used by one thread at a time; debug builds abort on concurrent use. The
// thread-safe types (ringmq::thread_safe: CLIENT, SERVER) may be called by several threads at
// once; closing one while another thread is inside a call on it is undefined, as in libzmq.
//
// Would-block and timeouts come back as an empty optional; failures throw ringmq::error, or
// fill a std::error_code in the overloads that take one.
#pragma once

#include <ringmq/error.hpp>
#include <ringmq/export.hpp>
#include <ringmq/flags.hpp>
#include <ringmq/message.hpp>
#include <ringmq/monitor.hpp>
#include <ringmq/options.hpp>
#include <ringmq/socket_type.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace ringmq {

class context;
namespace detail {
class socket_base;
struct socket_access;
}  // namespace detail

// Result of receiving into a caller's buffer: `size` bytes were written; the message had
// `untruncated_size` bytes (larger when the buffer was too small).
struct recv_buffer_size {
  std::size_t size;
  std::size_t untruncated_size;
  [[nodiscard]] bool truncated() const noexcept { return untruncated_size != size; }
};

class RINGMQ_API socket {
 public:
  socket() noexcept = default;  // not open
  socket(context& ctx, socket_type type);
  socket(socket&& other) noexcept : impl_(other.impl_) { other.impl_ = nullptr; }
  socket& operator=(socket&& other) noexcept;
  socket(const socket&) = delete;
  socket& operator=(const socket&) = delete;
  ~socket() { close(); }

  // Does not wait for delivery: unsent messages linger in the background (LINGER option).
  // A socket bound over tcp or ipc waits until its I/O thread has closed each listening
  // socket, so that the port or path can be bound again as soon as close() returns: usually
  // one hand-off to that thread, at most 10 s if the thread is stalled. Without such binds,
  // close() does not wait.
  void close() noexcept;
  [[nodiscard]] explicit operator bool() const noexcept { return impl_ != nullptr; }
  [[nodiscard]] socket_type type() const;

  // Endpoints: "tcp://host:port", "tcp://*:port", "tcp://127.0.0.1:*" (ephemeral port),
  // "ipc:///path", "ipc://@abstract", "ipc://*", "inproc://name".
  void bind(std::string_view endpoint);
  void bind(std::string_view endpoint, std::error_code& ec) noexcept;
  void connect(std::string_view endpoint);
  void connect(std::string_view endpoint, std::error_code& ec) noexcept;
  // Unbinding a tcp or ipc endpoint waits, as close() does, until its listening socket is
  // closed (at most 10 s), so that the address can be bound again at once.
  void unbind(std::string_view endpoint);
  void unbind(std::string_view endpoint, std::error_code& ec) noexcept;
  void disconnect(std::string_view endpoint);
  void disconnect(std::string_view endpoint, std::error_code& ec) noexcept;
  // The endpoint of the last successful bind or connect, with wildcards resolved.
  [[nodiscard]] std::string last_endpoint() const;

  // Sending. Returns the body size, or empty if the send would block (dontwait, SNDTIMEO).
  // A message moved in is consumed only when the send succeeds.
  std::optional<std::size_t> send(message&& msg, send_flags flags = send_flags::none) {
    const std::size_t size = msg.size();
    if (!send_or_block(msg, flags)) return std::nullopt;
    return size;
  }
  std::optional<std::size_t> send(message&& msg, send_flags flags, std::error_code& ec) noexcept {
    const std::size_t size = msg.size();
    if (!send_or_block(msg, flags, ec)) return std::nullopt;
    return size;
  }
  std::optional<std::size_t> send(const message& msg, send_flags flags = send_flags::none) {
    return send(message(msg), flags);
  }
  std::optional<std::size_t> send(std::span<const std::byte> bytes, send_flags flags = send_flags::none) {
    return send(message(bytes), flags);
  }
  std::optional<std::size_t> send(std::string_view text, send_flags flags = send_flags::none) {
    return send(message(text), flags);
  }

  // Sends every element of `parts` (messages, strings, byte spans) as one multipart message:
  // all parts are delivered or none. Returns the number of parts, empty on would-block.
  template <std::ranges::forward_range R>
  std::optional<std::size_t> send_multipart(R&& parts, send_flags flags = send_flags::none) {
    auto it = std::ranges::begin(parts);
    const auto end = std::ranges::end(parts);
    std::size_t count = 0;
    while (it != end) {
      auto next = std::ranges::next(it);
      const send_flags part_flags = next == end ? flags : flags | send_flags::sndmore;
      if (!send(make_part(*it), part_flags)) return std::nullopt;  // only the first can block
      ++count;
      it = next;
    }
    return count;
  }

  // Receiving. Returns the body size, or empty on would-block / RCVTIMEO.
  std::optional<std::size_t> recv(message& msg, recv_flags flags = recv_flags::none) {
    if (!recv_or_block(msg, flags)) return std::nullopt;
    return msg.size();
  }
  std::optional<std::size_t> recv(message& msg, recv_flags flags, std::error_code& ec) noexcept {
    if (!recv_or_block(msg, flags, ec)) return std::nullopt;
    return msg.size();
  }
  std::optional<message> recv(recv_flags flags = recv_flags::none) {
    message msg;
    if (!recv(msg, flags)) return std::nullopt;
    return msg;
  }
  // Copies the next part into `buffer`, truncating; see recv_buffer_size.
  std::optional<recv_buffer_size> recv(std::span<std::byte> buffer, recv_flags flags = recv_flags::none);

  // Receives all parts of the next message into `out` (an output iterator over message).
  // Returns the number of parts, empty on would-block.
  template <class OutputIt>
  std::optional<std::size_t> recv_multipart(OutputIt out, recv_flags flags = recv_flags::none) {
    std::size_t count = 0;
    for (;;) {
      message part;
      if (!recv(part, count == 0 ? flags : recv_flags::none)) return std::nullopt;
      const bool more = part.more();
      *out++ = std::move(part);
      ++count;
      if (!more) return count;
    }
  }

  // Typed options (see options.hpp).
  template <option Id, class T>
  void set(option_tag<Id, T>,
           std::conditional_t<detail::option_codec<T>::is_bytes, std::string_view, T> value) {
    if constexpr (detail::option_codec<T>::is_bytes)
      set_option(Id, value);
    else
      set_option(Id, detail::option_codec<T>::encode(value));
  }
  template <option Id, class T>
  [[nodiscard]] T get(option_tag<Id, T>) const {
    if constexpr (detail::option_codec<T>::is_bytes)
      return get_bytes_option(Id);
    else
      return detail::option_codec<T>::decode(get_int_option(Id));
  }
  // Untyped options for bindings: integer, boolean and duration options take the integer
  // form, bytes options the string form; the other form is errc::wrong_option_type.
  void set_option(option id, std::int64_t value);
  void set_option(option id, std::string_view value);
  void set_option(option id, std::int64_t value, std::error_code& ec) noexcept;
  void set_option(option id, std::string_view value, std::error_code& ec) noexcept;
  [[nodiscard]] std::int64_t get_int_option(option id) const;
  [[nodiscard]] std::string get_bytes_option(option id) const;

  // Readiness without blocking (processes pending commands first).
  [[nodiscard]] ringmq::events events();
  // A file descriptor for foreign event loops (epoll, asyncio, libuv). It is level-triggered
  // on "events() may report something": it stays readable while a message can be received or
  // something else changed, and calling events() (or recv/send) clears it once nothing is
  // pending. Wait for it to be readable, then call events() and act until it reports none.
  [[nodiscard]] int fd() const;

  // Starts reporting this socket's connection events in `mask` (replacing an earlier
  // monitor). `capacity` bounds the queue; beyond it events are dropped and counted.
  [[nodiscard]] ringmq::monitor monitor(monitor_event mask = monitor_event::all, std::size_t capacity = 1024);

 private:
  friend struct detail::socket_access;
  // Send and recv of one message, out of line: true when done, false on would-block or (the
  // error_code forms) an error. The std::optional is built inline: returned from a compiled
  // function, GCC assembles it on the stack and reloads it, a store-forwarding stall on
  // every call (inproc 8 B streams ran 25-30 % slower).
  bool send_or_block(message& msg, send_flags flags);
  bool send_or_block(message& msg, send_flags flags, std::error_code& ec) noexcept;
  bool recv_or_block(message& msg, recv_flags flags);
  bool recv_or_block(message& msg, recv_flags flags, std::error_code& ec) noexcept;
  template <class Part>
  static message make_part(const Part& part) {
    if constexpr (std::is_same_v<std::remove_cvref_t<Part>, message>)
      return message(part);
    else if constexpr (std::is_convertible_v<const Part&, std::string_view>)
      return message(std::string_view(part));
    else
      return message(std::as_bytes(std::span(part)));
  }

  detail::socket_base* impl_ = nullptr;
};

}  // namespace ringmq
