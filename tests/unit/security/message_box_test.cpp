// message_box against libsodium's crypto_box_easy_afternm / crypto_box_open_easy_afternm:
// the same bytes for every length around the Salsa20 block boundaries, both ways, and a
// flipped bit anywhere refused.
#include "security/message_box.hpp"

#include "security/secure_memory.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <cstring>
#include <vector>

namespace ringmq::security {
namespace {

constexpr std::size_t mac = crypto_box_MACBYTES;

struct fixture {
  std::array<unsigned char, crypto_box_BEFORENMBYTES> key{};
  std::array<unsigned char, crypto_box_NONCEBYTES> nonce{};
  std::array<unsigned char, box_subkey_bytes> subkey{};

  fixture() {
    ensure_sodium();
    randombytes_buf(key.data(), key.size());
    std::memcpy(nonce.data(), "CurveZMQMESSAGEC", 16);
    randombytes_buf(nonce.data() + 16, 8);
    derive_box_subkey(subkey.data(), key.data(), nonce.data());
  }
  std::vector<unsigned char> libsodium_box(const std::vector<unsigned char>& plain) const {
    std::vector<unsigned char> out(mac + plain.size());
    crypto_box_easy_afternm(out.data(), plain.data(), plain.size(), nonce.data(), key.data());
    return out;
  }
};

std::vector<unsigned char> random_text(std::size_t n) {
  std::vector<unsigned char> v(n);
  randombytes_buf(v.data(), n);
  return v;
}

constexpr std::size_t lengths[] = {1,  2,  31,  32,  33,  63,   64,   65,   95,
                                   96, 97, 127, 128, 129, 1000, 4096, 65537};

TEST(message_box, sealing_in_place_gives_the_bytes_of_crypto_box_easy_afternm) {
  const fixture f;
  for (std::size_t n : lengths) {
    const auto plain = random_text(n);
    std::vector<unsigned char> boxed(mac + n);
    std::memcpy(boxed.data() + mac, plain.data(), n);
    seal_box(boxed.data(), boxed.data() + mac, n, f.nonce.data() + 16, f.subkey.data());
    EXPECT_EQ(boxed, f.libsodium_box(plain)) << "length " << n;
  }
}

TEST(message_box, opening_in_place_reads_what_crypto_box_easy_afternm_sealed) {
  const fixture f;
  for (std::size_t n : lengths) {
    const auto plain = random_text(n);
    auto boxed = f.libsodium_box(plain);
    ASSERT_TRUE(open_box(boxed.data(), boxed.data() + mac, n, f.nonce.data() + 16, f.subkey.data())) << n;
    EXPECT_TRUE(std::equal(plain.begin(), plain.end(), boxed.begin() + mac)) << "length " << n;
  }
}

TEST(message_box, a_flipped_bit_in_the_tag_or_the_text_is_refused_and_leaves_the_text_alone) {
  const fixture f;
  const auto plain = random_text(100);
  const auto boxed = f.libsodium_box(plain);
  for (std::size_t i = 0; i < boxed.size(); ++i) {
    auto tampered = boxed;
    tampered[i] ^= 0x01;
    const auto before = tampered;
    EXPECT_FALSE(
        open_box(tampered.data(), tampered.data() + mac, plain.size(), f.nonce.data() + 16, f.subkey.data()))
        << "byte " << i;
    EXPECT_EQ(tampered, before) << "byte " << i;
  }
}

TEST(message_box, another_nonce_or_prefix_does_not_open_the_box) {
  const fixture f;
  const auto plain = random_text(40);
  auto boxed = f.libsodium_box(plain);
  auto counter = f.nonce;
  counter[23] ^= 0x01;
  EXPECT_FALSE(
      open_box(boxed.data(), boxed.data() + mac, plain.size(), counter.data() + 16, f.subkey.data()));
  // The other direction's prefix gives another subkey.
  std::array<unsigned char, box_subkey_bytes> other{};
  derive_box_subkey(other.data(), f.key.data(), reinterpret_cast<const unsigned char*>("CurveZMQMESSAGES"));
  EXPECT_FALSE(open_box(boxed.data(), boxed.data() + mac, plain.size(), f.nonce.data() + 16, other.data()));
}

}  // namespace
}  // namespace ringmq::security
