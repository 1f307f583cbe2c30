#include "security/curve_keys.hpp"

#include "core/key_decoder.hpp"
#include "security/secure_memory.hpp"
#include "security/z85.hpp"

#include <sodium.h>

#include <span>

namespace ringmq::security {

static_assert(crypto_box_PUBLICKEYBYTES == curve_key_bytes && crypto_box_SECRETKEYBYTES == curve_key_bytes);

void curve_generate_keypair(unsigned char* public_key, unsigned char* secret_key) noexcept {
  ensure_sodium();
  crypto_box_keypair(public_key, secret_key);
}

void curve_public_from_secret(const unsigned char* secret_key, unsigned char* public_key) noexcept {
  ensure_sodium();
  crypto_scalarmult_base(public_key, secret_key);
}

bool decode_curve_key(std::string_view text, std::string& binary) {
  binary.clear();
  if (text.size() == curve_key_bytes) {
    binary.assign(text);
    return true;
  }
  // libzmq accepts the 41-byte buffer zmq_z85_encode fills (40 characters and a NUL).
  if (text.size() == curve_key_text_bytes + 1 && text.back() == '\0') text.remove_suffix(1);
  if (text.size() != curve_key_text_bytes) return false;
  binary.assign(curve_key_bytes, '\0');
  if (!z85_decode(text, std::as_writable_bytes(std::span(binary)))) {
    wipe(binary.data(), binary.size());
    binary.clear();
    return false;
  }
  return true;
}

void install_curve_key_decoder() noexcept { detail::install_curve_key_decoder(&decode_curve_key); }

}  // namespace ringmq::security
