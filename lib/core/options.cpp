// The option table (names, kinds, access) and the generic option setters and getters.
#include "core/key_decoder.hpp"
#include "core/socket_options.hpp"
#include "core/socket_type_table.hpp"

#include <ringmq/error.hpp>

#include <string.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace ringmq {

namespace {

using kind = option_kind;
constexpr bool rw = true;

// Sized by its rows (a count written by hand once left a value-initialised row behind).
constexpr auto option_table = std::to_array<option_info>({
    {option::affinity, "affinity", kind::integer, rw, rw},
    {option::routing_id, "routing_id", kind::bytes, rw, rw},
    {option::subscribe, "subscribe", kind::bytes, false, rw},
    {option::unsubscribe, "unsubscribe", kind::bytes, false, rw},
    {option::sndbuf, "sndbuf", kind::integer, rw, rw},
    {option::rcvbuf, "rcvbuf", kind::integer, rw, rw},
    {option::rcvmore, "rcvmore", kind::boolean, rw, false},
    {option::fd, "fd", kind::integer, rw, false},
    {option::events, "events", kind::integer, rw, false},
    {option::type, "type", kind::integer, rw, false},
    {option::linger, "linger", kind::duration, rw, rw},
    {option::reconnect_ivl, "reconnect_ivl", kind::duration, rw, rw},
    {option::backlog, "backlog", kind::integer, rw, rw},
    {option::reconnect_ivl_max, "reconnect_ivl_max", kind::duration, rw, rw},
    {option::maxmsgsize, "maxmsgsize", kind::integer, rw, rw},
    {option::sndhwm, "sndhwm", kind::integer, rw, rw},
    {option::rcvhwm, "rcvhwm", kind::integer, rw, rw},
    {option::rcvtimeo, "rcvtimeo", kind::duration, rw, rw},
    {option::sndtimeo, "sndtimeo", kind::duration, rw, rw},
    {option::last_endpoint, "last_endpoint", kind::bytes, rw, false},
    {option::router_mandatory, "router_mandatory", kind::boolean, false, rw},
    {option::tcp_keepalive, "tcp_keepalive", kind::integer, rw, rw},
    {option::tcp_keepalive_cnt, "tcp_keepalive_cnt", kind::integer, rw, rw},
    {option::tcp_keepalive_idle, "tcp_keepalive_idle", kind::integer, rw, rw},
    {option::tcp_keepalive_intvl, "tcp_keepalive_intvl", kind::integer, rw, rw},
    {option::tcp_accept_filter, "tcp_accept_filter", kind::bytes, false, rw},
    {option::immediate, "immediate", kind::boolean, rw, rw},
    {option::xpub_verbose, "xpub_verbose", kind::boolean, false, rw},
    {option::ipv6, "ipv6", kind::boolean, rw, rw},
    {option::mechanism, "mechanism", kind::integer, rw, false},
    {option::plain_server, "plain_server", kind::boolean, rw, rw},
    {option::plain_username, "plain_username", kind::bytes, rw, rw},
    {option::plain_password, "plain_password", kind::bytes, rw, rw},
    {option::curve_server, "curve_server", kind::boolean, rw, rw},
    {option::curve_publickey, "curve_publickey", kind::bytes, rw, rw},
    {option::curve_secretkey, "curve_secretkey", kind::bytes, rw, rw},
    {option::curve_serverkey, "curve_serverkey", kind::bytes, rw, rw},
    {option::probe_router, "probe_router", kind::boolean, false, rw},
    {option::req_correlate, "req_correlate", kind::boolean, false, rw},
    {option::req_relaxed, "req_relaxed", kind::boolean, false, rw},
    {option::conflate, "conflate", kind::boolean, rw, rw},
    {option::zap_domain, "zap_domain", kind::bytes, rw, rw},
    {option::router_handover, "router_handover", kind::boolean, false, rw},
    {option::tos, "tos", kind::integer, rw, rw},
    {option::ipc_filter_pid, "ipc_filter_pid", kind::integer, false, rw},
    {option::ipc_filter_uid, "ipc_filter_uid", kind::integer, false, rw},
    {option::ipc_filter_gid, "ipc_filter_gid", kind::integer, false, rw},
    {option::connect_routing_id, "connect_routing_id", kind::bytes, false, rw},
    {option::handshake_ivl, "handshake_ivl", kind::duration, rw, rw},
    {option::xpub_nodrop, "xpub_nodrop", kind::boolean, false, rw},
    {option::xpub_manual, "xpub_manual", kind::boolean, false, rw},
    {option::xpub_welcome_msg, "xpub_welcome_msg", kind::bytes, false, rw},
    {option::stream_notify, "stream_notify", kind::boolean, false, rw},
    {option::invert_matching, "invert_matching", kind::boolean, rw, rw},
    {option::heartbeat_ivl, "heartbeat_ivl", kind::duration, rw, rw},
    {option::heartbeat_ttl, "heartbeat_ttl", kind::duration, rw, rw},
    {option::heartbeat_timeout, "heartbeat_timeout", kind::duration, rw, rw},
    {option::xpub_verboser, "xpub_verboser", kind::boolean, false, rw},
    {option::connect_timeout, "connect_timeout", kind::duration, rw, rw},
    {option::tcp_maxrt, "tcp_maxrt", kind::duration, rw, rw},
    {option::thread_safe, "thread_safe", kind::boolean, rw, false},
    {option::bindtodevice, "bindtodevice", kind::bytes, rw, rw},
    {option::zap_enforce_domain, "zap_enforce_domain", kind::boolean, rw, rw},
    {option::router_notify, "router_notify", kind::integer, rw, rw},
    {option::xpub_manual_last_value, "xpub_manual_last_value", kind::boolean, false, rw},
    {option::xpub_max_subscriptions, "xpub_max_subscriptions", kind::integer, rw, rw},
});

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::optional<option_info> find_option(option id) noexcept {
  for (const auto& info : option_table)
    if (info.id == id) return info;
  return std::nullopt;
}

std::optional<option_info> find_option(std::string_view name) noexcept {
  if (name.size() > 4 && same_name(name.substr(0, 4), "zmq_")) name.remove_prefix(4);
  for (const auto& info : option_table)
    if (same_name(info.name, name)) return info;
  return std::nullopt;
}

}  // namespace ringmq

namespace ringmq::detail {

namespace {

std::error_code invalid() { return make_error_code(errc::invalid_option_value); }

// Durations: -1 (infinite) or any non-negative number of milliseconds.
std::error_code set_duration(milliseconds& field, std::int64_t value, bool allow_infinite) {
  if (value < (allow_infinite ? -1 : 0) || value > std::int64_t{1} << 40) return invalid();
  field = milliseconds(value);
  return {};
}

std::error_code set_int(int& field, std::int64_t value, std::int64_t min) {
  if (value < min || value > 0x7fffffff) return invalid();
  field = static_cast<int>(value);
  return {};
}

// -1 (leave it to the kernel) or a value the kernel takes. libzmq accepts any value >= -1
// and then fails every connection whose setsockopt the kernel refuses; refusing it here
// says so at once.
std::error_code set_kernel_int(int& field, std::int64_t value, std::int64_t max) {
  if (value != -1 && (value < 1 || value > max)) return invalid();
  field = static_cast<int>(value);
  return {};
}

// Adds a peer filter, or (-1) removes them all.
std::error_code add_filter(std::vector<std::int64_t>& filters, std::int64_t value, std::int64_t max) {
  if (value == -1) {
    filters.clear();
    return {};
  }
  if (value < 0 || value > max) return invalid();
  filters.push_back(value);
  return {};
}

std::error_code set_bool(bool& field, std::int64_t value) {
  if (value != 0 && value != 1) return invalid();
  field = value != 0;
  return {};
}

template <class Field>
std::error_code set_key(Field& field, std::string_view value) {
  std::string binary;
  const bool ok = decode_curve_key(value, binary);
  if (ok) field = std::string_view(binary);
  ::explicit_bzero(binary.data(), binary.capacity());  // may hold a secret key
  return ok ? std::error_code() : invalid();
}

}  // namespace

std::error_code check_option_kind(option id, bool bytes_form) {
  const auto info = find_option(id);
  if (!info) return make_error_code(errc::unknown_option);
  if ((info->kind == option_kind::bytes) != bytes_form) return make_error_code(errc::wrong_option_type);
  return {};
}

mechanism_kind socket_options::mechanism() const noexcept {
  if (curve_server || !curve_serverkey.empty()) return mechanism_kind::curve;
  if (plain_server || !plain_username.empty()) return mechanism_kind::plain;
  return mechanism_kind::null;
}

std::error_code socket_options::set(option id, std::int64_t value) {
  if (auto ec = check_option_kind(id, false)) return ec;
  switch (id) {
    case option::sndhwm: return set_int(sndhwm, value, 0);
    case option::rcvhwm: return set_int(rcvhwm, value, 0);
    case option::conflate: return set_bool(conflate, value);
    case option::affinity: affinity = static_cast<std::uint64_t>(value); return {};
    case option::linger: return set_duration(linger, value, true);
    case option::sndtimeo: return set_duration(sndtimeo, value, true);
    case option::rcvtimeo: return set_duration(rcvtimeo, value, true);
    case option::reconnect_ivl: return set_duration(reconnect_ivl, value, true);
    case option::reconnect_ivl_max: return set_duration(reconnect_ivl_max, value, false);
    case option::handshake_ivl: return set_duration(handshake_ivl, value, false);
    case option::heartbeat_ivl: return set_duration(heartbeat_ivl, value, false);
    case option::heartbeat_timeout: return set_duration(heartbeat_timeout, value, true);
    case option::heartbeat_ttl:
      // Sent in deciseconds in a 16-bit field (rfc 37).
      if (value > 6553599) return invalid();
      return set_duration(heartbeat_ttl, value, false);
    case option::connect_timeout: return set_duration(connect_timeout, value, false);
    case option::sndbuf: return set_int(sndbuf, value, -1);
    case option::rcvbuf: return set_int(rcvbuf, value, -1);
    case option::backlog: return set_int(backlog, value, 0);
    case option::maxmsgsize:
      if (value < -1) return invalid();
      maxmsgsize = value;
      return {};
    case option::immediate: return set_bool(immediate, value);
    case option::invert_matching: return set_bool(invert_matching, value);
    case option::stream_notify:
      // STREAM's alone (libzmq: EINVAL elsewhere); a generic option because the sessions,
      // which make the notifications, copy the socket's options.
      if (!row_of(type).raw_wire) return make_error_code(errc::unknown_option);
      return set_bool(stream_notify, value);
    case option::ipv6: return set_bool(ipv6, value);
    case option::tcp_keepalive:
      if (value < -1 || value > 1) return invalid();
      tcp_keepalive = static_cast<int>(value);
      return {};
    // Linux's bounds (MAX_TCP_KEEPCNT, MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL).
    case option::tcp_keepalive_cnt: return set_kernel_int(tcp_keepalive_cnt, value, 127);
    case option::tcp_keepalive_idle: return set_kernel_int(tcp_keepalive_idle, value, 32767);
    case option::tcp_keepalive_intvl: return set_kernel_int(tcp_keepalive_intvl, value, 32767);
    case option::tcp_maxrt:
      if (value > 0x7fffffff) return invalid();  // TCP_USER_TIMEOUT is an int
      return set_duration(tcp_maxrt, value, false);
    case option::tos:
      // One byte in the IP header; libzmq takes any int >= 0 and the kernel truncates it.
      if (value < 0 || value > 255) return invalid();
      tos = static_cast<int>(value);
      return {};
    case option::ipc_filter_pid: return add_filter(ipc_filter_pids, value, 0x7fffffff);
    case option::ipc_filter_uid: return add_filter(ipc_filter_uids, value, 0xffffffff);
    case option::ipc_filter_gid: return add_filter(ipc_filter_gids, value, 0xffffffff);
    case option::plain_server:
      if (auto ec = set_bool(plain_server, value)) return ec;
      if (plain_server) curve_server = false;
      return {};
    case option::curve_server:
      if (auto ec = set_bool(curve_server, value)) return ec;
      if (curve_server) plain_server = false;
      return {};
    case option::zap_enforce_domain: return set_bool(zap_enforce_domain, value);
    case option::rcvmore:
    case option::fd:
    case option::events:
    case option::type:
    case option::mechanism: return make_error_code(errc::invalid_option_value);  // read-only
    default: return make_error_code(errc::unknown_option);
  }
}

std::error_code socket_options::set(option id, std::string_view value) {
  if (auto ec = check_option_kind(id, true)) return ec;
  switch (id) {
    case option::routing_id:
      // rfc 23: an Identity is 1..255 bytes and may not start with a zero byte (reserved
      // for generated ids).
      if (value.size() > 255 || (!value.empty() && value[0] == '\0')) return invalid();
      routing_id = value;
      return {};
    case option::plain_username:
      if (value.size() > 255) return invalid();
      plain_username = value;
      return {};
    case option::plain_password:
      if (value.size() > 255) return invalid();
      plain_password.assign(value);
      return {};
    case option::curve_publickey: return set_key(curve_publickey, value);
    case option::curve_secretkey: return set_key(curve_secretkey, value);
    case option::curve_serverkey: return set_key(curve_serverkey, value);
    case option::zap_domain:
      if (value.size() > 255) return invalid();
      zap_domain = value;
      return {};
    case option::connect_routing_id:
      if (value.size() > 255) return invalid();
      connect_routing_id = value;
      return {};
    case option::tcp_accept_filter: {
      if (value.empty()) {
        tcp_accept_filters.clear();
        return {};
      }
      address_mask mask;
      if (value.size() > 255 || !address_mask::parse(value, ipv6, mask)) return invalid();
      tcp_accept_filters.push_back(mask);
      return {};
    }
    case option::bindtodevice:
      if (value.size() > 16) return invalid();  // IFNAMSIZ, as libzmq
      bindtodevice = value;
      return {};
    case option::last_endpoint: return make_error_code(errc::invalid_option_value);  // read-only
    default: return make_error_code(errc::unknown_option);
  }
}

std::error_code socket_options::get(option id, std::int64_t& value) const {
  if (auto ec = check_option_kind(id, false)) return ec;
  switch (id) {
    case option::sndhwm: value = sndhwm; return {};
    case option::rcvhwm: value = rcvhwm; return {};
    case option::conflate: value = conflate; return {};
    case option::affinity: value = static_cast<std::int64_t>(affinity); return {};
    case option::linger: value = linger.count(); return {};
    case option::sndtimeo: value = sndtimeo.count(); return {};
    case option::rcvtimeo: value = rcvtimeo.count(); return {};
    case option::reconnect_ivl: value = reconnect_ivl.count(); return {};
    case option::reconnect_ivl_max: value = reconnect_ivl_max.count(); return {};
    case option::handshake_ivl: value = handshake_ivl.count(); return {};
    case option::heartbeat_ivl: value = heartbeat_ivl.count(); return {};
    case option::heartbeat_timeout: value = heartbeat_timeout.count(); return {};
    case option::heartbeat_ttl: value = heartbeat_ttl.count(); return {};
    case option::connect_timeout: value = connect_timeout.count(); return {};
    case option::sndbuf: value = sndbuf; return {};
    case option::rcvbuf: value = rcvbuf; return {};
    case option::backlog: value = backlog; return {};
    case option::maxmsgsize: value = maxmsgsize; return {};
    case option::immediate: value = immediate; return {};
    case option::invert_matching: value = invert_matching; return {};
    case option::ipv6: value = ipv6; return {};
    case option::tcp_keepalive: value = tcp_keepalive; return {};
    case option::tcp_keepalive_cnt: value = tcp_keepalive_cnt; return {};
    case option::tcp_keepalive_idle: value = tcp_keepalive_idle; return {};
    case option::tcp_keepalive_intvl: value = tcp_keepalive_intvl; return {};
    case option::tcp_maxrt: value = tcp_maxrt.count(); return {};
    case option::tos: value = tos; return {};
    case option::plain_server: value = plain_server; return {};
    case option::curve_server: value = curve_server; return {};
    case option::zap_enforce_domain: value = zap_enforce_domain; return {};
    case option::type: value = static_cast<int>(type); return {};
    case option::mechanism: value = static_cast<int>(mechanism()); return {};
    default: return make_error_code(errc::unknown_option);
  }
}

std::error_code socket_options::get(option id, std::string& value) const {
  if (auto ec = check_option_kind(id, true)) return ec;
  switch (id) {
    case option::routing_id: value = routing_id; return {};
    case option::plain_username: value = plain_username; return {};
    case option::plain_password: value = plain_password.str(); return {};
    case option::curve_publickey: value = curve_publickey; return {};
    case option::curve_secretkey: value = curve_secretkey.str(); return {};
    case option::curve_serverkey: value = curve_serverkey; return {};
    case option::zap_domain: value = zap_domain; return {};
    case option::bindtodevice: value = bindtodevice; return {};
    default: return make_error_code(errc::unknown_option);
  }
}

}  // namespace ringmq::detail
