// The public security API: Z85, key pairs, certificates, and CURVE keys through options.
#include "security/support.hpp"

#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace sec_test {
namespace {

std::filesystem::path temp_dir(const std::string& name) {
  auto dir =
      std::filesystem::temp_directory_path() / ("ringmq-sec-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(security_api, z85_rfc32_vector) {
  const unsigned char raw[] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
  EXPECT_EQ(ringmq::z85_encode(std::as_bytes(std::span(raw))), "HelloWorld");
  const auto back = ringmq::z85_decode("HelloWorld");
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 8U);
  EXPECT_EQ(std::memcmp(back->data(), raw, 8), 0);
  EXPECT_FALSE(ringmq::z85_encode(std::as_bytes(std::span(raw, 7))));
  EXPECT_FALSE(ringmq::z85_decode("Hello Worl"));
  EXPECT_FALSE(ringmq::z85_decode("HelloWorl"));
}

TEST(security_api, keypairs_and_public_keys) {
  const auto kp = ringmq::generate_curve_keypair();
  EXPECT_EQ(kp.public_key.size(), 40U);
  EXPECT_EQ(kp.secret_key.size(), 40U);
  EXPECT_EQ(ringmq::curve_public_key(kp.secret_key), kp.public_key);
  EXPECT_EQ(ringmq::curve_public_key(server_secret), server_public);
  EXPECT_EQ(ringmq::curve_public_key(client_secret), client_public);
  const auto binary = ringmq::z85_decode(client_secret);
  ASSERT_TRUE(binary);
  EXPECT_EQ(ringmq::curve_public_key(std::string_view(reinterpret_cast<const char*>(binary->data()), 32)),
            client_public);
  EXPECT_THROW(static_cast<void>(ringmq::curve_public_key("not a key")), ringmq::error);
}

TEST(security_api, options_take_the_perf_tool_keys_in_every_form) {
  ringmq::context ctx;
  ringmq::socket s(ctx, ringmq::socket_type::pull);
  make_curve_server(s);
  EXPECT_TRUE(s.get(ringmq::opt::curve_server));
  EXPECT_EQ(s.get(ringmq::opt::mechanism), ringmq::mechanism_kind::curve);
  const std::string stored = s.get(ringmq::opt::curve_secretkey);
  ASSERT_EQ(stored.size(), 32U);
  EXPECT_EQ(ringmq::z85_encode(std::as_bytes(std::span(stored))), server_secret);

  ringmq::socket c(ctx, ringmq::socket_type::push);
  c.set(ringmq::opt::curve_serverkey, std::string(server_public) + '\0');  // zmq_z85_encode's 41 bytes
  const std::string serverkey = c.get(ringmq::opt::curve_serverkey);
  EXPECT_EQ(ringmq::z85_encode(std::as_bytes(std::span(serverkey))), server_public);
  EXPECT_THROW(c.set(ringmq::opt::curve_serverkey, "short"), ringmq::error);
  EXPECT_THROW(c.set(ringmq::opt::curve_publickey, std::string(server_public).replace(3, 1, " ")),
               ringmq::error);
}

TEST(security_api, certificates_round_trip) {
  const auto dir = temp_dir("certs");
  const auto files = ringmq::create_curve_certificates(dir, "alice", {{"name", "Alice"}});
  EXPECT_EQ(files.public_file, dir / "alice.key");
  EXPECT_EQ(files.secret_file, dir / "alice.key_secret");
  struct stat st {};
  ASSERT_EQ(::stat(files.secret_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  const auto pub = ringmq::load_curve_certificate(files.public_file);
  const auto sec = ringmq::load_curve_certificate(files.secret_file);
  EXPECT_TRUE(pub.secret_key.empty());
  EXPECT_EQ(pub.public_key, sec.public_key);
  EXPECT_EQ(ringmq::curve_public_key(sec.secret_key), sec.public_key);
  EXPECT_EQ(sec.metadata.at("name"), "Alice");
  ringmq::create_curve_certificates(dir, "bob");
  const auto keys = ringmq::load_curve_public_keys(dir);
  EXPECT_EQ(keys.size(), 2U);  // *.key only, not *.key_secret
  std::filesystem::remove_all(dir);
}

TEST(security_api, reads_czmq_and_pyzmq_certificates) {
  const auto dir = temp_dir("foreign");
  {
    std::ofstream czmq(dir / "czmq.key");
    czmq << "#   ****  Generated on 2013-12-01 by CZMQ  ****\n"
            "#   ZeroMQ CURVE Public Certificate\n\n"
            "metadata\n    name = \"czmq\"\ncurve\n    public-key = \""
         << client_public << "\"\n";
    std::ofstream pyzmq(dir / "pyzmq.key");
    pyzmq << "#   ****  Generated on 2024-01-01 by pyzmq  ****\nmetadata\ncurve\n    public-key = \""
          << server_public << "\"\n";
    std::ofstream junk(dir / "junk.key");
    junk << "not a certificate\n";
  }
  const auto c = ringmq::load_curve_certificate(dir / "czmq.key");
  EXPECT_EQ(c.public_key, client_public);
  EXPECT_EQ(c.metadata.at("name"), "czmq");
  auto keys = ringmq::load_curve_public_keys(dir);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{std::string(client_public), std::string(server_public)}));
  EXPECT_THROW(ringmq::load_curve_certificate(dir / "junk.key"), ringmq::error);
  EXPECT_THROW(ringmq::load_curve_certificate(dir / "missing.key"), std::system_error);
  std::filesystem::remove_all(dir);
}

TEST(security_api, pyzmq_reads_our_certificates) {
  const auto dir = temp_dir("forpyzmq");
  const auto files = ringmq::create_curve_certificates(dir, "server");
  const auto ours = ringmq::load_curve_certificate(files.secret_file);
  const std::string cmd = "/usr/bin/python3 -c \"import zmq.auth; p, s = zmq.auth.load_certificate('" +
                          files.secret_file.string() + "'); print(p.decode() + ' ' + s.decode())\"";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[256] = {};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, pipe);
  ::pclose(pipe);
  EXPECT_EQ(std::string(buf, n), ours.public_key + " " + ours.secret_key + "\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sec_test
