// zmq_errno, zmq_strerror, and the mapping from ringmq's errors to libzmq's errno values.
#include "handles.hpp"

#include <array>
#include <cstdio>
#include <cstring>

namespace ringmq::capi {

int errno_of(const std::error_code& ec) noexcept {
  if (ec.category() == ringmq::error_category()) {
    switch (static_cast<ringmq::errc>(ec.value())) {
      case errc::invalid_state: return EFSM;
      case errc::context_terminated: return ETERM;
      case errc::unknown_option:
      case errc::wrong_option_type:
      case errc::invalid_option_value:
      case errc::invalid_endpoint: return EINVAL;
      case errc::unsupported_transport: return EPROTONOSUPPORT;
      case errc::incompatible_socket_type: return ENOCOMPATPROTO;
      case errc::endpoint_not_found: return ENOENT;
      case errc::not_supported: return ENOTSUP;
      case errc::socket_closed: return ENOTSOCK;
      case errc::no_io_thread: return EMTHREAD;
    }
    return EINVAL;
  }
  // The generic and system categories hold errno values on Linux.
  return ec.value();
}

}  // namespace ringmq::capi

extern "C" {

int zmq_errno(void) { return errno; }

const char* zmq_strerror(int errnum) {
  // libzmq's own numbers, worded as libzmq words them; the rest are the C library's.
  switch (errnum) {
    case EFSM: return "Operation cannot be accomplished in current state";
    case ENOCOMPATPROTO: return "The protocol is not compatible with the socket type";
    case ETERM: return "Context was terminated";
    case EMTHREAD: return "No thread available";
    default: {
      // strerrordesc_np, unlike strerror, writes no shared buffer: callable from any thread.
      const char* text = ::strerrordesc_np(errnum);
      if (text != nullptr) return text;
      // As strerror words it ("Unknown error 98765"), in a buffer of this thread's own.
      thread_local std::array<char, 32> unknown{};
      std::snprintf(unknown.data(), unknown.size(), "Unknown error %d", errnum);
      return unknown.data();
    }
  }
}

}  // extern "C"
