// libFuzzer target for Z85 (rfc 32) and the CURVE key text forms built on it
// (security/z85.hpp, security/curve_keys.hpp).
//
// Input: [0] options (bit 0: map the text onto the Z85 alphabet, so most inputs are
// well-formed; bit 1: append a NUL to the 40-character key text), then bytes.
// Oracles (abort on violation):
//   - encode: fails, leaving nothing, unless the size is a multiple of 4; otherwise 5
//     characters of the alphabet per 4 octets, and decode(encode(x)) == x;
//   - decode of arbitrary text (in a heap block of exactly its size, so ASan sees any read
//     past it, into a block of exactly the decoded size): agrees with a reference decoder
//     on success and on every octet; a successful decode re-encodes to the same text (the
//     encoding is one-to-one); an output span of the wrong size is refused;
//   - the std::optional overload agrees with the span one;
//   - decode_curve_key accepts exactly 32 octets as they are, or 40 Z85 characters
//     (optionally followed by a NUL) that decode, and returns the right 32 octets.
#include "fuzz_support.hpp"
#include "security/curve_keys.hpp"
#include "security/z85.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace {

using namespace ringmq;
using ringmq::fuzz::reader;

constexpr std::string_view alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

// rfc 32, read straight from the spec: 5 digits base 85, most significant first, one
// big-endian 32-bit value per group.
std::optional<std::string> z85_decode_ref(std::string_view text) {
  if (text.size() % 5 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 5) {
    std::uint64_t value = 0;
    for (std::size_t k = 0; k < 5; ++k) {
      const std::size_t digit = alphabet.find(text[i + k]);
      if (digit == std::string_view::npos) return std::nullopt;
      value = value * 85 + digit;
    }
    if (value > 0xffffffffULL) return std::nullopt;
    for (int shift = 24; shift >= 0; shift -= 8)
      out += static_cast<char>((value >> static_cast<unsigned>(shift)) & 0xffU);
  }
  return out;
}

// A copy of `s` in a heap block of exactly s.size() octets (not NUL-terminated).
std::unique_ptr<char[]> exact_copy(std::string_view s) {
  auto p = std::make_unique<char[]>(s.size());
  if (!s.empty()) std::memcpy(p.get(), s.data(), s.size());
  return p;
}

void check_encode(std::string_view data) {
  // Any size not divisible by 4 is refused.
  std::string text = "stale";
  if (data.size() % 4 != 0) {
    FUZZ_REQUIRE(!security::z85_encode(std::as_bytes(std::span(data)), text));
    FUZZ_REQUIRE(text.empty());
    data.remove_suffix(data.size() % 4);
  }
  const auto block = exact_copy(data);
  const std::span<const std::byte> in(reinterpret_cast<const std::byte*>(block.get()), data.size());
  FUZZ_REQUIRE(security::z85_encode(in, text));
  FUZZ_REQUIRE(text.size() == data.size() / 4 * 5);
  FUZZ_REQUIRE(text.find_first_not_of(alphabet) == std::string::npos);
  const auto back = security::z85_decode(text);
  FUZZ_REQUIRE(back && *back == data);
  const auto ref = z85_decode_ref(text);
  FUZZ_REQUIRE(ref && *ref == data);
}

void check_decode(std::string_view text) {
  const auto expected = z85_decode_ref(text);
  const auto block = exact_copy(text);
  const std::string_view exact(block.get(), text.size());

  const std::size_t out_size = text.size() / 5 * 4;
  auto out = std::make_unique<std::byte[]>(out_size);
  const bool ok = security::z85_decode(exact, std::span(out.get(), out_size));
  FUZZ_REQUIRE(ok == expected.has_value());
  if (ok) {
    FUZZ_REQUIRE(std::memcmp(out.get(), expected->data(), out_size) == 0);
    // One-to-one: every accepted text is the encoding of what it decodes to.
    std::string again;
    FUZZ_REQUIRE(security::z85_encode(std::span<const std::byte>(out.get(), out_size), again));
    FUZZ_REQUIRE(again == text);
  }
  const auto opt = security::z85_decode(exact);
  FUZZ_REQUIRE(opt.has_value() == ok);
  if (ok) FUZZ_REQUIRE(*opt == *expected);

  // An output of the wrong size is refused, and written nowhere (ASan: exact blocks).
  auto bigger = std::make_unique<std::byte[]>(out_size + 1);
  FUZZ_REQUIRE(!security::z85_decode(exact, std::span(bigger.get(), out_size + 1)));
  if (out_size != 0) FUZZ_REQUIRE(!security::z85_decode(exact, std::span(out.get(), out_size - 1)));
}

void check_curve_key(std::string_view text) {
  const auto block = exact_copy(text);
  const std::string_view exact(block.get(), text.size());
  std::string binary = "stale";
  const bool ok = security::decode_curve_key(exact, binary);

  std::optional<std::string> expected;
  if (text.size() == 32) {
    expected = std::string(text);
  } else {
    std::string_view t = text;
    if (t.size() == 41 && t.back() == '\0') t.remove_suffix(1);
    if (t.size() == 40) expected = z85_decode_ref(t);
  }
  FUZZ_REQUIRE(ok == expected.has_value());
  if (ok)
    FUZZ_REQUIRE(binary == *expected);
  else
    FUZZ_REQUIRE(binary.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reader in{data, size};
  const std::uint8_t options = in.byte();
  const std::string rest = in.rest();

  check_encode(rest);

  std::string text = rest;
  if ((options & 1U) != 0)
    for (char& c : text) c = alphabet[static_cast<unsigned char>(c) % alphabet.size()];
  check_decode(text);

  // The key forms: the text as given, and its first 40 characters (with a NUL when asked).
  check_curve_key(text);
  if (text.size() >= 40) {
    std::string key = text.substr(0, 40);
    if ((options & 2U) != 0) key += '\0';
    check_curve_key(key);
  }
  return 0;
}
