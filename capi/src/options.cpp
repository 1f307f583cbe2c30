// zmq_setsockopt / zmq_getsockopt: libzmq's value forms over ringmq's typed options.
//
// ringmq decides which options exist, who may read or write them and which values are
// valid (ringmq::find_option, socket::set_option), so options it gains later appear here
// without change. This file knows how libzmq passes each option's value (an int, an int64,
// bytes, NUL-terminated text on reading, or a CURVE key of 32 bytes or Z85 text), and what
// libzmq answers for the options ringmq has not got:
//  - multicast tuning (RATE, RECOVERY_IVL, MULTICAST_HOPS, MULTICAST_MAXTPDU, MULTICAST_LOOP)
//    and LOOPBACK_FASTPATH (Windows only) are stored and read back, and have no effect, as
//    in a libzmq on Linux without pgm/norm/udp traffic;
//  - features ringmq lacks (USE_FD, SOCKS_PROXY, ...) read back as libzmq's default, which is
//    what the socket does; setting the default is accepted, any other value is EINVAL;
//  - anything else is EINVAL, as libzmq answers for an option it does not know.
// The table of what is not supported is in docs/c-abi.md.
#include "handles.hpp"

#include <cstring>

namespace ringmq::capi {

namespace {

enum class form {
  int32,  // int
  int64,  // int64_t
  bytes,  // binary, returned as is
  text,   // binary when set, returned with a NUL
  key,    // 32 bytes, or 40 Z85 characters (41 with a NUL)
};

// How libzmq 4.3 passes each option's value, for the options whose value is not an int.
form form_of(int option) noexcept {
  switch (option) {
    case ZMQ_MAXMSGSIZE:
    case ZMQ_AFFINITY:
    case ZMQ_VMCI_BUFFER_SIZE:
    case ZMQ_VMCI_BUFFER_MIN_SIZE:
    case ZMQ_VMCI_BUFFER_MAX_SIZE: return form::int64;
    case ZMQ_ROUTING_ID:
    case ZMQ_SUBSCRIBE:
    case ZMQ_UNSUBSCRIBE:
    case ZMQ_CONNECT_ROUTING_ID:
    case ZMQ_TCP_ACCEPT_FILTER:
    case ZMQ_XPUB_WELCOME_MSG:
    case 110:  // ZMQ_HELLO_MSG (draft)
    case 111:  // ZMQ_DISCONNECT_MSG (draft)
      return form::bytes;
    case ZMQ_LAST_ENDPOINT:
    case ZMQ_PLAIN_USERNAME:
    case ZMQ_PLAIN_PASSWORD:
    case ZMQ_ZAP_DOMAIN:
    case ZMQ_SOCKS_PROXY:
    case ZMQ_BINDTODEVICE:
    case ZMQ_GSSAPI_PRINCIPAL:
    case ZMQ_GSSAPI_SERVICE_PRINCIPAL:
    case 95:   // ZMQ_METADATA (draft)
    case 99:   // ZMQ_SOCKS_USERNAME (draft)
    case 100:  // ZMQ_SOCKS_PASSWORD (draft)
      return form::text;
    case ZMQ_CURVE_PUBLICKEY:
    case ZMQ_CURVE_SECRETKEY:
    case ZMQ_CURVE_SERVERKEY: return form::key;
    default: return form::int32;
  }
}

// Options ringmq has not got, and how this layer answers for them.
enum class stand_in {
  stored,        // kept per socket and read back; no effect (nothing here uses them)
  default_only,  // reads libzmq's default; only the default may be set
};

struct missing_option {
  int id;
  stand_in kind;
  std::int64_t default_value;
  std::int64_t min_value;  // stored options: smallest valid value
};

// libzmq 4.3's defaults and value checks (text options: empty default, checked by form).
constexpr missing_option missing_options[] = {
    {ZMQ_RATE, stand_in::stored, 100, 1},
    {ZMQ_RECOVERY_IVL, stand_in::stored, 10000, 0},
    {ZMQ_MULTICAST_HOPS, stand_in::stored, 1, 1},
    {ZMQ_MULTICAST_MAXTPDU, stand_in::stored, 1500, 1},
    {96, stand_in::stored, 1, 0},  // ZMQ_MULTICAST_LOOP (draft): 0 or 1
    {94, stand_in::stored, 0, 0},  // ZMQ_LOOPBACK_FASTPATH (draft, Windows only): 0 or 1
    {ZMQ_USE_FD, stand_in::default_only, -1, 0},
    {ZMQ_SOCKS_PROXY, stand_in::default_only, 0, 0},
};

const missing_option* find_missing(int option) noexcept {
  for (const auto& m : missing_options)
    if (m.id == option) return &m;
  return nullptr;
}

bool is_boolean_option(int option) noexcept { return option == 96 || option == 94; }

// Copies `value` out as libzmq's do_getsockopt does: the buffer must hold it, the rest of
// the buffer is zeroed, and *optvallen becomes its length.
int put_value(void* optval, size_t* optvallen, const void* value, size_t size) {
  if (*optvallen < size) return fail(EINVAL);
  if (size != 0) std::memcpy(optval, value, size);
  std::memset(static_cast<char*>(optval) + size, 0, *optvallen - size);
  *optvallen = size;
  return 0;
}

int put_int(void* optval, size_t* optvallen, int value) {
  return put_value(optval, optvallen, &value, sizeof value);
}

// An integer option's value as libzmq passes it (int, or int64 for `form::int64`).
bool read_int_value(int option, const void* optval, size_t optvallen, std::int64_t& value) {
  if (optval == nullptr) return false;
  if (form_of(option) == form::int64) {
    if (optvallen != sizeof(std::int64_t)) return false;
    std::memcpy(&value, optval, sizeof value);
    return true;
  }
  int v = 0;
  if (optvallen != sizeof v) return false;
  std::memcpy(&v, optval, sizeof v);
  value = v;
  return true;
}

int write_int_value(int option, void* optval, size_t* optvallen, std::int64_t value) {
  if (form_of(option) == form::int64) {
    if (*optvallen != sizeof value) return fail(EINVAL);
    std::memcpy(optval, &value, sizeof value);
    return 0;
  }
  if (*optvallen != sizeof(int)) return fail(EINVAL);
  const int v = static_cast<int>(value);
  std::memcpy(optval, &v, sizeof v);
  return 0;
}

int set_missing(socket_handle& s, const missing_option& m, const void* optval, size_t optvallen) {
  if (form_of(m.id) == form::text) {
    // Only the default, no value at all, may be set.
    if (optvallen != 0 && !(optvallen == 1 && static_cast<const char*>(optval)[0] == '\0'))
      return fail(EINVAL);
    return 0;
  }
  std::int64_t value = 0;
  if (!read_int_value(m.id, optval, optvallen, value)) return fail(EINVAL);
  if (m.kind == stand_in::default_only) return value == m.default_value ? 0 : fail(EINVAL);
  if (value < m.min_value || (is_boolean_option(m.id) && value > 1)) return fail(EINVAL);
  s.stored_options[m.id] = value;
  return 0;
}

int get_missing(socket_handle& s, const missing_option& m, void* optval, size_t* optvallen) {
  if (form_of(m.id) == form::text) return put_value(optval, optvallen, "", 1);
  std::int64_t value = m.default_value;
  if (const auto it = s.stored_options.find(m.id); it != s.stored_options.end()) value = it->second;
  return write_int_value(m.id, optval, optvallen, value);
}

// IPC_FILTER_PID / _UID / _GID: a pid_t, uid_t or gid_t adds a filter; NULL with length 0
// removes that kind's filters (ringmq's -1). Ids are unsigned: a uid past INT_MAX arrives
// as a negative int and is read back as the uid_t it is.
int set_ipc_filter(socket_handle& s, ringmq::option id, const void* optval, size_t optvallen) {
  std::int64_t value = -1;
  if (optval != nullptr || optvallen != 0) {
    if (optval == nullptr || optvallen != sizeof(std::uint32_t)) return fail(EINVAL);
    if (id == ringmq::option::ipc_filter_pid) {
      std::int32_t pid = 0;
      std::memcpy(&pid, optval, sizeof pid);
      if (pid < 0) return fail(EINVAL);  // no process has one (libzmq keeps it, unmatched)
      value = pid;
    } else {
      std::uint32_t id_value = 0;
      std::memcpy(&id_value, optval, sizeof id_value);
      value = id_value;
    }
  }
  std::error_code ec;
  s.sock.set_option(id, value, ec);
  return ec ? fail(ec) : 0;
}

// libzmq's "strict" text options (TCP_ACCEPT_FILTER, BINDTODEVICE): NULL with length 0 is
// the empty value (clears); an empty value at a real pointer is EINVAL.
bool is_strict_text(int option) noexcept {
  return option == ZMQ_TCP_ACCEPT_FILTER || option == ZMQ_BINDTODEVICE;
}

// ringmq reports an option the socket type has not got as not_supported; libzmq's answer is
// EINVAL.
int fail_option(const std::error_code& ec) { return ec == errc::not_supported ? fail(EINVAL) : fail(ec); }

int set_option(socket_handle& s, int option, const void* optval, size_t optvallen) {
  // Options this layer answers itself.
  if (option == ZMQ_IPV4ONLY) {
    // The inverse of IPV6, kept for older programs.
    int v = 0;
    if (optval == nullptr || optvallen != sizeof v) return fail(EINVAL);
    std::memcpy(&v, optval, sizeof v);
    if (v != 0 && v != 1) return fail(EINVAL);
    v = 1 - v;
    std::error_code ec;
    s.sock.set_option(ringmq::option::ipv6, std::int64_t{v}, ec);
    return ec ? fail(ec) : 0;
  }
  const auto info = ringmq::find_option(static_cast<ringmq::option>(option));
  if (!info) {
    if (const missing_option* m = find_missing(option)) return set_missing(s, *m, optval, optvallen);
    return fail(EINVAL);
  }
  if (!info->writable) return fail(EINVAL);
  if (option == ZMQ_IPC_FILTER_PID || option == ZMQ_IPC_FILTER_UID || option == ZMQ_IPC_FILTER_GID)
    return set_ipc_filter(s, info->id, optval, optvallen);

  std::error_code ec;
  if (info->kind == ringmq::option_kind::bytes) {
    if (optval == nullptr && optvallen != 0) return fail(EINVAL);
    if (is_strict_text(option) && optval != nullptr && optvallen == 0) return fail(EINVAL);
    std::string_view value(static_cast<const char*>(optval), optvallen);
    if (option == ZMQ_TCP_ACCEPT_FILTER) {
      // libzmq parses the filter as a C string: a terminating NUL, or anything after an
      // embedded one, is ignored; a filter that is empty as a C string is EINVAL.
      value = value.substr(0, value.find('\0'));
      if (value.empty() && optvallen != 0) return fail(EINVAL);
    }
    // A Z85 key may come with its terminating NUL, as zmq_curve_keypair writes it.
    if (form_of(option) == form::key && value.size() == 41 && value.back() == '\0') value.remove_suffix(1);
    s.sock.set_option(info->id, value, ec);
  } else {
    std::int64_t value = 0;
    // ringmq's own options (numbered from 1000) take an int or an int64.
    const bool own = option >= 1000 && optvallen == sizeof(std::int64_t) && optval != nullptr;
    if (own)
      std::memcpy(&value, optval, sizeof value);
    else if (!read_int_value(option, optval, optvallen, value))
      return fail(EINVAL);
    s.sock.set_option(info->id, value, ec);
  }
  return ec ? fail_option(ec) : 0;
}

int get_option(socket_handle& s, int option, void* optval, size_t* optvallen) {
  switch (option) {
    case ZMQ_FD:
      // libzmq: a thread-safe socket has no descriptor (zmq_poller waits on it instead).
      if (s.sock.get(ringmq::opt::thread_safe)) return fail(EINVAL);
      return put_int(optval, optvallen, s.events_fd());
    case ZMQ_EVENTS: return put_int(optval, optvallen, s.events());
    case ZMQ_RCVMORE: return put_int(optval, optvallen, s.sock.get(ringmq::opt::rcvmore) ? 1 : 0);
    case ZMQ_THREAD_SAFE: return put_int(optval, optvallen, s.sock.get(ringmq::opt::thread_safe) ? 1 : 0);
    case ZMQ_IPV4ONLY:
      if (*optvallen != sizeof(int)) return fail(EINVAL);
      return put_int(optval, optvallen, s.sock.get(ringmq::opt::ipv6) ? 0 : 1);
    default: break;
  }
  const auto info = ringmq::find_option(static_cast<ringmq::option>(option));
  if (!info) {
    if (const missing_option* m = find_missing(option)) return get_missing(s, *m, optval, optvallen);
    return fail(EINVAL);
  }
  if (!info->readable) return fail(EINVAL);

  if (info->kind == ringmq::option_kind::bytes) {
    std::string value;
    try {
      value = s.sock.get_bytes_option(info->id);
    } catch (const ringmq::error& e) {
      return fail_option(e.code());
    }
    switch (form_of(option)) {
      case form::text: return put_value(optval, optvallen, value.c_str(), value.size() + 1);
      case form::key: {
        // 32 bytes, or Z85 text with its NUL, chosen by the buffer's size (as libzmq).
        value.resize(32, '\0');  // a key never set reads as zeros
        if (*optvallen == 32) {
          std::memcpy(optval, value.data(), 32);
        } else if (*optvallen == 41) {
          const auto text = ringmq::z85_encode(std::as_bytes(std::span(value.data(), value.size())));
          std::memcpy(optval, text->c_str(), 41);
        } else {
          return fail(EINVAL);
        }
        return 0;
      }
      default: return put_value(optval, optvallen, value.data(), value.size());
    }
  }
  std::int64_t value = 0;
  try {
    value = s.sock.get_int_option(info->id);
  } catch (const ringmq::error& e) {
    return fail_option(e.code());
  }
  if (option >= 1000 && *optvallen == sizeof value) {
    std::memcpy(optval, &value, sizeof value);
    return 0;
  }
  return write_int_value(option, optval, optvallen, value);
}

}  // namespace

}  // namespace ringmq::capi

using ringmq::capi::socket_handle;

extern "C" {

int zmq_setsockopt(void* socket, int option, const void* optval, size_t optvallen) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  if (s->owner.is_shut_down()) return ringmq::capi::fail(ETERM);
  return ringmq::capi::guarded(-1, [&] { return ringmq::capi::set_option(*s, option, optval, optvallen); });
}

int zmq_getsockopt(void* socket, int option, void* optval, size_t* optvallen) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  if (optval == nullptr || optvallen == nullptr) return ringmq::capi::fail(EFAULT);
  if (s->owner.is_shut_down()) return ringmq::capi::fail(ETERM);
  return ringmq::capi::guarded(-1, [&] { return ringmq::capi::get_option(*s, option, optval, optvallen); });
}

}  // extern "C"
