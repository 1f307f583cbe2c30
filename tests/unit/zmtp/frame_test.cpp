// rfc 23 framing: header encoding, incremental decoding over any chunking, size limits
// checked before allocation, and bounded growth of large bodies.
#include "zmtp/frame_decoder.hpp"
#include "zmtp/frame_encoder.hpp"
#include "zmtp_test_util.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <span>
#include <vector>

namespace ringmq::zmtp::test {
namespace {

using detail::message_access;

std::string header(bool more, bool command, std::size_t size) {
  const frame_header h = encode_frame_header(more, command, size);
  return std::string(reinterpret_cast<const char*>(h.bytes.data()), h.size);
}

TEST(frame_encoder, short_form_up_to_255_octets) {
  EXPECT_EQ(to_hex(header(false, false, 0)), "00 00");
  EXPECT_EQ(to_hex(header(true, false, 2)), "01 02");
  EXPECT_EQ(to_hex(header(false, true, 0x29)), "04 29");
  EXPECT_EQ(to_hex(header(false, false, 255)), "00 ff");
}

TEST(frame_encoder, long_form_above_255_octets) {
  EXPECT_EQ(to_hex(header(false, false, 256)), "02 00 00 00 00 00 00 01 00");
  EXPECT_EQ(to_hex(header(false, false, 300)), "02 00 00 00 00 00 00 01 2c");
  EXPECT_EQ(to_hex(header(true, false, 0x0102030405)), "03 00 00 00 01 02 03 04 05");
  EXPECT_EQ(to_hex(header(false, true, 257)), "06 00 00 00 00 00 00 01 01");
}

TEST(frame_encoder, takes_flags_from_the_message) {
  message m("hi"s);
  message_access::set_flags(m, message_access::more);
  EXPECT_EQ(to_hex(as_text(encode_frame_header(m).view())), "01 02");
  message c("\x04PONG"s);
  message_access::set_flags(c, message_access::command);
  EXPECT_EQ(to_hex(as_text(encode_frame_header(c).view())), "04 05");
}

struct decoded {
  std::vector<message> frames;
  std::optional<error_info> error;
};

decoded decode_chunks(frame_decoder& d, const std::string& stream, const std::vector<std::size_t>& cuts) {
  decoded out;
  std::size_t start = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(stream.size());
  for (std::size_t end : ends) {
    bytes chunk = B(stream).subspan(start, end - start);
    start = end;
    while (!chunk.empty()) {
      std::size_t used = 0;
      const auto st = d.decode(chunk, used);
      chunk = chunk.subspan(used);
      if (st == frame_decoder::status::frame) out.frames.push_back(d.take());
      if (st == frame_decoder::status::failed) {
        out.error = d.error();
        return out;
      }
      if (st == frame_decoder::status::need_more) {
        EXPECT_TRUE(chunk.empty());
        break;
      }
    }
  }
  return out;
}

// The PUSH multipart capture from libzmq 4.3.4: ["hi", "", 300 x "x"] (docs/wire-and-security.md).
const std::string push_capture = hex("01 02 68 69 01 00 02 00 00 00 00 00 00 01 2c") + std::string(300, 'x');

void expect_push_capture(const decoded& d) {
  ASSERT_FALSE(d.error) << describe(*d.error);
  ASSERT_EQ(d.frames.size(), 3U);
  EXPECT_EQ(d.frames[0].view(), "hi");
  EXPECT_TRUE(has_more(d.frames[0]));
  EXPECT_EQ(d.frames[1].view(), "");
  EXPECT_TRUE(has_more(d.frames[1]));
  EXPECT_EQ(d.frames[2].view(), std::string(300, 'x'));
  EXPECT_FALSE(has_more(d.frames[2]));
  for (const auto& f : d.frames) EXPECT_FALSE(message_access::has(f, message_access::command));
}

TEST(frame_decoder, decodes_the_libzmq_push_multipart_capture) {
  frame_decoder d;
  expect_push_capture(decode_chunks(d, push_capture, {}));
}

TEST(frame_decoder, every_single_split_point_gives_the_same_frames) {
  for (std::size_t cut = 0; cut <= push_capture.size(); ++cut) {
    frame_decoder d;
    expect_push_capture(decode_chunks(d, push_capture, {cut}));
  }
}

TEST(frame_decoder, one_octet_at_a_time) {
  frame_decoder d;
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < push_capture.size(); ++i) cuts.push_back(i);
  expect_push_capture(decode_chunks(d, push_capture, cuts));
}

TEST(frame_decoder, random_splits) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::size_t> cuts;
    std::size_t pos = 0;
    for (;;) {
      pos += 1 + rng() % 40;
      if (pos >= push_capture.size()) break;
      cuts.push_back(pos);
    }
    frame_decoder d;
    expect_push_capture(decode_chunks(d, push_capture, cuts));
  }
}

TEST(frame_decoder, command_frames_are_flagged) {
  frame_decoder d;
  const auto out = decode_chunks(d, hex("04 06 04 50 49 4e 47 00"), {});  // PING, one TTL octet short
  ASSERT_EQ(out.frames.size(), 1U);
  EXPECT_TRUE(message_access::has(out.frames[0], message_access::command));
  EXPECT_FALSE(has_more(out.frames[0]));
}

TEST(frame_decoder, reserved_flag_bits_are_ignored_as_libzmq_does) {
  frame_decoder d;
  const auto out = decode_chunks(d, hex("f8 02 68 69 f9 01 61 fa 00 00 00 00 00 00 00 01 62"), {});
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.frames.size(), 3U);
  EXPECT_FALSE(has_more(out.frames[0]));
  EXPECT_TRUE(has_more(out.frames[1]));
  EXPECT_EQ(out.frames[2].view(), "b");
}

TEST(frame_decoder, long_form_for_a_short_body_is_accepted) {
  frame_decoder d;
  const auto out = decode_chunks(d, hex("02 00 00 00 00 00 00 00 05") + "hello", {});
  ASSERT_EQ(out.frames.size(), 1U);
  EXPECT_EQ(out.frames[0].view(), "hello");
}

TEST(frame_decoder, command_with_more_is_a_protocol_error) {
  frame_decoder d;
  const auto out = decode_chunks(d, hex("05 05 04 50 49 4e 47"), {});
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->kind, error_kind::protocol);
  EXPECT_EQ(out.error->code, protocol_code::zmtp_malformed_command_unspecified);
}

TEST(frame_decoder, size_with_the_top_bit_set_is_rejected_from_the_header) {
  for (const char* h :
       {"02 80 00 00 00 00 00 00 00", "02 ff ff ff ff ff ff ff ff", "06 80 00 00 00 00 00 00 01"}) {
    frame_decoder d;  // no limit at all
    std::size_t used = 0;
    EXPECT_EQ(d.decode(B(hex(h)), used), frame_decoder::status::failed) << h;
    EXPECT_EQ(used, 9U);
    EXPECT_EQ(d.error().kind, error_kind::protocol);
    EXPECT_EQ(d.pending_allocation(), 0U);
  }
}

TEST(frame_decoder, size_2_pow_63_minus_1_allocates_nothing_up_front) {
  frame_decoder d;  // no limit: the size is legal
  std::size_t used = 0;
  EXPECT_EQ(d.decode(B(hex("02 7f ff ff ff ff ff ff ff")), used), frame_decoder::status::need_more);
  EXPECT_EQ(d.pending_allocation(), 0U);
  const std::string kib(1024, 'a');
  EXPECT_EQ(d.decode(B(kib), used), frame_decoder::status::need_more);
  EXPECT_LE(d.pending_allocation(), kib.size() + frame_decoder::growth_step);
}

TEST(frame_decoder, above_the_limit_fails_with_only_the_header) {
  frame_decoder d(std::int64_t{64} * 1024);
  std::size_t used = 0;
  // 65537 octets claimed; nothing of the body sent.
  EXPECT_EQ(d.decode(B(hex("00 ff")), used), frame_decoder::status::need_more);  // 255 is fine
  frame_decoder d2(std::int64_t{64} * 1024);
  EXPECT_EQ(d2.decode(B(hex("06 00 00 00 00 00 01 00 01")), used), frame_decoder::status::failed);
  EXPECT_EQ(used, 9U);
  EXPECT_EQ(d2.error().kind, error_kind::no_detail);
  EXPECT_EQ(d2.error().code, EMSGSIZE);
  EXPECT_EQ(d2.pending_allocation(), 0U);
  // Exactly the limit is accepted.
  frame_decoder d3(std::int64_t{64} * 1024);
  EXPECT_EQ(d3.decode(B(hex("02 00 00 00 00 00 01 00 00")), used), frame_decoder::status::need_more);
}

TEST(frame_decoder, zero_limit_accepts_only_empty_frames) {
  frame_decoder d(0);
  std::size_t used = 0;
  EXPECT_EQ(d.decode(B(hex("00 00")), used), frame_decoder::status::frame);
  EXPECT_EQ(d.decode(B(hex("00 01 61")), used), frame_decoder::status::failed);
}

TEST(frame_decoder, large_body_grows_with_the_octets_that_arrive) {
  frame_decoder d;
  const std::size_t claimed = std::size_t{1} << 30;  // 1 GiB claimed
  std::string h = hex("02 00 00 00 00 40 00 00 00");
  std::size_t used = 0;
  ASSERT_EQ(d.decode(B(h), used), frame_decoder::status::need_more);
  const std::string chunk(4096, 'z');
  std::size_t received = 0;
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(d.decode(B(chunk), used), frame_decoder::status::need_more);
    received += chunk.size();
    EXPECT_LE(d.pending_allocation(), std::max(2 * received, received + frame_decoder::growth_step));
  }
  EXPECT_LT(d.pending_allocation(), claimed);
}

TEST(frame_decoder, large_message_across_many_chunks_is_one_message) {
  std::string body(3 * 1024 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7 + i / 251);
  const std::string stream = data_frame(body, true) + data_frame("tail");
  std::vector<std::size_t> cuts;
  for (std::size_t pos = 1000; pos < stream.size(); pos += 1000) cuts.push_back(pos);
  frame_decoder d;
  const auto out = decode_chunks(d, stream, cuts);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.frames.size(), 2U);
  EXPECT_TRUE(out.frames[0].view() == body);
  EXPECT_TRUE(has_more(out.frames[0]));
  EXPECT_EQ(out.frames[1].view(), "tail");
}

TEST(frame_decoder, body_in_one_chunk_is_allocated_once_at_its_size) {
  frame_decoder d;
  const std::string body(200000, 'q');
  const std::string stream = data_frame(body);
  std::size_t used = 0;
  ASSERT_EQ(d.decode(B(stream).first(9), used), frame_decoder::status::need_more);
  EXPECT_EQ(d.pending_allocation(), 0U);  // 200000 > growth_step: waits for the octets
  ASSERT_EQ(d.decode(B(stream).subspan(9), used), frame_decoder::status::frame);
  EXPECT_EQ(d.take().view(), body);
}

TEST(frame_decoder, the_rest_of_an_allocated_body_can_be_written_in_place) {
  frame_decoder d;
  std::string body(100000, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 13 + i / 97);
  const std::string stream = data_frame(body, true) + data_frame("next");
  std::size_t used = 0;
  EXPECT_TRUE(d.body_space().empty());  // no frame in progress
  // The header and 40000 octets: the claim is backed closely enough to be allocated whole.
  ASSERT_EQ(d.decode(B(stream).first(9 + 40000), used), frame_decoder::status::need_more);
  std::span<std::byte> space = d.body_space();
  ASSERT_EQ(space.size(), body.size() - 40000);
  std::memcpy(space.data(), body.data() + 40000, 30000);
  ASSERT_EQ(d.body_written(30000), frame_decoder::status::need_more);
  space = d.body_space();
  ASSERT_EQ(space.size(), body.size() - 70000);
  std::memcpy(space.data(), body.data() + 70000, space.size());
  ASSERT_EQ(d.body_written(space.size()), frame_decoder::status::frame);
  message m = d.take();
  EXPECT_TRUE(m.view() == body);
  EXPECT_TRUE(has_more(m));
  // The next frame decodes from the stream as usual.
  EXPECT_TRUE(d.body_space().empty());
  ASSERT_EQ(d.decode(B(stream).subspan(9 + body.size()), used), frame_decoder::status::frame);
  EXPECT_EQ(d.take().view(), "next");
}

TEST(frame_decoder, a_body_still_growing_offers_no_space_to_write_in_place) {
  frame_decoder d;
  std::size_t used = 0;
  // 1 GiB claimed with nothing behind it: the body grows as octets arrive, never in place.
  ASSERT_EQ(d.decode(B(hex("02 00 00 00 00 40 00 00 00")), used), frame_decoder::status::need_more);
  EXPECT_TRUE(d.body_space().empty());
  ASSERT_EQ(d.decode(B(std::string(4096, 'z')), used), frame_decoder::status::need_more);
  EXPECT_TRUE(d.body_space().empty());
}

TEST(frame_decoder, small_bodies_are_inline) {
  frame_decoder d;
  std::size_t used = 0;
  ASSERT_EQ(d.decode(B(data_frame(std::string(48, 'i'))), used), frame_decoder::status::frame);
  message m = d.take();
  message copy = m;
  EXPECT_FALSE(m.shared());  // inline bodies are copied by value
}

TEST(frame_decoder, small_bodies_from_one_input_outlive_the_decoder_and_each_other) {
  std::string stream;
  for (std::size_t i = 0; i < 300; ++i)
    stream += data_frame(std::string(49 + i % 900, static_cast<char>('a' + i % 26)));
  std::vector<message> frames;
  {
    frame_decoder d;
    std::size_t pos = 0;
    while (pos < stream.size()) {
      std::size_t used = 0;
      ASSERT_EQ(d.decode(B(stream).subspan(pos), used), frame_decoder::status::frame);
      pos += used;
      frames.push_back(d.take());
    }
    d.end_of_input();
  }
  ASSERT_EQ(frames.size(), 300U);
  for (std::size_t i = 0; i < frames.size(); i += 2) frames[i].reset();  // every other one
  for (std::size_t i = 1; i < frames.size(); i += 2) {
    EXPECT_EQ(frames[i].view(), std::string(49 + i % 900, static_cast<char>('a' + i % 26))) << "frame " << i;
    EXPECT_FALSE(frames[i].shared());
  }
}

}  // namespace
}  // namespace ringmq::zmtp::test
