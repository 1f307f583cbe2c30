// Helpers of the security suite: libzmq's fixed perf-tool keys, waiting on monitor events
// (ringmq and libzmq), a libzmq ZAP handler, RAII over libzmq, and a raw TCP peer that speaks
// ZMTP byte by byte so tests can craft and corrupt CURVE commands.
//
// Nothing here sleeps to wait for a connection: every blocking call has a deadline (`safety`)
// that is only reached when something is broken.
#pragma once

#include <ringmq/ringmq.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace sec_test {

using namespace std::chrono_literals;
using strings = std::vector<std::string>;

inline constexpr std::chrono::milliseconds safety{5000};
// How long to watch for something that must not happen (a message, a reconnect).
inline constexpr std::chrono::milliseconds quiet{300};

// libzmq's perf/local_thr.cpp and remote_thr.cpp keys.
inline constexpr std::string_view server_public = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
inline constexpr std::string_view server_secret = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";
inline constexpr std::string_view client_public = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
inline constexpr std::string_view client_secret = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";

// ---- ringmq ----

// The next event of type `type` (others are skipped), or empty at the deadline.
std::optional<ringmq::socket_event> wait_event(ringmq::monitor& m, ringmq::monitor_event type,
                                               std::chrono::milliseconds timeout = safety);
// True if an event of `type` arrives within `timeout`.
bool sees_event(ringmq::monitor& m, ringmq::monitor_event type, std::chrono::milliseconds timeout);
std::optional<strings> recv_parts(ringmq::socket& s, std::chrono::milliseconds timeout = safety);
std::optional<std::string> recv_text(ringmq::socket& s, std::chrono::milliseconds timeout = safety);
void send_parts(ringmq::socket& s, const strings& parts);
// The TCP port of a resolved endpoint "tcp://127.0.0.1:1234".
int port_of(const std::string& endpoint);

// CURVE options through their Z85 text forms (exercises the key decoder).
void make_curve_server(ringmq::socket& s, std::string_view secret = server_secret);
void make_curve_client(ringmq::socket& s, std::string_view server = server_public,
                       std::string_view pub = client_public, std::string_view secret = client_secret);

// ---- libzmq ----

struct zctx {
  void* p;
  zctx();
  ~zctx();
  zctx(const zctx&) = delete;
  zctx& operator=(const zctx&) = delete;
};

struct zsock {
  void* p;
  zsock(zctx& ctx, int type);
  ~zsock();
  zsock(const zsock&) = delete;
  zsock& operator=(const zsock&) = delete;
  void set(int option, int value);
  void set(int option, std::string_view value);
  std::string bind(const std::string& endpoint);  // returns the resolved endpoint
  void connect(const std::string& endpoint);
  void make_curve_server(std::string_view secret = server_secret);
  void make_curve_client(std::string_view server = server_public, std::string_view pub = client_public,
                         std::string_view secret = client_secret);
};

std::optional<strings> zrecv(zsock& s, std::chrono::milliseconds timeout = safety);
void zsend(zsock& s, const strings& parts);
// zmq_msg_gets of the next message's first part (e.g. "User-Id").
std::optional<std::pair<strings, std::string>> zrecv_with_property(
    zsock& s, const char* property, std::chrono::milliseconds timeout = safety);

// libzmq's zmq_socket_monitor, read through a PAIR socket.
class zmonitor {
 public:
  zmonitor(zctx& ctx, zsock& s);
  // The next (event, value) of type `event`, others skipped; empty at the deadline.
  std::optional<int> wait(int event, std::chrono::milliseconds timeout = safety);

 private:
  std::unique_ptr<zsock> pair_;
};

// A ZAP handler as a libzmq application writes it: a libzmq REP socket bound at
// inproc://zeromq.zap.01 in a libzmq context, on its own thread. `decide` gets the request
// frames after the envelope (version, id, domain, address, identity, mechanism, creds...)
// and returns (status, text, user id, metadata).
class libzmq_zap_handler {
 public:
  struct answer {
    std::string status = "200";
    std::string text = "OK";
    std::string user_id;
    std::string metadata;
  };
  using policy = std::function<answer(const strings& request)>;
  libzmq_zap_handler(zctx& ctx, policy decide);
  ~libzmq_zap_handler();
  [[nodiscard]] int requests() const noexcept { return requests_.load(); }
  [[nodiscard]] strings last_request() const;

 private:
  zsock sock_;
  policy decide_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  mutable std::mutex mutex_;
  strings last_;
  std::thread thread_;
};

// ---- raw ZMTP over TCP ----

std::string greeting(std::string_view mechanism, int minor = 1);
std::string command_frame(const std::string& body);
std::string data_frame(const std::string& body, bool more = false);
std::string prop(const std::string& name, const std::string& value);

class raw_tcp {
 public:
  explicit raw_tcp(int port);
  ~raw_tcp();
  raw_tcp(raw_tcp&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  raw_tcp(const raw_tcp&) = delete;
  raw_tcp& operator=(const raw_tcp&) = delete;

  [[nodiscard]] bool ok() const noexcept { return fd_ >= 0; }
  // False if the peer closed or reset the connection.
  bool send(std::string_view bytes);
  std::optional<std::string> read_exact(std::size_t n, std::chrono::milliseconds timeout = safety);
  struct frame {
    unsigned flags = 0;
    std::string body;
  };
  std::optional<frame> read_frame(std::chrono::milliseconds timeout = safety);
  // True when the peer closes the connection within `timeout` (data before the close is
  // discarded).
  bool closed_by_peer(std::chrono::milliseconds timeout = safety);
  void close();

 private:
  int fd_ = -1;
};

}  // namespace sec_test
