#include "security/message_box.hpp"

#include <sodium.h>

#include <algorithm>

namespace ringmq::security {

namespace {

// The first Salsa20 block: bytes 0-31 of its key stream are the Poly1305 key, bytes 32-63
// encrypt the first 32 bytes of the text (as libsodium's secretbox lays it out).
constexpr std::size_t poly_key_bytes = 32;
constexpr std::size_t block_bytes = 64;

// XORs `text` with the key stream from byte 32 on, and leaves the Poly1305 key in `block`.
void xor_stream(unsigned char (&block)[block_bytes], unsigned char* text, std::size_t len,
                const unsigned char* nonce8, const unsigned char* subkey) noexcept {
  const std::size_t head = std::min(len, block_bytes - poly_key_bytes);
  std::fill(block, block + poly_key_bytes, 0);
  std::copy(text, text + head, block + poly_key_bytes);
  crypto_stream_salsa20_xor(block, block, poly_key_bytes + head, nonce8, subkey);
  std::copy(block + poly_key_bytes, block + poly_key_bytes + head, text);
  if (len > head) crypto_stream_salsa20_xor_ic(text + head, text + head, len - head, nonce8, 1, subkey);
}

}  // namespace

void derive_box_subkey(unsigned char* subkey, const unsigned char* key,
                       const unsigned char* prefix16) noexcept {
  crypto_core_hsalsa20(subkey, prefix16, key, nullptr);
}

void seal_box(unsigned char* mac, unsigned char* text, std::size_t len, const unsigned char* nonce8,
              const unsigned char* subkey) noexcept {
  unsigned char block[block_bytes];
  xor_stream(block, text, len, nonce8, subkey);
  crypto_onetimeauth_poly1305(mac, text, len, block);
  sodium_memzero(block, sizeof block);
}

bool open_box(const unsigned char* mac, unsigned char* text, std::size_t len, const unsigned char* nonce8,
              const unsigned char* subkey) noexcept {
  unsigned char poly_key[poly_key_bytes];
  crypto_stream_salsa20(poly_key, sizeof poly_key, nonce8, subkey);
  const bool authentic = crypto_onetimeauth_poly1305_verify(mac, text, len, poly_key) == 0;
  sodium_memzero(poly_key, sizeof poly_key);
  if (!authentic) return false;
  unsigned char block[block_bytes];
  xor_stream(block, text, len, nonce8, subkey);
  sodium_memzero(block, sizeof block);
  return true;
}

}  // namespace ringmq::security
