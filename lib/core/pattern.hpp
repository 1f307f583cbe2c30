// pattern: the extension point for socket types. Each socket type (PUSH, SUB, ROUTER, ...)
// implements this interface in lib/pattern/ and registers a factory; socket_base owns one
// instance and calls it only on the socket's own thread. Nothing here blocks: would-block
// is reported as std::errc::resource_unavailable_try_again and socket_base does the waiting.
#pragma once

#include "core/peer.hpp"
#include "core/socket_options.hpp"

#include <ringmq/message.hpp>
#include <ringmq/monitor.hpp>
#include <ringmq/options.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace ringmq::detail {

// What a pattern may ask of the socket that owns it.
class pattern_host {
 public:
  // The pattern read the end of `p`'s inbound pipe (the other side closed): the socket
  // detaches `p` (calling pattern::detach) and destroys it. `p` is invalid afterwards.
  virtual void peer_closed(peer& p) = 0;
  // The pattern will not go on with `p`, whose peer broke a limit the pattern holds peers
  // to (input from a peer never asserts: docs/architecture.md). The socket raises `event` with
  // `value` on its monitor, with the connection's endpoint and peer address, then closes
  // the connection at once (LINGER 0: a peer that misbehaves may never read what waits for
  // it): pattern::detach(p) is called, what it sends from now on is discarded. `p` is
  // invalid afterwards.
  virtual void drop_peer(peer& p, monitor_event event, std::int64_t value) = 0;
  [[nodiscard]] virtual const socket_options& options() const noexcept = 0;
  // How a read may watch its last empty pipe before giving up (link_end::read): a short
  // spin while the socket's caller is blocked in recv anyway, none otherwise.
  [[nodiscard]] virtual const read_patience& patience() const noexcept = 0;

 protected:
  ~pattern_host() = default;
};

class pattern {
 public:
  virtual ~pattern() = default;

  // A connection was established (for tcp/ipc after its handshake, or at connect time when
  // IMMEDIATE is off). Its inbound pipe may already hold messages; its outbound pipe is
  // assumed writable. Return false to refuse it (PAIR takes one peer); the socket then
  // closes it.
  virtual bool attach(peer& p) = 0;
  // The connection is going away: forget every reference to `p`. Called exactly once per
  // attached peer, before `p` is destroyed. Must not call back into the host.
  virtual void detach(peer& p) = 0;
  // `p`'s inbound pipe has messages again after it was found empty.
  virtual void read_activated(peer& p) = 0;
  // `p`'s outbound pipe has credit again after can_write() failed.
  virtual void write_activated(peer& p) = 0;

  // Sends one frame without blocking. On success the frame is consumed (left empty).
  // Errors: resource_unavailable_try_again (would block: the frame is untouched),
  // errc::not_supported, errc::invalid_state, host_unreachable, ...
  virtual std::error_code send(message& frame, bool more) = 0;
  // Receives one frame without blocking; `frame.more()` tells if more parts follow.
  virtual std::error_code recv(message& frame) = 0;
  // Readiness for events()/poll.
  [[nodiscard]] virtual bool can_send() = 0;
  [[nodiscard]] virtual bool can_recv() = 0;

  // Options only this socket type has. errc::unknown_option when not one of them.
  virtual std::error_code set_option(option id, std::int64_t value);
  virtual std::error_code set_option(option id, std::string_view value);
  virtual std::error_code get_option(option id, std::int64_t& value) const;
  virtual std::error_code get_option(option id, std::string& value) const;

  // False for socket types that never read their peers (PUSH, REQ-less...): the socket then
  // drains and drops whatever arrives on their inbound pipes itself.
  [[nodiscard]] virtual bool reads_peers() const noexcept { return true; }
};

// Creates a socket type's pattern; the pattern layer keeps the table of them.
using pattern_factory = std::unique_ptr<pattern> (*)(pattern_host& host);

}  // namespace ringmq::detail
