#include "security/z85.hpp"

#include <array>
#include <cstdint>

namespace ringmq::security {

namespace {

// rfc 32 alphabet, values 0..84.
constexpr std::string_view alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
static_assert(alphabet.size() == 85);

constexpr std::uint8_t invalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_decoder() {
  std::array<std::uint8_t, 256> table{};
  for (auto& v : table) v = invalid;
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  return table;
}

constexpr std::array<std::uint8_t, 256> decoder = make_decoder();

}  // namespace

bool z85_encode(std::span<const std::byte> in, std::string& out) {
  out.clear();
  if (in.size() % 4 != 0) return false;
  out.resize(in.size() / 4 * 5);
  std::size_t o = 0;
  for (std::size_t i = 0; i < in.size(); i += 4) {
    std::uint32_t value = 0;
    for (std::size_t k = 0; k < 4; ++k) value = (value << 8U) | std::to_integer<std::uint32_t>(in[i + k]);
    // Most significant digit first: 85^4, 85^3, ..., 1.
    for (std::size_t k = 5; k-- > 0;) {
      out[o + k] = alphabet[value % 85U];
      value /= 85U;
    }
    o += 5;
  }
  return true;
}

bool z85_decode(std::string_view text, std::span<std::byte> out) noexcept {
  if (text.size() % 5 != 0 || out.size() != text.size() / 5 * 4) return false;
  std::size_t o = 0;
  for (std::size_t i = 0; i < text.size(); i += 5) {
    std::uint64_t value = 0;
    for (std::size_t k = 0; k < 5; ++k) {
      const std::uint8_t digit = decoder[static_cast<unsigned char>(text[i + k])];
      if (digit == invalid) return false;
      value = value * 85U + digit;
    }
    if (value > 0xffffffffU) return false;  // e.g. "%%%%%": no 4-octet group encodes to it
    for (std::size_t k = 4; k-- > 0;) {
      out[o + k] = static_cast<std::byte>(value & 0xffU);
      value >>= 8U;
    }
    o += 4;
  }
  return true;
}

std::optional<std::string> z85_decode(std::string_view text) {
  if (text.size() % 5 != 0) return std::nullopt;
  std::string out(text.size() / 5 * 4, '\0');
  if (!z85_decode(text, std::as_writable_bytes(std::span(out)))) return std::nullopt;
  return out;
}

}  // namespace ringmq::security
