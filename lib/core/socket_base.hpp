// socket_base: the engine behind ringmq::socket. Owns the socket's options, its mailbox,
// its peers (connections) and its pattern; turns non-blocking pattern operations into
// blocking calls with timeouts; dispatches bind/connect to transports.
//
// Thread ownership: everything here runs on the application thread using the socket.
// Other threads reach a socket only through its mailbox (and the pipes of its links).
// A thread-safe type (CLIENT, SERVER) may be used by several application threads at once:
// each call holds its call_lock (call_lock()), which a blocking call lets go while it
// waits; everything here then runs under that lock.
#pragma once

#include "core/call_lock.hpp"
#include "core/context_impl.hpp"
#include "core/mailbox.hpp"
#include "core/monitor_queue.hpp"
#include "core/pattern.hpp"
#include "core/peer.hpp"
#include "core/socket_options.hpp"
#include "core/transport.hpp"

#include <ringmq/flags.hpp>
#include <ringmq/message.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

namespace ringmq::detail {

class socket_base final : private pattern_host, public transport_host {
 public:
  // Takes a reference on `ctx`.
  socket_base(context_impl& ctx, socket_type type, pattern_factory make_pattern);
  socket_base(const socket_base&) = delete;
  socket_base& operator=(const socket_base&) = delete;
  // Closes without waiting for delivery (links are closed with LINGER); waits only while
  // destroying the endpoint handles of tcp/ipc binds (endpoint_handle, ringmq::socket::close).
  ~socket_base();

  // Endpoints.
  std::error_code bind(std::string_view endpoint);
  std::error_code connect(std::string_view endpoint);
  std::error_code unbind(std::string_view endpoint);
  std::error_code disconnect(std::string_view endpoint);
  [[nodiscard]] const std::string& last_endpoint() const noexcept { return last_endpoint_; }

  // Messages. would-block is std::errc::resource_unavailable_try_again.
  std::error_code send(message& msg, send_flags flags);
  std::error_code recv(message& msg, recv_flags flags);

  // Options (generic ones here, type-specific ones in the pattern).
  std::error_code set_option(option id, std::int64_t value);
  std::error_code set_option(option id, std::string_view value);
  std::error_code get_option(option id, std::int64_t& value);
  std::error_code get_option(option id, std::string& value) const;

  // Readiness and polling.
  ringmq::events poll_events();
  int fd();
  [[nodiscard]] socket_type type() const noexcept { return options_.type; }

  // For transports, on the socket's thread.
  [[nodiscard]] context_impl& context() const noexcept override { return ctx_; }
  [[nodiscard]] const socket_options& options() const noexcept override { return options_; }
  [[nodiscard]] const read_patience& patience() const noexcept override { return patience_; }
  [[nodiscard]] const std::shared_ptr<mailbox>& inbox() const noexcept override { return inbox_; }
  // Where transports report connection events (shared with their I/O-thread objects).
  [[nodiscard]] const std::shared_ptr<monitor_hub>& events_hub() const noexcept override {
    return monitor_hub_;
  }
  // Adopts one end of a new connection made for the bind/connect `origin`.
  void attach(link_end end, const void* origin) override;
  // Closes every connection that came from `origin`.
  void close_peers_from(const void* origin);

  // The thread inside an API call on this socket (debug builds check for overlap).
  std::atomic<std::thread::id> active_thread{};
  // What every API call holds on a thread-safe socket; null for the other types.
  [[nodiscard]] detail::call_lock* call_lock() const noexcept { return call_lock_.get(); }

  // poll() waiting for something other than input: until the next events()/recv, the
  // descriptor reports only changes (commands), not "a message is waiting".
  void fd_changes_only() noexcept;

  // Runs pending commands; cheap when there are none.
  void process_commands();
  // How long blocking calls spin before sleeping.
  [[nodiscard]] std::chrono::nanoseconds spin() const noexcept;

 private:
  struct endpoint_record {
    std::string given;     // as passed to bind/connect
    std::string resolved;  // with wildcards filled in
    bool bound;
    std::unique_ptr<endpoint_handle> handle;
    std::string alias;  // CONNECT_ROUTING_ID taken by this connect
  };

  void handle(command& cmd);
  void peer_closed(peer& p) override;
  void drop_peer(peer& p, monitor_event event, std::int64_t value) override;
  // What was sent to `p` is still delivered within `linger` (default: LINGER).
  void remove_peer(peer& p, bool detach_from_pattern, std::optional<std::chrono::milliseconds> linger = {});
  void drain_peer(peer& p);
  peer* peer_of(const command& cmd) const noexcept;
  std::error_code add_endpoint(std::string_view endpoint, bool bind);
  std::error_code remove_endpoint(std::string_view endpoint, bool bound);
  void after_io() noexcept;

  // Waiting in a blocking recv: on the mailbox, or reading the only peer's connection
  // directly (direct_source.hpp). work unless `deadline` passed with nothing new (or a
  // signal ended the wait, when the context asks for that).
  mailbox::wake wait_for_input(std::optional<time_point> deadline);
  // Waiting in a blocking send, or in a recv that reads no connection itself: until a
  // command arrives (on a thread-safe socket: until another call or a command changed
  // something), `deadline` passes, or a signal ends the wait.
  mailbox::wake wait_for_change(std::optional<time_point> deadline);
  // CONFLATE: replaces `msg`, a whole message just received, with the newest one waiting.
  void keep_newest(message& msg);
  mailbox::wake wait_reading(direct_source& source, std::optional<time_point> deadline);
  // The connection a blocked recv may read itself: the only peer's, if it offers that.
  direct_source* direct_candidate();
  // Returns a borrowed read side before waiting on anything else.
  void give_back_borrowed() noexcept;

  context_impl& ctx_;
  socket_options options_;
  std::shared_ptr<mailbox> inbox_;
  std::shared_ptr<monitor_hub> monitor_hub_ = std::make_shared<monitor_hub>();
  std::unique_ptr<pattern> pattern_;
  std::vector<std::unique_ptr<peer>> peers_;
  std::vector<endpoint_record> endpoints_;
  std::vector<command> batch_;
  std::string last_endpoint_;
  const std::string* connect_alias_ = nullptr;  // during connect(): its CONNECT_ROUTING_ID
  bool rcvmore_ = false;
  bool message_waited_ = false;              // the message being received was not there when asked for
  read_patience patience_;                   // set during a recv that may block
  std::shared_ptr<direct_source> borrowed_;  // the direct source last asked for
  bool fd_requested_ = false;
  bool conflate_ = false;                         // CONFLATE on a type that conflates what it receives
  std::unique_ptr<detail::call_lock> call_lock_;  // thread-safe types only
};

}  // namespace ringmq::detail
