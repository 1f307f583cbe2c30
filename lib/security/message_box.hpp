// message_box: crypto_box_easy_afternm / crypto_box_open_easy_afternm for the CurveZMQ
// MESSAGE traffic of one connection, byte for byte, with the per-nonce work hoisted out.
//
// A box is XSalsa20-Poly1305: the 24-byte nonce's first 16 bytes and the key give a subkey
// (HSalsa20), its last 8 bytes run Salsa20 under that subkey. CurveZMQ MESSAGE nonces are a
// fixed 16-byte prefix ("CurveZMQMESSAGEC" / "...S") plus the 8-byte counter, so the
// subkey of each direction is the same for every message of the connection: computed once
// here instead of once per message (about a fifth of a small MESSAGE's cost).
//
// The subkeys are secrets: they live in memory the caller owns (a secret_block slot) and
// are wiped with it.
#pragma once

#include <cstddef>

namespace ringmq::security {

inline constexpr std::size_t box_subkey_bytes = 32;

// subkey = HSalsa20(key, prefix16): the subkey of every nonce that starts with `prefix16`.
void derive_box_subkey(unsigned char* subkey, const unsigned char* key,
                       const unsigned char* prefix16) noexcept;

// Boxes `text` (len bytes) in place: afterwards `text` holds the ciphertext and `mac` its
// 16-byte tag; `mac` directly followed by `text` is crypto_box_easy_afternm's output for
// the nonce prefix16 || nonce8.
void seal_box(unsigned char* mac, unsigned char* text, std::size_t len, const unsigned char* nonce8,
              const unsigned char* subkey) noexcept;

// Opens in place: false (and `text` untouched) when `mac` does not authenticate `text`.
[[nodiscard]] bool open_box(const unsigned char* mac, unsigned char* text, std::size_t len,
                            const unsigned char* nonce8, const unsigned char* subkey) noexcept;

}  // namespace ringmq::security
