// ZAP (rfc 27) request frames exactly as libzmq sends them, and the reply checks libzmq
// makes (src/zap_client.cpp receive_and_process_zap_reply).
#include "security/zap_codec.hpp"

#include "core/message_access.hpp"

#include <gtest/gtest.h>

namespace ringmq::security {
namespace {

namespace code = zmtp::protocol_code;

std::vector<message> reply(std::vector<std::string> parts, std::vector<bool> more = {}) {
  std::vector<message> out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    message m(parts[i]);
    const bool mo = more.empty() ? i + 1 < parts.size() : more[i];
    if (mo) detail::message_access::set(m, detail::message_access::more, true);
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<zmtp::error_info> parse(const std::vector<message>& frames, zmtp::zap_reply& r) {
  return parse_zap_reply(frames, r);
}

TEST(zap_codec, request_frames_as_libzmq_sends_them) {
  const zmtp::zap_request req{"global", {std::string(32, 'K')}, "CURVE", "127.0.0.1", "SRVID"};
  const auto frames = build_zap_request(req);
  std::vector<std::string> parts;
  parts.reserve(frames.size());
  for (const auto& f : frames) parts.push_back(f.to_string());
  EXPECT_EQ(parts, (std::vector<std::string>{"", "1.0", "1", "global", "127.0.0.1", "SRVID", "CURVE",
                                             std::string(32, 'K')}));
  for (std::size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(frames[i].more(), i + 1 < frames.size()) << i;
}

TEST(zap_codec, null_request_ends_with_the_mechanism) {
  const auto frames = build_zap_request(zmtp::zap_request{"d", {}, "NULL", "10.0.0.1", ""});
  ASSERT_EQ(frames.size(), 7U);
  EXPECT_EQ(frames[6].to_string(), "NULL");
  EXPECT_FALSE(frames[6].more());
}

TEST(zap_codec, good_reply) {
  zmtp::zap_reply r;
  EXPECT_FALSE(parse(reply({"", "1.0", "1", "200", "OK", "alice", "meta"}), r));
  EXPECT_EQ(r.status_code, "200");
  EXPECT_EQ(r.status_text, "OK");
  EXPECT_EQ(r.user_id, "alice");
  EXPECT_EQ(r.metadata, "meta");
}

TEST(zap_codec, bad_replies) {
  zmtp::zap_reply r;
  auto e = parse(reply({"", "1.0", "1", "200", "OK", "alice"}), r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, code::zap_malformed_reply);
  e = parse(reply({"", "1.0", "1", "200", "OK", "a", "m"}, {true, true, true, true, true, true, true}), r);
  ASSERT_TRUE(e);  // an eighth frame follows
  EXPECT_EQ(e->code, code::zap_malformed_reply);
  e = parse(reply({"", "1.0", "1", "200", "OK", "a", "m"}, {true, true, false, true, true, true, false}), r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, code::zap_malformed_reply);
  e = parse(reply({"x", "1.0", "1", "200", "OK", "a", ""}), r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, code::zap_unspecified);
  e = parse(reply({"", "2.0", "1", "200", "OK", "a", ""}), r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, code::zap_bad_version);
  e = parse(reply({"", "1.0", "2", "200", "OK", "a", ""}), r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, code::zap_bad_request_id);
}

}  // namespace
}  // namespace ringmq::security
