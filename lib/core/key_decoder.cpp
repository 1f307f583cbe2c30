#include "core/key_decoder.hpp"

#include <atomic>

namespace ringmq::detail {

namespace {
std::atomic<curve_key_decoder> installed{nullptr};
}

void install_curve_key_decoder(curve_key_decoder decoder) noexcept {
  installed.store(decoder, std::memory_order_release);
}

bool decode_curve_key(std::string_view text, std::string& binary) {
  if (text.size() == 32) {
    binary.assign(text);
    return true;
  }
  const curve_key_decoder decoder = installed.load(std::memory_order_acquire);
  return decoder != nullptr && decoder(text, binary);
}

}  // namespace ringmq::detail
