// password_table: PLAIN credentials are accepted only as configured. (That the comparison
// takes the same time whatever is stored is by construction, see password_table.hpp; no
// timing is asserted here.)
#include "security/password_table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ringmq::security {
namespace {

using namespace std::string_literals;

password_table admin_and_guest() {
  password_table t;
  t.set("admin", "secret");
  t.set("guest", "");
  return t;
}

TEST(password_table, the_right_password_is_accepted) {
  const password_table t = admin_and_guest();
  EXPECT_TRUE(t.check("admin", "secret"));
  EXPECT_TRUE(t.check("guest", ""));  // an empty password is a password
}

TEST(password_table, a_wrong_password_of_any_length_is_refused) {
  const password_table t = admin_and_guest();
  EXPECT_FALSE(t.check("admin", "secreT"));   // same length
  EXPECT_FALSE(t.check("admin", "secre"));    // a prefix
  EXPECT_FALSE(t.check("admin", "secrets"));  // longer
  EXPECT_FALSE(t.check("admin", ""));
  EXPECT_FALSE(t.check("admin", "secret\0"s));
  EXPECT_FALSE(t.check("admin", std::string(1000, 's')));
  EXPECT_FALSE(t.check("guest", "x"));
}

TEST(password_table, an_unknown_user_is_refused_whatever_the_password) {
  const password_table t = admin_and_guest();
  EXPECT_FALSE(t.check("root", "secret"));  // another user's password
  EXPECT_FALSE(t.check("root", ""));
  EXPECT_FALSE(t.check("", ""));
  EXPECT_FALSE(t.check("Admin", "secret"));  // user names are compared exactly
  EXPECT_FALSE(t.check("admin\0"s, "secret"));
  EXPECT_FALSE(password_table().check("admin", "secret"));
}

TEST(password_table, passwords_are_octets) {
  password_table t;
  const std::string binary = "\0\xff\x01pw\0"s;
  t.set("bin", binary);
  EXPECT_TRUE(t.check("bin", binary));
  EXPECT_FALSE(t.check("bin", "\0\xff\x01pw"s));
}

TEST(password_table, setting_a_user_again_replaces_its_password) {
  password_table t = admin_and_guest();
  t.set("admin", "new");
  EXPECT_TRUE(t.check("admin", "new"));
  EXPECT_FALSE(t.check("admin", "secret"));
  EXPECT_EQ(t.size(), 2U);
}

}  // namespace
}  // namespace ringmq::security
