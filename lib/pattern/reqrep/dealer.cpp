#include "pattern/reqrep/dealer.hpp"

#include "core/status.hpp"
#include "pattern/registry.hpp"

#include <ringmq/error.hpp>

namespace ringmq::detail {

std::error_code dealer::set_option(option id, std::int64_t value) {
  if (id != option::probe_router) return pattern::set_option(id, value);
  if (value != 0 && value != 1) return make_error_code(errc::invalid_option_value);
  probe_ = value != 0;
  return no_error;
}

std::unique_ptr<pattern> make_dealer(pattern_host& host) { return std::make_unique<dealer>(host); }

}  // namespace ringmq::detail
