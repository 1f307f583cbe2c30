// password_table: the username -> password table a PLAIN authenticator checks (rfc 24,
// rfc 27), compared in time that tells an attacker nothing about the stored passwords.
//
// A plain comparison leaks through its timing: an early exit on a length mismatch says how
// long the password is, one on the first differing octet how much of a guess is right, and
// a shortcut for an unknown user says which users exist. So the table keeps no passwords,
// only their keyed BLAKE2b hashes (crypto_generichash under a key drawn for the table), and
// a check always hashes the offered password and compares two fixed-size hashes with
// sodium_memcmp: against the user's hash, or against a hash that matches no password when
// the user is unknown. What a check costs then depends on the offered password's length
// (the peer's own input) and not on anything stored.
//
// Threads: not synchronised; the authenticator guards it with its policy mutex.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>

namespace ringmq::security {

class password_table {
 public:
  password_table();

  // Adds `user`, or replaces its password.
  void set(std::string_view user, std::string_view password);
  // True when `user` is in the table with exactly `password`.
  [[nodiscard]] bool check(std::string_view user, std::string_view password) const noexcept;
  [[nodiscard]] bool empty() const noexcept { return users_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return users_.size(); }

 private:
  static constexpr std::size_t digest_size = 32;
  using digest = std::array<unsigned char, digest_size>;

  [[nodiscard]] digest hash(std::string_view password) const noexcept;

  std::array<unsigned char, 32> key_{};
  std::map<std::string, digest, std::less<>> users_;
  // Compared with when the user is unknown: the same work, and no password's hash (drawn at
  // random, it matches one with probability 2^-256).
  digest nobody_{};
};

}  // namespace ringmq::security
