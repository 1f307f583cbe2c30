// fault_peer: one peer process of the fault suite. It opens one socket of either library
// (see peer_socket.hpp), generates numbered multipart messages (numbered_message.hpp) and/or
// checks and counts what arrives (tally.hpp), and is steered by the driver through stdin
// ("stop", "finish MS", "exit") while it reports on stdout. `fault_peer --help` for the
// command line.
//
// The counts live in a shared file, so the process can be SIGKILLed at any moment: its
// successor reopens the file, continues the sequence numbers and keeps detecting duplicates.
// Nothing here sleeps: every wait is a socket or poll timeout of a few milliseconds, after
// which the loop looks at stdin again.
#include "fault/numbered_message.hpp"
#include "fault/peer_config.hpp"
#include "fault/peer_socket.hpp"
#include "fault/tally.hpp"

#include <poll.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace fault {
namespace {

using namespace std::chrono_literals;
using lib::kind;

std::uint64_t now_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

// One line to stdout in a single write (atomic on a pipe): the main and the monitor thread
// both report.
void say(const std::string& line) {
  const std::string out = line + "\n";
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(1, out.data() + done, out.size() - done);
    if (n <= 0) return;  // the driver went away; nothing left to tell
    done += static_cast<std::size_t>(n);
  }
}

// How long a blocking socket call waits before the loop looks at stdin and the clock again.
constexpr auto tick = 20ms;

class peer_program {
 public:
  explicit peer_program(peer_config c) : cfg_(std::move(c)), tally_(cfg_.tally_path, cfg_.capacity) {}

  int run() {
    open_socket();
    say(std::string("ready ") + lib::library_name + " " + ctx_.io_backend() + " " + endpoint_);
    switch (cfg_.kind) {
      case kind::push:
      case kind::pub: run_sender(); break;
      case kind::pull:
      case kind::sub:
      case kind::router:
      case kind::rep: run_receiver(); break;
      case kind::req: run_req(); break;
      case kind::dealer:
      case kind::pair: run_dual(); break;
    }
    close_and_exit();
    return 0;
  }

 private:
  // ------------------------------------------------------------------ socket set-up

  void open_socket() {
    sock_ = std::make_unique<lib::socket>(ctx_, cfg_.kind);
    auto& s = *sock_;
    using namespace lib::option;
    s.set_int(rcvtimeo, tick.count());
    s.set_int(sndtimeo, tick.count());
    if (cfg_.sndhwm >= 0) s.set_int(sndhwm, cfg_.sndhwm);
    if (cfg_.rcvhwm >= 0) s.set_int(rcvhwm, cfg_.rcvhwm);
    if (cfg_.linger) s.set_int(linger, cfg_.linger->count());
    if (cfg_.reconnect_ivl) s.set_int(reconnect_ivl, cfg_.reconnect_ivl->count());
    if (cfg_.reconnect_ivl_max) s.set_int(reconnect_ivl_max, cfg_.reconnect_ivl_max->count());
    if (cfg_.heartbeat_ivl) s.set_int(heartbeat_ivl, cfg_.heartbeat_ivl->count());
    if (cfg_.heartbeat_timeout) s.set_int(heartbeat_timeout, cfg_.heartbeat_timeout->count());
    if (cfg_.heartbeat_ttl) s.set_int(heartbeat_ttl, cfg_.heartbeat_ttl->count());
    if (cfg_.connect_timeout) s.set_int(connect_timeout, cfg_.connect_timeout->count());
    if (cfg_.immediate) s.set_int(immediate, 1);
    if (cfg_.nodrop) s.set_int(xpub_nodrop, 1);
    if (!cfg_.routing_id.empty()) s.set_bytes(routing_id, cfg_.routing_id);
    if (cfg_.kind == kind::req && cfg_.req == req_mode::relaxed) {
      s.set_int(req_relaxed, 1);
      s.set_int(req_correlate, 1);
    }
    if (cfg_.kind == kind::sub) {
      // Numbered messages start with the magic: subscribing to it exercises the filter.
      if (cfg_.tiny)
        s.set_bytes(subscribe, "");
      else
        s.set_bytes(subscribe, std::string_view(reinterpret_cast<const char*>(&part_magic), 4));
    }
    if (cfg_.monitor) {
      s.start_monitor([](std::string_view name, std::int64_t value) {
        say("event " + std::string(name) + " " + std::to_string(value) + " " + std::to_string(now_ns()));
      });
    }
    if (!cfg_.bind.empty()) {
      bind_when_free(s);
      endpoint_ = s.last_endpoint();
    } else {
      s.connect(cfg_.connect);
      endpoint_ = cfg_.connect;
    }
  }

  // A successor binds where its SIGKILLed predecessor was bound. With the io_uring backend
  // the kernel tears a killed process's ring down in the background, and the listening
  // socket its pending accept refers to stays open meanwhile: 7-12 ms measured here when
  // idle, past 0.8 s under load. So an address in use is tried again, every few ms, for up
  // to 10 s (there is no event to wait for).
  void bind_when_free(lib::socket& s) {
    const std::uint64_t deadline = now_ns() + 10'000'000'000ULL;
    while (!s.try_bind(cfg_.bind)) {
      if (now_ns() >= deadline) s.bind(cfg_.bind);  // throws: still in use
      idle_wait(5ms);
    }
  }

  void close_and_exit() {
    sock_->close();
    say("closed " + std::to_string(now_ns()));
    // The context's destructor (lib::context) waits for lingering messages; report after it.
  }

  // ------------------------------------------------------------------ driver commands

  // Looks at stdin at most every few milliseconds. Returns false when the process must end.
  bool keep_going() {
    const std::uint64_t now = now_ns();
    if (finishing_ && now - last_activity_ns_ >= finish_idle_ns_) {
      say("finished");
      return false;
    }
    if (now - last_stdin_ns_ < 5'000'000) return !exit_now_;
    last_stdin_ns_ = now;
    pollfd p{0, POLLIN, 0};
    while (::poll(&p, 1, 0) > 0) {
      char buf[256];
      const ssize_t n = ::read(0, buf, sizeof buf);
      if (n <= 0) return false;  // the driver went away
      input_.append(buf, static_cast<std::size_t>(n));
      for (auto nl = input_.find('\n'); nl != std::string::npos; nl = input_.find('\n')) {
        command(input_.substr(0, nl));
        input_.erase(0, nl + 1);
      }
    }
    return !exit_now_;
  }

  void command(const std::string& line) {
    if (line == "stop") {
      generating_ = false;
      say("stopped");
    } else if (line.rfind("finish ", 0) == 0) {
      generating_ = false;
      finishing_ = true;
      finish_idle_ns_ = std::stoull(line.substr(7)) * 1'000'000ULL;
      last_activity_ns_ = now_ns();
    } else if (line == "exit") {
      exit_now_ = true;
    } else {
      say("error unknown command " + line);
    }
  }

  // ------------------------------------------------------------------ generating

  // True when a new message may be generated now (count, rate, window).
  bool may_generate() {
    if (!cfg_.send || !generating_) return false;
    if (cfg_.count != 0 && tally_.get(cfg_.producer, per_producer::reserved) >= cfg_.count) return false;
    if (cfg_.rate != 0) {
      const std::uint64_t elapsed = now_ns() - start_ns_;
      if (generated_ >= elapsed / 1000 * cfg_.rate / 1'000'000 + 1) return false;
    }
    if (cfg_.window != 0 && outstanding() >= cfg_.window) {
      if (now_ns() - last_reply_ns_ < static_cast<std::uint64_t>(cfg_.reply_timeout.count()) * 1'000'000ULL)
        return false;
      // No echo for a while: what is outstanding was lost to a fault. Write it off.
      tally_.add(global::reply_timeouts);
      written_off_ = tally_.get(cfg_.producer, per_producer::accepted) - echoes();
      last_reply_ns_ = now_ns();
    }
    return true;
  }

  [[nodiscard]] std::uint64_t echoes() const {
    return tally_.get(cfg_.producer, per_producer::unique) +
           tally_.get(cfg_.producer, per_producer::duplicated);
  }
  [[nodiscard]] std::uint64_t outstanding() const {
    const std::uint64_t done = echoes() + written_off_;
    const std::uint64_t accepted = tally_.get(cfg_.producer, per_producer::accepted);
    return accepted > done ? accepted - done : 0;
  }

  // Builds the next message into pending_ (taking its sequence number first).
  void generate() {
    const std::uint64_t seq = tally_.reserve(cfg_.producer);
    pending_seq_ = seq;
    pending_.clear();
    ++generated_;
    if (cfg_.tiny) {
      auto m = std::make_unique<lib::outgoing>(1);
      m->bytes()[0] = static_cast<std::byte>(seq % 251);
      pending_.push_back(std::move(m));
      return;
    }
    const message_shape shape = shape_of(cfg_.shape, cfg_.producer, seq);
    for (unsigned i = 0; i < shape.parts; ++i) {
      auto m = std::make_unique<lib::outgoing>(shape.lengths[i]);
      fill_part(m->bytes(), cfg_.producer, seq, static_cast<std::uint16_t>(i),
                static_cast<std::uint16_t>(shape.parts));
      pending_.push_back(std::move(m));
    }
  }

  // Sends pending_ (generating it first if there is none and one may be generated). Returns
  // true when a message went out; false when there was nothing to send or the socket would
  // not take it (the message stays pending).
  bool send_pending(bool dontwait) {
    if (pending_.empty()) {
      if (!may_generate()) return false;
      generate();
    }
    // Only the first part can block: the others follow it into the same pipe. libzmq refuses
    // a later part when that pipe died since the first (PAIR, in 4.3): the message is then
    // lost, and its rest must not go into the next pipe as a partial message, so it is sent
    // without waiting and abandoned if refused.
    if (!sock_->send(*pending_[0], pending_.size() > 1, dontwait)) {
      tally_.add(global::send_timeouts);
      return false;
    }
    for (std::size_t i = 1; i < pending_.size(); ++i) {
      if (!sock_->send(*pending_[i], i + 1 < pending_.size(), true)) {
        tally_.add(global::send_abandoned);
        pending_.clear();
        return false;
      }
    }
    pending_.clear();
    tally_.add(cfg_.producer, per_producer::accepted);
    tally_.add(global::sent);
    tally_.set(global::last_sent_ns, now_ns());
    if (cfg_.exit_when_sent && tally_.get(cfg_.producer, per_producer::accepted) >= cfg_.count)
      done_sending_ = true;
    return true;
  }

  // ------------------------------------------------------------------ receiving

  // Checks one received message and echoes it if asked. Returns false once the echo limit
  // was reached (the socket must close at once).
  bool on_message() {
    last_activity_ns_ = now_ns();
    std::size_t first = 0;
    if (cfg_.kind == kind::router) first = 1;  // the routing id the ROUTER prepends
    if (cfg_.tiny) {
      if (rx_.size() > first) tally_.check_tiny(rx_.part(first));
      return true;
    }
    views_.clear();
    for (std::size_t i = first; i < rx_.size(); ++i) views_.push_back(rx_.part(i));
    const verdict v = tally_.check(views_, rx_.connection_key(first));
    if (cfg_.kind == kind::dealer || cfg_.kind == kind::req) last_reply_ns_ = now_ns();
    const bool echo = cfg_.echo && (v == verdict::whole || cfg_.kind == kind::rep);
    if (echo) {
      // A REP must answer every request to receive the next; a ROUTER echoes whole ones.
      // ROUTER drops at HWM instead of blocking: such an echo is lost, and counted so.
      // Counted before it goes, as sequence numbers are taken: killed in between, the echo
      // counts as lost, never as arrived without having been sent.
      unsigned producer = tally::producers;
      if (v == verdict::whole && !views_.empty()) {
        const auto h = read_part(views_[0]);
        if (h && h->producer < tally::producers) producer = h->producer;
      }
      if (producer < tally::producers) tally_.add(producer, per_producer::echoed);
      tally_.add(global::echoed);
      bool ok = true;
      for (std::size_t i = 0; i < rx_.size() && ok; ++i)
        ok = sock_->send_copy(rx_, i, i + 1 < rx_.size(), cfg_.kind == kind::router && i == 0);
      if (ok) {
        tally_.add(global::sent);
      } else {
        // Not sent after all: take the counts back (adding 2^64 - 1 subtracts one).
        if (producer < tally::producers) tally_.add(producer, per_producer::echoed, ~std::uint64_t{0});
        tally_.add(global::echoed, ~std::uint64_t{0});
        tally_.add(global::send_timeouts);
      }
      if (cfg_.echo_limit != 0 && tally_.get(global::echoed) >= cfg_.echo_limit) return false;
    }
    return true;
  }

  // ------------------------------------------------------------------ loops

  // Waits up to `d` for a command on stdin: the pause of a rate-limited or stopped sender.
  static void idle_wait(std::chrono::milliseconds d) {
    pollfd p{0, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(d.count()));
  }

  // PUSH, PUB: blocking sends with a short timeout.
  void run_sender() {
    while (keep_going() && !done_sending_)
      if (!send_pending(false) && pending_.empty()) idle_wait(1ms);
  }

  // PULL, SUB, ROUTER, REP: blocking receives with a short timeout. A rate-limited receiver
  // (a slow consumer) pauses on stdin between receives once ahead of its rate.
  void run_receiver() {
    std::uint64_t received = 0;
    while (keep_going()) {
      if (cfg_.recv_rate != 0 && received >= (now_ns() - start_ns_) / 1000 * cfg_.recv_rate / 1'000'000 + 1) {
        idle_wait(1ms);
        continue;
      }
      if (!sock_->recv(rx_, false)) continue;
      ++received;
      if (!on_message()) return;
    }
  }

  // DEALER, PAIR: both directions, without blocking, waiting in poll when idle.
  void run_dual() {
    while (keep_going() && !done_sending_) {
      bool busy = false;
      for (int k = 0; k < 64 && sock_->recv(rx_, true); ++k) {
        busy = true;
        on_message();
      }
      for (int k = 0; k < 64 && send_pending(true); ++k) busy = true;
      if (!busy) sock_->poll(!pending_.empty() || may_generate_cheap(), 10ms);
    }
  }
  // may_generate() without its side effect of writing off a window.
  [[nodiscard]] bool may_generate_cheap() const {
    return cfg_.send && generating_ && (cfg_.window == 0 || outstanding() < cfg_.window);
  }

  // REQ: one request at a time; a reply that is not the one to the last request is stale.
  // On a timeout, REQ_RELAXED lets the next request go; the reconnect mode opens a new
  // socket instead (the "lazy pirate" client).
  void run_req() {
    bool waiting = false;
    std::uint64_t sent_at = 0;
    while (keep_going()) {
      if (!waiting) {
        if (!send_pending(false)) {
          if (pending_.empty()) idle_wait(1ms);
          continue;
        }
        waiting = true;
        sent_at = now_ns();
        continue;
      }
      if (sock_->recv(rx_, false)) {
        views_.clear();
        for (std::size_t i = 0; i < rx_.size(); ++i) views_.push_back(rx_.part(i));
        const auto h = views_.empty() ? std::nullopt : read_part(views_[0]);
        last_activity_ns_ = now_ns();
        tally_.check(views_, rx_.connection_key(0));
        if (h && h->producer == cfg_.producer && h->seq == pending_seq_) {
          waiting = false;
        } else {
          tally_.add(global::stale_replies);
        }
        continue;
      }
      if (now_ns() - sent_at >= static_cast<std::uint64_t>(cfg_.reply_timeout.count()) * 1'000'000ULL) {
        tally_.add(global::reply_timeouts);
        waiting = false;
        if (cfg_.req == req_mode::reconnect) {
          sock_->close();
          sock_.reset();
          open_socket();
        }
      }
    }
  }

  peer_config cfg_;
  tally tally_;
  lib::context ctx_;
  std::unique_ptr<lib::socket> sock_;
  std::string endpoint_;

  lib::received rx_;
  std::vector<std::span<const std::byte>> views_;
  std::vector<std::unique_ptr<lib::outgoing>> pending_;
  std::uint64_t pending_seq_ = 0;
  std::uint64_t generated_ = 0;
  std::uint64_t written_off_ = 0;
  const std::uint64_t start_ns_ = now_ns();
  std::uint64_t last_reply_ns_ = now_ns();

  bool generating_ = true;
  bool finishing_ = false;
  bool exit_now_ = false;
  bool done_sending_ = false;
  std::uint64_t finish_idle_ns_ = 0;
  std::uint64_t last_activity_ns_ = 0;
  std::uint64_t last_stdin_ns_ = 0;
  std::string input_;
};

}  // namespace
}  // namespace fault

int main(int argc, char** argv) {
  // Die with the driver, whatever way it ends; never on a peer's reset.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::fputs(fault::peer_usage(), stdout);
    return 0;
  }
  try {
    const auto cfg = fault::parse_peer_config(args);
    {
      fault::peer_program program(cfg);
      program.run();
    }  // the context is gone: lingering messages were sent or dropped
    fault::say("exited " + std::to_string(fault::now_ns()));
    return 0;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "fault_peer: %s\n%s", e.what(), fault::peer_usage());
    return 2;
  } catch (const std::exception& e) {
    fault::say(std::string("error ") + e.what());
    return 1;
  }
}
