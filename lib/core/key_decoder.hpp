// The hook through which option setting (core) accepts CURVE keys in Z85 form without
// depending on the security layer: the library installs the security layer's decoder once
// at load time.
#pragma once

#include <string>
#include <string_view>

namespace ringmq::detail {

// Turns `text` (32 binary bytes, 40 Z85 characters, or 41 with a trailing NUL) into 32
// binary bytes; false if it is none of these.
using curve_key_decoder = bool (*)(std::string_view text, std::string& binary);

void install_curve_key_decoder(curve_key_decoder decoder) noexcept;
bool decode_curve_key(std::string_view text, std::string& binary);

}  // namespace ringmq::detail
