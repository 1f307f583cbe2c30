// Errors: expected outcomes (would-block, timeouts) are values at the API; real failures are
// std::error_code values in ringmq's category or the generic (errno) category, thrown as
// ringmq::error where the caller chose the throwing overload.
#pragma once

#include <ringmq/export.hpp>

#include <string>
#include <system_error>

namespace ringmq {

// Conditions specific to ringmq. Conditions that POSIX already names (EINVAL, EHOSTUNREACH,
// EADDRINUSE, ENOTSUP, ...) are reported in std::generic_category() instead.
enum class errc {
  invalid_state = 1,         // operation not allowed in the socket's state (libzmq EFSM)
  context_terminated,        // the context was shut down (libzmq ETERM)
  unknown_option,            // no option with that id or name
  wrong_option_type,         // option exists but takes another value type
  invalid_option_value,      // value out of range or malformed
  invalid_endpoint,          // endpoint string cannot be parsed
  unsupported_transport,     // scheme is not tcp, ipc or inproc
  incompatible_socket_type,  // peer socket type cannot talk to this one
  endpoint_not_found,        // unbind/disconnect of an endpoint never bound/connected
  not_supported,             // socket type does not support this operation (e.g. recv on PUSH)
  socket_closed,             // the socket object was closed or moved from
  no_io_thread,              // AFFINITY names none of the context's I/O threads (libzmq EMTHREAD)
};

RINGMQ_API const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), error_category()}; }

// Thrown by the throwing overloads. what() carries the operation and its argument, e.g.
// "bind tcp://127.0.0.1:80: Permission denied".
class RINGMQ_API error : public std::system_error {
 public:
  error(std::error_code code, const std::string& context);
  ~error() override;
};

}  // namespace ringmq

template <>
struct std::is_error_code_enum<ringmq::errc> : std::true_type {};
