#include "security/password_table.hpp"

#include "security/secure_memory.hpp"

#include <sodium.h>

namespace ringmq::security {

static_assert(crypto_generichash_BYTES == 32, "the digest is crypto_generichash's default size");
static_assert(crypto_generichash_KEYBYTES == 32, "the key is crypto_generichash's default size");

password_table::password_table() {
  ensure_sodium();
  randombytes_buf(key_.data(), key_.size());
  randombytes_buf(nobody_.data(), nobody_.size());
}

password_table::digest password_table::hash(std::string_view password) const noexcept {
  digest d{};
  // Cannot fail with these sizes (output and key lengths within BLAKE2b's limits).
  crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(password.data()),
                     password.size(), key_.data(), key_.size());
  return d;
}

void password_table::set(std::string_view user, std::string_view password) {
  users_.insert_or_assign(std::string(user), hash(password));
}

bool password_table::check(std::string_view user, std::string_view password) const noexcept {
  const digest offered = hash(password);
  const auto found = users_.find(user);
  const bool known = found != users_.end();
  const digest& stored = known ? found->second : nobody_;
  // Both operands evaluated, whatever `known` is: the comparison runs for every check.
  const bool same = equal_ct(offered.data(), stored.data(), digest_size);
  return same & known;
}

}  // namespace ringmq::security
