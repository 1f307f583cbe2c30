// ringmq's error category and exception type.
#include <ringmq/error.hpp>

namespace ringmq {

namespace {

class category final : public std::error_category {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "ringmq"; }
  [[nodiscard]] std::string message(int code) const override {
    switch (static_cast<errc>(code)) {
      case errc::invalid_state: return "operation not allowed in the socket's current state";
      case errc::context_terminated: return "context was terminated";
      case errc::unknown_option: return "unknown option";
      case errc::wrong_option_type: return "option value has the wrong type";
      case errc::invalid_option_value: return "invalid option value";
      case errc::invalid_endpoint: return "invalid endpoint";
      case errc::unsupported_transport: return "unsupported transport";
      case errc::incompatible_socket_type: return "incompatible socket type";
      case errc::endpoint_not_found: return "endpoint not bound or connected";
      case errc::not_supported: return "operation not supported by this socket type";
      case errc::socket_closed: return "socket is closed";
      case errc::no_io_thread: return "the socket's AFFINITY names none of the context's I/O threads";
    }
    return "unknown ringmq error";
  }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const category instance;
  return instance;
}

error::error(std::error_code code, const std::string& context) : std::system_error(code, context) {}
error::~error() = default;

}  // namespace ringmq
