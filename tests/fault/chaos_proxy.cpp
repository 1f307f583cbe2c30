// chaos_proxy: a seeded TCP / ipc proxy that sits between a connecting peer and a binding
// peer and damages the byte streams on purpose, per chaos_plan.hpp: it cuts connections at a
// byte offset (mid-frame, by construction: the offsets ignore frame boundaries), with a FIN
// or with an RST (SO_LINGER 0), splits byte ranges into tiny writes, coalesces ranges into
// one write, and stalls a direction for a while.
//
// usage: chaos_proxy --listen EP --target EP --seed N [--faults cut,reset,split,coalesce,delay]
//                    [--cut MIN,MAX] [--gap MIN,MAX] [--delay-max-ms N] [--log]
//   EP: tcp://A.B.C.D:PORT (PORT 0: ephemeral) or ipc://PATH (ipc://@NAME: abstract)
// stdout: "listening EP" once listening; with --log "cut LINK DIR OFFSET close|reset" per cut;
//         "stats {json}" on the command "stats" and at exit.
// stdin:  "calm" (pass bytes through untouched from now on), "chaos" (resume), "stats",
//         "exit"; end-of-file exits too.
//
// One thread, one epoll set, level-triggered. Each connection ("link") has two flows,
// client-to-server (c2s) and server-to-client (s2c), each with a buffer bounded at 1 MiB:
// a full buffer stops reading its source, so back-pressure passes through the proxy.
#include "fault/chaos_plan.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace fault {
namespace {

std::uint64_t now_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

void say(const std::string& line) {
  const std::string out = line + "\n";
  if (::write(1, out.data(), out.size()) < 0) {
    // The driver went away; the end of stdin will stop the proxy.
  }
}

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// ------------------------------------------------------------------------------ endpoints

struct address {
  sockaddr_storage storage{};
  socklen_t length = 0;
  bool tcp = false;
};

address parse_endpoint(const std::string& ep) {
  address a;
  if (ep.rfind("tcp://", 0) == 0) {
    const std::string rest = ep.substr(6);
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("no port in " + ep);
    auto* in = reinterpret_cast<sockaddr_in*>(&a.storage);
    in->sin_family = AF_INET;
    in->sin_port = htons(static_cast<std::uint16_t>(std::stoul(rest.substr(colon + 1))));
    if (::inet_pton(AF_INET, rest.substr(0, colon).c_str(), &in->sin_addr) != 1)
      throw std::invalid_argument("not an IPv4 address in " + ep);
    a.length = sizeof(sockaddr_in);
    a.tcp = true;
    return a;
  }
  if (ep.rfind("ipc://", 0) == 0) {
    const std::string path = ep.substr(6);
    auto* un = reinterpret_cast<sockaddr_un*>(&a.storage);
    un->sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof un->sun_path)
      throw std::invalid_argument("bad ipc path in " + ep);
    std::memcpy(un->sun_path, path.data(), path.size());
    a.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
    if (path[0] == '@')
      un->sun_path[0] = '\0';  // abstract namespace
    else
      a.length = static_cast<socklen_t>(a.length + 1);
    return a;
  }
  throw std::invalid_argument("unsupported endpoint " + ep);
}

// ------------------------------------------------------------------------------ links

constexpr std::size_t buffer_limit = 1 << 20;
constexpr std::size_t read_chunk = std::size_t{64} * 1024;
constexpr unsigned split_writes_per_pump = 256;

struct stats {
  std::uint64_t links = 0, upstream_failed = 0, peer_closed = 0, peer_reset = 0;
  std::uint64_t cuts_close = 0, cuts_reset = 0;
  std::uint64_t split_events = 0, split_writes = 0, coalesce_events = 0, stalls = 0;
  std::uint64_t bytes_c2s = 0, bytes_s2c = 0;
};

struct flow {
  flow(const chaos_settings& s, std::uint64_t seed, std::uint64_t link, unsigned dir)
      : plan(s, seed, link, dir), event(plan.next_event(0)) {}
  int from = -1;
  int to = -1;
  std::vector<char> buf;  // bytes read, not yet written: buf[head..]
  std::size_t head = 0;
  std::uint64_t written = 0;  // bytes written to `to`: the offset the plan speaks of
  flow_plan plan;
  byte_event event;     // the next (or current, when active) byte-level event
  bool active = false;  // inside the event's byte range
  std::uint64_t active_end = 0;
  std::uint64_t hold_deadline_ns = 0;
  std::uint64_t stall_until_ns = 0;
  bool eof = false;      // `from` reached end-of-file
  bool blocked = false;  // `to` would block: wait for EPOLLOUT
  bool more = false;     // stopped early (split cap): pump again soon

  [[nodiscard]] std::size_t pending() const noexcept { return buf.size() - head; }
};

struct link {
  link(std::uint64_t id_, const chaos_settings& s, std::uint64_t seed)
      : id(id_), c2s(s, seed, id_, 0), s2c(s, seed, id_, 1) {}
  std::uint64_t id;
  int client = -1;
  int server = -1;
  bool connecting = true;
  flow c2s;
  flow s2c;
  std::uint32_t interest[2] = {0, 0};  // registered epoll events of client, server
};

class proxy {
 public:
  proxy(const address& listen_at, address target, chaos_settings s, std::uint64_t seed, bool log)
      : target_(target), settings_(s), seed_(seed), log_(log) {
    ep_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (ep_ < 0) fail("epoll_create1");
    listener_ = ::socket(listen_at.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener_ < 0) fail("socket");
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(listener_, reinterpret_cast<const sockaddr*>(&listen_at.storage), listen_at.length) != 0)
      fail("bind");
    if (::listen(listener_, 128) != 0) fail("listen");
    add(listener_, EPOLLIN, listener_key);
    add(0, EPOLLIN, stdin_key);
  }

  std::string bound_endpoint(const std::string& requested) const {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&ss), &len);
    if (ss.ss_family != AF_INET) return requested;
    const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
    char host[INET_ADDRSTRLEN];
    ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    return "tcp://" + std::string(host) + ":" + std::to_string(ntohs(in->sin_port));
  }

  void run() {
    epoll_event events[64];
    while (!stop_) {
      const int n = ::epoll_wait(ep_, events, 64, wait_ms());
      if (n < 0 && errno != EINTR) fail("epoll_wait");
      for (int i = 0; i < n; ++i) dispatch(events[i].data.u64, events[i].events);
      // Timers (stalls, coalesce holds) and split continuations: pump every flow. There are
      // only a few links, so a sweep is cheaper than a timer heap.
      std::vector<std::uint64_t> ids;
      for (auto& [id, l] : links_) ids.push_back(id);
      for (auto id : ids) service(id);
    }
    report();
  }

 private:
  static constexpr std::uint64_t listener_key = ~std::uint64_t{0};
  static constexpr std::uint64_t stdin_key = ~std::uint64_t{0} - 1;

  void add(int fd, std::uint32_t events, std::uint64_t key) {
    epoll_event e{};
    e.events = events;
    e.data.u64 = key;
    if (::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &e) != 0) fail("epoll_ctl add");
  }

  // The epoll timeout: the nearest stall or hold deadline, 0 when a flow has more to do.
  int wait_ms() const {
    std::uint64_t next = now_ns() + 50'000'000;
    for (const auto& [id, l] : links_) {
      for (const flow* f : {&l->c2s, &l->s2c}) {
        if (f->more && !f->blocked) return 0;
        if (f->pending() == 0 || calm_) continue;
        if (f->stall_until_ns != 0) next = std::min(next, f->stall_until_ns);
        if (f->active && f->event.action == byte_action::coalesce) next = std::min(next, f->hold_deadline_ns);
      }
    }
    const std::uint64_t now = now_ns();
    return next <= now ? 0 : static_cast<int>((next - now + 999'999) / 1'000'000);
  }

  void dispatch(std::uint64_t key, std::uint32_t ev) {
    if (key == listener_key) return accept_all();
    if (key == stdin_key) return read_commands();
    const std::uint64_t id = key >> 1;
    const bool server_side = (key & 1) != 0;
    auto it = links_.find(id);
    if (it == links_.end()) return;
    link& l = *it->second;
    const int fd = server_side ? l.server : l.client;
    if (server_side && l.connecting) {
      if ((ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) {
        ++stats_.upstream_failed;
        return close_link(id, false);
      }
      l.connecting = false;
      return service(id);
    }
    flow& in = server_side ? l.s2c : l.c2s;   // reads from fd
    flow& out = server_side ? l.c2s : l.s2c;  // writes to fd
    if ((ev & EPOLLOUT) != 0) out.blocked = false;
    if ((ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0 && !read_into(in)) return close_link(id, true);
    service(id);
  }

  // Reads what `f.from` has, up to the buffer limit. False when it reset (ECONNRESET).
  bool read_into(flow& f) {
    while (!f.eof && f.pending() < buffer_limit) {
      if (f.head > 0 && f.head == f.buf.size()) {
        f.buf.clear();
        f.head = 0;
      }
      const std::size_t old = f.buf.size();
      f.buf.resize(old + read_chunk);
      const ssize_t n = ::recv(f.from, f.buf.data() + old, read_chunk, 0);
      f.buf.resize(old + (n > 0 ? static_cast<std::size_t>(n) : 0));
      if (n > 0) continue;
      if (n == 0) {
        f.eof = true;
        ++stats_.peer_closed;
        return true;
      }
      if (errno == EAGAIN || errno == EINTR) return true;
      ++stats_.peer_reset;
      return false;
    }
    return true;
  }

  // Moves bytes along both flows of a link, cuts it when a plan says so, closes it when a
  // peer went away and everything it sent was passed on, and updates its epoll interest.
  void service(std::uint64_t id) {
    auto it = links_.find(id);
    if (it == links_.end()) return;
    link& l = *it->second;
    if (l.connecting) return update_interest(l);
    for (flow* f : {&l.c2s, &l.s2c}) {
      switch (pump(*f, f == &l.c2s ? stats_.bytes_c2s : stats_.bytes_s2c)) {
        case pump_result::ok: break;
        case pump_result::cut: return cut(id, *f, f == &l.c2s ? "c2s" : "s2c");
        case pump_result::broken: return close_link(id, true);
      }
      if (f->eof && f->pending() == 0) return close_link(id, false);
    }
    update_interest(l);
  }

  enum class pump_result { ok, cut, broken };

  pump_result pump(flow& f, std::uint64_t& counter) {
    f.more = false;
    unsigned tiny_writes = 0;
    while (f.pending() > 0 && !f.blocked) {
      const std::uint64_t now = now_ns();
      const std::uint64_t off = f.written;
      std::uint64_t limit = f.pending();
      if (!calm_) {
        if (off >= f.plan.cut_at()) return pump_result::cut;
        if (f.stall_until_ns != 0) {
          if (now < f.stall_until_ns) return pump_result::ok;
          f.stall_until_ns = 0;
        }
        if (f.plan.cut_at() != flow_plan::never) limit = std::min(limit, f.plan.cut_at() - off);
        if (!f.active && off >= f.event.at) {
          if (f.event.action == byte_action::stall) {
            ++stats_.stalls;
            f.stall_until_ns = now + std::uint64_t{f.event.stall_ms} * 1'000'000;
            f.event = f.plan.next_event(off);
            continue;
          }
          f.active = true;
          f.active_end = off + f.event.length;
          f.hold_deadline_ns = now + std::uint64_t{f.event.hold_us} * 1000;
          ++(f.event.action == byte_action::split ? stats_.split_events : stats_.coalesce_events);
        }
        if (!f.active)
          limit = std::min(limit, f.event.at - off);
        else
          limit = std::min(limit, f.active_end - off);
        if (f.active && f.event.action == byte_action::split) {
          if (tiny_writes++ == split_writes_per_pump) {
            f.more = true;
            return pump_result::ok;
          }
          limit = std::min<std::uint64_t>(limit, f.plan.chunk());
          ++stats_.split_writes;
        } else if (f.active && f.event.action == byte_action::coalesce) {
          // Hold until the whole range is here or the hold time is up, then write it at once.
          if (f.pending() < f.active_end - off && now < f.hold_deadline_ns) return pump_result::ok;
        }
      }
      const ssize_t n = ::send(f.to, f.buf.data() + f.head, static_cast<std::size_t>(limit), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) {
          f.blocked = errno == EAGAIN;
          continue;
        }
        return pump_result::broken;
      }
      f.head += static_cast<std::size_t>(n);
      f.written += static_cast<std::uint64_t>(n);
      counter += static_cast<std::uint64_t>(n);
      if (f.active && f.written >= f.active_end) {
        f.active = false;
        f.event = f.plan.next_event(f.written);
      }
    }
    if (!calm_ && f.written >= f.plan.cut_at()) return pump_result::cut;
    return pump_result::ok;
  }

  void update_interest(link& l) {
    const std::uint32_t want_client =
        (!l.c2s.eof && l.c2s.pending() < buffer_limit ? EPOLLIN : 0U) | (l.s2c.blocked ? EPOLLOUT : 0U);
    const std::uint32_t want_server =
        l.connecting
            ? EPOLLOUT
            : (!l.s2c.eof && l.s2c.pending() < buffer_limit ? EPOLLIN : 0U) | (l.c2s.blocked ? EPOLLOUT : 0U);
    modify(l, 0, l.client, want_client);
    modify(l, 1, l.server, want_server);
  }

  void modify(link& l, unsigned side, int fd, std::uint32_t want) {
    if (l.interest[side] == want) return;
    epoll_event e{};
    e.events = want;
    e.data.u64 = (l.id << 1) | side;
    if (::epoll_ctl(ep_, EPOLL_CTL_MOD, fd, &e) != 0) fail("epoll_ctl mod");
    l.interest[side] = want;
  }

  void accept_all() {
    for (;;) {
      const int client = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (client < 0) return;  // EAGAIN, or a connection that went away before accept
      const std::uint64_t id = next_id_++;
      ++stats_.links;
      auto l = std::make_unique<link>(id, settings_, seed_);
      l->client = client;
      l->server = ::socket(target_.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (l->server < 0) fail("socket");
      if (target_.tcp) {
        // Tiny writes must leave as tiny segments.
        const int one = 1;
        ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::setsockopt(l->server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      }
      l->c2s.from = client;
      l->c2s.to = l->server;
      l->s2c.from = l->server;
      l->s2c.to = client;
      const int rc =
          ::connect(l->server, reinterpret_cast<const sockaddr*>(&target_.storage), target_.length);
      l->connecting = rc != 0;
      if (rc != 0 && errno != EINPROGRESS && errno != EAGAIN) {
        ++stats_.upstream_failed;
        ::close(l->server);
        ::close(client);
        continue;
      }
      l->interest[0] = EPOLLIN;
      l->interest[1] = EPOLLOUT;
      add(client, EPOLLIN, id << 1);
      add(l->server, EPOLLOUT, (id << 1) | 1);
      links_.emplace(id, std::move(l));
    }
  }

  void cut(std::uint64_t id, const flow& f, const char* dir) {
    const bool reset = f.plan.cut_is_reset();
    ++(reset ? stats_.cuts_reset : stats_.cuts_close);
    if (log_)
      say("cut " + std::to_string(id) + " " + dir + " " + std::to_string(f.written) +
          (reset ? " reset" : " close"));
    close_link(id, reset);
  }

  // Closes both sides; with `reset`, with SO_LINGER 0 so that the peers get an RST.
  void close_link(std::uint64_t id, bool reset) {
    auto it = links_.find(id);
    if (it == links_.end()) return;
    link& l = *it->second;
    for (int fd : {l.client, l.server}) {
      if (reset) {
        const linger lg{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
      } else {
        ::shutdown(fd, SHUT_RDWR);
      }
      ::close(fd);  // also leaves the epoll set
    }
    links_.erase(it);
  }

  void read_commands() {
    char buf[256];
    const ssize_t n = ::read(0, buf, sizeof buf);
    if (n <= 0) {
      stop_ = true;
      return;
    }
    input_.append(buf, static_cast<std::size_t>(n));
    for (auto nl = input_.find('\n'); nl != std::string::npos; nl = input_.find('\n')) {
      const std::string line = input_.substr(0, nl);
      input_.erase(0, nl + 1);
      if (line == "calm") {
        calm_ = true;
        for (auto& [id, l] : links_)
          for (flow* f : {&l->c2s, &l->s2c}) {
            f->stall_until_ns = 0;
            f->active = false;
          }
      } else if (line == "chaos") {
        calm_ = false;
      } else if (line == "stats") {
        report();
      } else if (line == "exit") {
        stop_ = true;
      }
    }
  }

  void report() const {
    const auto& s = stats_;
    say("stats {\"links\": " + std::to_string(s.links) + ", \"upstream_failed\": " +
        std::to_string(s.upstream_failed) + ", \"peer_closed\": " + std::to_string(s.peer_closed) +
        ", \"peer_reset\": " + std::to_string(s.peer_reset) + ", \"cuts_close\": " +
        std::to_string(s.cuts_close) + ", \"cuts_reset\": " + std::to_string(s.cuts_reset) +
        ", \"split_events\": " + std::to_string(s.split_events) + ", \"split_writes\": " +
        std::to_string(s.split_writes) + ", \"coalesce_events\": " + std::to_string(s.coalesce_events) +
        ", \"stalls\": " + std::to_string(s.stalls) + ", \"bytes_c2s\": " + std::to_string(s.bytes_c2s) +
        ", \"bytes_s2c\": " + std::to_string(s.bytes_s2c) + "}");
  }

  address target_;
  chaos_settings settings_;
  std::uint64_t seed_;
  bool log_;
  int ep_ = -1;
  int listener_ = -1;
  std::map<std::uint64_t, std::unique_ptr<link>> links_;
  std::uint64_t next_id_ = 0;
  bool calm_ = false;
  bool stop_ = false;
  std::string input_;
  stats stats_;
};

std::pair<std::uint64_t, std::uint64_t> parse_range(const std::string& s) {
  const auto comma = s.find(',');
  if (comma == std::string::npos) throw std::invalid_argument("expected MIN,MAX: " + s);
  return {std::stoull(s.substr(0, comma)), std::stoull(s.substr(comma + 1))};
}

int run(const std::vector<std::string>& args) {
  std::string listen_ep;
  std::string target_ep;
  std::uint64_t seed = 1;
  chaos_settings s;
  bool log = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw std::invalid_argument(a + " needs a value");
      return args[++i];
    };
    if (a == "--listen") {
      listen_ep = value();
    } else if (a == "--target") {
      target_ep = value();
    } else if (a == "--seed") {
      seed = std::stoull(value());
    } else if (a == "--faults") {
      const std::string& list = value();
      std::size_t start = 0;
      for (;;) {
        const auto comma = list.find(',', start);
        const std::string f = list.substr(start, comma - start);
        if (f == "cut")
          s.cut = true;
        else if (f == "reset")
          s.reset = true;
        else if (f == "split")
          s.split = true;
        else if (f == "coalesce")
          s.coalesce = true;
        else if (f == "delay")
          s.delay = true;
        else if (f != "none")
          throw std::invalid_argument("unknown fault " + f);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (a == "--cut") {
      std::tie(s.cut_min, s.cut_max) = parse_range(value());
    } else if (a == "--gap") {
      std::tie(s.gap_min, s.gap_max) = parse_range(value());
    } else if (a == "--delay-max-ms") {
      s.delay_max_ms = static_cast<unsigned>(std::stoul(value()));
    } else if (a == "--log") {
      log = true;
    } else {
      throw std::invalid_argument("unknown argument " + a);
    }
  }
  if (listen_ep.empty() || target_ep.empty())
    throw std::invalid_argument("--listen and --target are required");
  const address listen_at = parse_endpoint(listen_ep);
  const address target = parse_endpoint(target_ep);
  if (listen_at.tcp != target.tcp)
    throw std::invalid_argument("--listen and --target must use the same transport");
  proxy p(listen_at, target, s, seed, log);
  say("listening " + p.bound_endpoint(listen_ep));
  p.run();
  return 0;
}

}  // namespace
}  // namespace fault

int main(int argc, char** argv) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return fault::run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr,
                 "chaos_proxy: %s\nusage: chaos_proxy --listen EP --target EP --seed N "
                 "[--faults cut,reset,split,coalesce,delay] [--cut MIN,MAX] [--gap MIN,MAX] "
                 "[--delay-max-ms N] [--log]\n",
                 e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chaos_proxy: %s\n", e.what());
    return 1;
  }
}
