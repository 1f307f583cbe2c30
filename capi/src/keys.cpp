// Z85 (rfc 32) and CURVE keys: zmq_z85_encode/decode, zmq_curve_keypair, zmq_curve_public.
#include "handles.hpp"

#include <cstring>

using ringmq::capi::fail;

extern "C" {

char* zmq_z85_encode(char* dest, const uint8_t* data, size_t size) {
  if (size % 4 != 0) {
    errno = EINVAL;
    return nullptr;
  }
  const auto text = ringmq::z85_encode(std::as_bytes(std::span(data, size)));
  if (!text) {
    errno = EINVAL;
    return nullptr;
  }
  std::memcpy(dest, text->c_str(), text->size() + 1);
  return dest;
}

uint8_t* zmq_z85_decode(uint8_t* dest, const char* string) {
  const auto bytes = string == nullptr ? std::nullopt : ringmq::z85_decode(string);
  if (!bytes) {
    errno = EINVAL;
    return nullptr;
  }
  if (!bytes->empty()) std::memcpy(dest, bytes->data(), bytes->size());
  return dest;
}

int zmq_curve_keypair(char* z85_public_key, char* z85_secret_key) {
  return ringmq::capi::guarded(-1, [&] {
    const ringmq::curve_keypair keys = ringmq::generate_curve_keypair();
    std::memcpy(z85_public_key, keys.public_key.c_str(), 41);
    std::memcpy(z85_secret_key, keys.secret_key.c_str(), 41);
    return 0;
  });
}

int zmq_curve_public(char* z85_public_key, const char* z85_secret_key) {
  if (z85_secret_key == nullptr) return fail(EINVAL);
  // The secret key is 40 Z85 characters; anything else is EINVAL (ringmq::error).
  return ringmq::capi::guarded(-1, [&] {
    const std::string public_key =
        ringmq::curve_public_key(std::string_view(z85_secret_key, ::strnlen(z85_secret_key, 41)));
    std::memcpy(z85_public_key, public_key.c_str(), 41);
    return 0;
  });
}

}  // extern "C"
