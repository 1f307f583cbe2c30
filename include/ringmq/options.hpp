// Socket options. Each option has a number (libzmq's, so bindings can share constants), a
// value kind, and a typed tag in ringmq::opt for compile-time checked use:
//
//   sock.set(ringmq::opt::sndhwm, 100);
//   sock.set(ringmq::opt::linger, std::chrono::milliseconds(0));
//   std::string ep = sock.get(ringmq::opt::last_endpoint);
//
// Setting an option a socket type does not have, or a value of the wrong kind or range, is
// an error (errc::unknown_option / wrong_option_type / invalid_option_value).
#pragma once

#include <ringmq/export.hpp>
#include <ringmq/flags.hpp>
#include <ringmq/socket_type.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringmq {

// A negative duration means "infinite" for timeouts and linger.
inline constexpr std::chrono::milliseconds infinite{-1};

enum class option : int {
  affinity = 4,
  routing_id = 5,
  subscribe = 6,
  unsubscribe = 7,
  sndbuf = 11,
  rcvbuf = 12,
  rcvmore = 13,
  fd = 14,
  events = 15,
  type = 16,
  linger = 17,
  reconnect_ivl = 18,
  backlog = 19,
  reconnect_ivl_max = 21,
  maxmsgsize = 22,
  sndhwm = 23,
  rcvhwm = 24,
  rcvtimeo = 27,
  sndtimeo = 28,
  last_endpoint = 32,
  router_mandatory = 33,
  tcp_keepalive = 34,
  tcp_keepalive_cnt = 35,
  tcp_keepalive_idle = 36,
  tcp_keepalive_intvl = 37,
  tcp_accept_filter = 38,
  immediate = 39,
  xpub_verbose = 40,
  ipv6 = 42,
  mechanism = 43,
  plain_server = 44,
  plain_username = 45,
  plain_password = 46,
  curve_server = 47,
  curve_publickey = 48,
  curve_secretkey = 49,
  curve_serverkey = 50,
  probe_router = 51,
  req_correlate = 52,
  req_relaxed = 53,
  conflate = 54,
  zap_domain = 55,
  router_handover = 56,
  tos = 57,
  ipc_filter_pid = 58,
  ipc_filter_uid = 59,
  ipc_filter_gid = 60,
  connect_routing_id = 61,
  handshake_ivl = 66,
  xpub_nodrop = 69,
  xpub_manual = 71,
  xpub_welcome_msg = 72,
  stream_notify = 73,
  invert_matching = 74,
  heartbeat_ivl = 75,
  heartbeat_ttl = 76,
  heartbeat_timeout = 77,
  xpub_verboser = 78,
  connect_timeout = 79,
  tcp_maxrt = 80,
  thread_safe = 81,  // read-only: several threads may use the socket at once
  bindtodevice = 92,
  zap_enforce_domain = 93,
  router_notify = 97,
  xpub_manual_last_value = 98,
  // ringmq's own options, numbered from 1000 (libzmq's stop below 200).
  // PUB/XPUB: the most distinct topics one peer may subscribe to (default 65536), and with
  // it the memory they may hold (512 bytes a topic); a peer that goes over is disconnected
  // (monitor event limit_exceeded). -1: no limit, as in libzmq. A proxy's XPUB, whose
  // upstream peers carry all their subscribers' topics, may need more.
  xpub_max_subscriptions = 1000,
};

// How an option's value is represented.
enum class option_kind {
  integer,   // int64
  boolean,   // bool (0/1 through the integer interface)
  duration,  // milliseconds (int64 through the integer interface; negative = infinite)
  bytes,     // binary string
};

struct option_info {
  option id;
  std::string_view name;  // lower case, libzmq's name without the ZMQ_ prefix
  option_kind kind;
  bool readable;
  bool writable;
};

// Looks an option up by number or by name (case-insensitive, with or without "ZMQ_").
RINGMQ_API std::optional<option_info> find_option(option id) noexcept;
RINGMQ_API std::optional<option_info> find_option(std::string_view name) noexcept;

template <option Id, class T>
struct option_tag {
  static constexpr option id = Id;
  using value_type = T;
};

// Mechanism in use on a socket (read-only option `mechanism`).
enum class mechanism_kind : int { null = 0, plain = 1, curve = 2 };

// Bits of ROUTER_NOTIFY (libzmq's ZMQ_NOTIFY_CONNECT / ZMQ_NOTIFY_DISCONNECT): a ROUTER
// receives [routing id, empty frame] when a peer connects (its handshake is done) and/or
// after the last message of a peer that went away.
inline constexpr int router_notify_connect = 1;
inline constexpr int router_notify_disconnect = 2;

namespace opt {
using std::chrono::milliseconds;
inline constexpr option_tag<option::routing_id, std::string> routing_id{};
inline constexpr option_tag<option::subscribe, std::string> subscribe{};
inline constexpr option_tag<option::unsubscribe, std::string> unsubscribe{};
inline constexpr option_tag<option::sndbuf, int> sndbuf{};
inline constexpr option_tag<option::rcvbuf, int> rcvbuf{};
inline constexpr option_tag<option::rcvmore, bool> rcvmore{};
inline constexpr option_tag<option::fd, int> fd{};
inline constexpr option_tag<option::events, ringmq::events> events{};
inline constexpr option_tag<option::type, socket_type> type{};
inline constexpr option_tag<option::linger, milliseconds> linger{};
inline constexpr option_tag<option::reconnect_ivl, milliseconds> reconnect_ivl{};
inline constexpr option_tag<option::backlog, int> backlog{};
inline constexpr option_tag<option::reconnect_ivl_max, milliseconds> reconnect_ivl_max{};
inline constexpr option_tag<option::maxmsgsize, std::int64_t> maxmsgsize{};
inline constexpr option_tag<option::sndhwm, int> sndhwm{};
inline constexpr option_tag<option::rcvhwm, int> rcvhwm{};
inline constexpr option_tag<option::rcvtimeo, milliseconds> rcvtimeo{};
inline constexpr option_tag<option::sndtimeo, milliseconds> sndtimeo{};
inline constexpr option_tag<option::last_endpoint, std::string> last_endpoint{};
inline constexpr option_tag<option::router_mandatory, bool> router_mandatory{};
// tcp connections, made or accepted (libzmq's semantics): keep-alive probes on (1), off (0)
// or as the kernel decides (-1, the default); the other three apply only when it is not -1:
// probes before giving up (1..127), idle seconds before the first (1..32767), seconds
// between probes (1..32767), each -1 for the kernel's default.
inline constexpr option_tag<option::tcp_keepalive, int> tcp_keepalive{};
inline constexpr option_tag<option::tcp_keepalive_cnt, int> tcp_keepalive_cnt{};
inline constexpr option_tag<option::tcp_keepalive_idle, int> tcp_keepalive_idle{};
inline constexpr option_tag<option::tcp_keepalive_intvl, int> tcp_keepalive_intvl{};
// Write-only, repeatable: a tcp listener keeps an accepted connection only if the peer's
// address lies in one of these networks ("192.168.1.0/24", "::1"); the others are closed
// at once (monitor event accept_failed). Empty: removes every filter. Read at bind.
inline constexpr option_tag<option::tcp_accept_filter, std::string> tcp_accept_filter{};
inline constexpr option_tag<option::immediate, bool> immediate{};
inline constexpr option_tag<option::xpub_verbose, bool> xpub_verbose{};
inline constexpr option_tag<option::ipv6, bool> ipv6{};
inline constexpr option_tag<option::mechanism, mechanism_kind> mechanism{};
inline constexpr option_tag<option::thread_safe, bool> thread_safe{};
// Which of the context's I/O threads serve this socket's later binds and connects (and the
// connections they make): bit n for thread n; 0, the default, for any. A bind or connect
// whose mask names no thread fails with errc::no_io_thread (libzmq's EMTHREAD).
inline constexpr option_tag<option::affinity, std::int64_t> affinity{};
// SUB, PULL, DEALER: keep only the newest message received (recv returns it, dropping what
// came before; a multipart message is delivered whole). RCVHWM is then ignored: what
// arrives is queued until the next recv or events() conflates it, as libzmq documents.
// Set before bind/connect. PUB and PUSH refuse it (ringmq does not conflate outbound
// queues, libzmq does); other types ignore it, as libzmq's do.
inline constexpr option_tag<option::conflate, bool> conflate{};
inline constexpr option_tag<option::plain_server, bool> plain_server{};
inline constexpr option_tag<option::plain_username, std::string> plain_username{};
inline constexpr option_tag<option::plain_password, std::string> plain_password{};
inline constexpr option_tag<option::curve_server, bool> curve_server{};
inline constexpr option_tag<option::curve_publickey, std::string> curve_publickey{};
inline constexpr option_tag<option::curve_secretkey, std::string> curve_secretkey{};
inline constexpr option_tag<option::curve_serverkey, std::string> curve_serverkey{};
inline constexpr option_tag<option::probe_router, bool> probe_router{};
inline constexpr option_tag<option::req_correlate, bool> req_correlate{};
inline constexpr option_tag<option::req_relaxed, bool> req_relaxed{};
inline constexpr option_tag<option::zap_domain, std::string> zap_domain{};
inline constexpr option_tag<option::router_handover, bool> router_handover{};
// IP_TOS (and IPV6_TCLASS) of tcp listeners and connections, 0..255; 0: not set.
inline constexpr option_tag<option::tos, int> tos{};
// Write-only, repeatable: an ipc listener keeps an accepted connection only if the peer
// process (SO_PEERCRED) has one of these pids, uids or gids (a gid also matches members of
// that group); with none set every peer is kept. -1 removes every filter of that kind.
inline constexpr option_tag<option::ipc_filter_pid, std::int64_t> ipc_filter_pid{};
inline constexpr option_tag<option::ipc_filter_uid, std::int64_t> ipc_filter_uid{};
inline constexpr option_tag<option::ipc_filter_gid, std::int64_t> ipc_filter_gid{};
inline constexpr option_tag<option::connect_routing_id, std::string> connect_routing_id{};
inline constexpr option_tag<option::handshake_ivl, milliseconds> handshake_ivl{};
inline constexpr option_tag<option::xpub_nodrop, bool> xpub_nodrop{};
inline constexpr option_tag<option::xpub_manual, bool> xpub_manual{};
inline constexpr option_tag<option::xpub_welcome_msg, std::string> xpub_welcome_msg{};
// STREAM only, write-only: announce each connection's start and end to the application as
// [routing id, empty frame] (default true, as libzmq's ZMQ_STREAM_NOTIFY).
inline constexpr option_tag<option::stream_notify, bool> stream_notify{};
inline constexpr option_tag<option::invert_matching, bool> invert_matching{};
inline constexpr option_tag<option::heartbeat_ivl, milliseconds> heartbeat_ivl{};
inline constexpr option_tag<option::heartbeat_ttl, milliseconds> heartbeat_ttl{};
inline constexpr option_tag<option::heartbeat_timeout, milliseconds> heartbeat_timeout{};
inline constexpr option_tag<option::xpub_verboser, bool> xpub_verboser{};
inline constexpr option_tag<option::connect_timeout, milliseconds> connect_timeout{};
// TCP_USER_TIMEOUT of tcp connections: how long sent data may stay unacknowledged before
// the kernel drops the connection. 0 (the default): the kernel's.
inline constexpr option_tag<option::tcp_maxrt, milliseconds> tcp_maxrt{};
// SO_BINDTODEVICE of tcp sockets ("eth0", "vrf-blue"; at most 16 bytes; empty: none). Needs
// CAP_NET_RAW. A device that does not exist makes bind and connect fail with ENODEV.
inline constexpr option_tag<option::bindtodevice, std::string> bindtodevice{};
inline constexpr option_tag<option::zap_enforce_domain, bool> zap_enforce_domain{};
inline constexpr option_tag<option::router_notify, int> router_notify{};
inline constexpr option_tag<option::xpub_manual_last_value, bool> xpub_manual_last_value{};
inline constexpr option_tag<option::xpub_max_subscriptions, std::int64_t> xpub_max_subscriptions{};
}  // namespace opt

namespace detail {
// Conversions between typed option values and the two raw forms (int64 and bytes).
template <class T>
struct option_codec;
template <>
struct option_codec<int> {
  static constexpr bool is_bytes = false;
  static std::int64_t encode(int v) { return v; }
  static int decode(std::int64_t v) { return static_cast<int>(v); }
};
template <>
struct option_codec<std::int64_t> {
  static constexpr bool is_bytes = false;
  static std::int64_t encode(std::int64_t v) { return v; }
  static std::int64_t decode(std::int64_t v) { return v; }
};
template <>
struct option_codec<bool> {
  static constexpr bool is_bytes = false;
  static std::int64_t encode(bool v) { return v ? 1 : 0; }
  static bool decode(std::int64_t v) { return v != 0; }
};
template <>
struct option_codec<std::chrono::milliseconds> {
  static constexpr bool is_bytes = false;
  static std::int64_t encode(std::chrono::milliseconds v) { return v.count(); }
  static std::chrono::milliseconds decode(std::int64_t v) { return std::chrono::milliseconds(v); }
};
template <>
struct option_codec<socket_type> {
  static constexpr bool is_bytes = false;
  static socket_type decode(std::int64_t v) { return static_cast<socket_type>(v); }
};
template <>
struct option_codec<ringmq::events> {
  static constexpr bool is_bytes = false;
  static ringmq::events decode(std::int64_t v) { return static_cast<ringmq::events>(v); }
};
template <>
struct option_codec<mechanism_kind> {
  static constexpr bool is_bytes = false;
  static mechanism_kind decode(std::int64_t v) { return static_cast<mechanism_kind>(v); }
};
template <>
struct option_codec<std::string> {
  static constexpr bool is_bytes = true;
};
}  // namespace detail

}  // namespace ringmq
