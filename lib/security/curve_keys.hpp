// curve_keys: CURVE long-term keys (Curve25519, rfc 26) -- generation, the public key of a
// secret key, and the text forms option setting accepts (rfc 32 Z85).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ringmq::security {

inline constexpr std::size_t curve_key_bytes = 32;
inline constexpr std::size_t curve_key_text_bytes = 40;  // Z85 of 32 bytes

// A fresh key pair (crypto_box_keypair): 32 bytes each.
void curve_generate_keypair(unsigned char* public_key, unsigned char* secret_key) noexcept;
// The public key belonging to `secret_key` (crypto_scalarmult_base).
void curve_public_from_secret(const unsigned char* secret_key, unsigned char* public_key) noexcept;

// A key given as 32 binary bytes, 40 Z85 characters, or 41 with a trailing NUL (libzmq's
// ZMQ_CURVE_*KEY forms), decoded into 32 bytes. False, leaving `binary` empty, otherwise.
bool decode_curve_key(std::string_view text, std::string& binary);

// Installs decode_curve_key as core's option decoder (core/key_decoder.hpp). Idempotent.
void install_curve_key_decoder() noexcept;

}  // namespace ringmq::security
