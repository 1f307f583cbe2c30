// proxy and proxy_steerable over the public socket and poll API.
//
// Each direction (frontend -> backend, backend -> frontend) takes a whole message from its
// source only when it holds none: a message the destination refused (its queue is full) is
// held until the destination can take it, and meanwhile the loop waits for the destination
// to become writable instead of reading more. So a full destination pauses its direction
// only, and no message is ever dropped or reordered by the proxy.
#include "api/throw_on_error.hpp"

#include <ringmq/poller.hpp>
#include <ringmq/proxy.hpp>

#include <array>
#include <cstring>
#include <new>
#include <optional>
#include <vector>

namespace ringmq {

namespace {

// Messages moved per direction before the other direction (and the control socket) get a
// turn.
constexpr int burst = 1000;

struct direction {
  socket& from;
  socket& to;
  proxy_side_statistics& from_stats;
  proxy_side_statistics& to_stats;
  std::vector<message> held;  // one whole message, received and not yet sent
  std::uint64_t held_bytes = 0;
  bool live = true;  // false when `from` cannot receive or `to` cannot send (PUSH, PUB, ...)
};

// Socket types that never receive (PUSH, PUB) or never send (PULL, SUB): a direction from
// or to them carries nothing.
bool receives(socket_type t) { return t != socket_type::push && t != socket_type::pub; }
bool sends(socket_type t) { return t != socket_type::pull && t != socket_type::sub; }

// Copies a part to the capture socket (a blocking send, as in libzmq).
void capture_part(socket* capture, const message& part, bool more, std::error_code& ec) {
  if (capture == nullptr) return;
  capture->send(message(part), more ? send_flags::sndmore : send_flags::none, ec);
}

// Receives the next whole message of `d.from` into d.held. False when there is none (or on
// an error, in ec).
bool receive(direction& d, socket* capture, std::error_code& ec) {
  message part;
  if (!d.from.recv(part, recv_flags::dontwait, ec)) return false;
  d.held_bytes = 0;
  for (;;) {
    const bool more = part.more();
    d.held_bytes += part.size();
    capture_part(capture, part, more, ec);
    if (ec) return false;
    d.held.push_back(std::move(part));
    if (!more) break;
    // The rest of a multipart message is already there (messages arrive whole).
    part = message();
    if (!d.from.recv(part, recv_flags::none, ec)) return false;
  }
  ++d.from_stats.messages_in;
  d.from_stats.bytes_in += d.held_bytes;
  return true;
}

// Sends d.held to `d.to`. False when the destination cannot take it now (it stays held).
bool send_held(direction& d, std::error_code& ec) {
  for (std::size_t i = 0; i < d.held.size(); ++i) {
    const bool last = i + 1 == d.held.size();
    send_flags flags = last ? send_flags::none : send_flags::sndmore;
    // Only the first part may be refused; the rest of the message then follows it.
    if (i == 0) flags |= send_flags::dontwait;
    if (!d.to.send(std::move(d.held[i]), flags, ec)) {
      // A later part timing out (SNDTIMEO) would cut the message: report it.
      if (i > 0 && !ec) ec = std::make_error_code(std::errc::resource_unavailable_try_again);
      return false;
    }
  }
  d.held.clear();
  ++d.to_stats.messages_out;
  d.to_stats.bytes_out += d.held_bytes;
  return true;
}

// Moves up to a burst of messages. True if it moved any.
bool pump(direction& d, socket* capture, std::error_code& ec) {
  bool moved = false;
  if (!d.live) return false;
  for (int n = 0; n < burst && !ec; ++n) {
    if (d.held.empty() && !receive(d, capture, ec)) break;
    if (ec || !send_held(d, ec)) break;
    moved = true;
  }
  return moved;
}

enum class command_result { none, pause, resume, terminate, statistics };

command_result parse_command(const message& m) {
  const std::string_view text = m.view();
  if (text == "PAUSE") return command_result::pause;
  if (text == "RESUME") return command_result::resume;
  if (text == "TERMINATE") return command_result::terminate;
  if (text == "STATISTICS") return command_result::statistics;
  return command_result::none;
}

void reply_statistics(socket& control, const proxy_statistics& s, std::error_code& ec) {
  const std::array<std::uint64_t, 8> counts{
      s.frontend.messages_in, s.frontend.bytes_in, s.frontend.messages_out, s.frontend.bytes_out,
      s.backend.messages_in,  s.backend.bytes_in,  s.backend.messages_out,  s.backend.bytes_out};
  for (std::size_t i = 0; i < counts.size() && !ec; ++i)
    control.send(message(&counts[i], sizeof counts[i]),
                 i + 1 < counts.size() ? send_flags::sndmore : send_flags::none, ec);
}

void run(socket& frontend, socket& backend, socket* capture, socket* control, std::error_code& ec) {
  ec.clear();
  const bool same = &frontend == &backend;
  proxy_statistics stats;
  direction forward{frontend, backend, stats.frontend, stats.backend, {}, 0, true};
  direction backward{backend, frontend, stats.backend, stats.frontend, {}, 0, !same};
  forward.live = receives(frontend.type()) && sends(backend.type());
  backward.live = backward.live && receives(backend.type()) && sends(frontend.type());
  bool paused = false;
  std::vector<poll_item> items;
  for (;;) {
    // A command first: it may pause, stop or ask for statistics.
    if (control != nullptr && any(control->events() & events::pollin)) {
      message cmd;
      if (!control->recv(cmd, recv_flags::dontwait, ec)) {
        if (ec) return;
      } else {
        const bool multipart = cmd.more();
        capture_part(capture, cmd, cmd.more(), ec);
        while (!ec && cmd.more()) {  // a command of several parts is read whole and ignored
          cmd = message();
          if (!control->recv(cmd, recv_flags::none, ec)) break;
          capture_part(capture, cmd, cmd.more(), ec);
        }
        if (ec) return;
        switch (multipart ? command_result::none : parse_command(cmd)) {
          case command_result::pause: paused = true; break;
          case command_result::resume: paused = false; break;
          case command_result::terminate: return;
          case command_result::statistics:
            reply_statistics(*control, stats, ec);
            if (ec) return;
            break;
          case command_result::none: break;
        }
        continue;
      }
    }
    if (!paused) {
      bool moved = pump(forward, capture, ec);
      if (ec) return;
      moved = pump(backward, capture, ec) || moved;
      if (ec) return;
      if (moved) continue;
    }
    // Nothing to do: wait for a source to have a message, or for a destination holding
    // up its direction to take one.
    items.clear();
    const auto add = [&](socket& s, events e) {
      for (auto& item : items)
        if (item.sock == &s) {
          item.interest |= e;
          return;
        }
      items.push_back({&s, -1, e});
    };
    if (!paused) {
      for (direction* d : {&forward, &backward}) {
        if (!d->live) continue;
        if (d->held.empty())
          add(d->from, events::pollin);
        else
          add(d->to, events::pollout);
      }
    }
    if (control != nullptr) add(*control, events::pollin);
    // Nothing can ever move (e.g. PUSH to PULL): wait for the context's end all the same.
    if (items.empty()) add(frontend, events::none);
    try {
      poll(items, std::chrono::milliseconds(-1));
    } catch (const std::system_error& e) {
      ec = e.code();
      return;
    }
  }
}

void run_noexcept(socket& frontend, socket& backend, socket* capture, socket* control,
                  std::error_code& ec) noexcept {
  try {
    run(frontend, backend, capture, control, ec);
  } catch (const std::system_error& e) {
    ec = e.code();
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
  }
}

}  // namespace

void proxy(socket& frontend, socket& backend, socket* capture, std::error_code& ec) noexcept {
  run_noexcept(frontend, backend, capture, nullptr, ec);
}

void proxy(socket& frontend, socket& backend, socket* capture) {
  std::error_code ec;
  proxy(frontend, backend, capture, ec);
  detail::throw_on_error(ec, "proxy");
}

void proxy_steerable(socket& frontend, socket& backend, socket* capture, socket& control,
                     std::error_code& ec) noexcept {
  run_noexcept(frontend, backend, capture, &control, ec);
}

void proxy_steerable(socket& frontend, socket& backend, socket* capture, socket& control) {
  std::error_code ec;
  proxy_steerable(frontend, backend, capture, control, ec);
  detail::throw_on_error(ec, "proxy_steerable");
}

}  // namespace ringmq
