// output_batch: copies merge into few iovecs, large bodies are referenced in place, partial
// writes resume exactly, chunks are pooled within bounds.
#include "zmtp/output_batch.hpp"

#include "zmtp_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>

namespace ringmq::zmtp::test {
namespace {

TEST(output_batch, neighbouring_copies_share_one_iovec) {
  output_batch out;
  out.append_copy(B("\x00\x02"s));
  out.append_body(message("hi"s));
  out.append_copy(B("\x00\x01"s));
  out.append_body(message("!"s));
  EXPECT_EQ(out.size(), 7U);
  EXPECT_EQ(out.iovecs().size(), 1U);
  EXPECT_EQ(drain(out), "\x00\x02hi\x00\x01!"s);
  EXPECT_TRUE(out.empty());
}

TEST(output_batch, large_bodies_are_referenced_not_copied) {
  output_batch out;
  message big(std::string(10000, 'b'));
  const void* data = big.data();
  out.append_copy(B(hex("02 00 00 00 00 00 00 27 10")));
  out.append_body(std::move(big));
  out.append_copy(B("\x00\x00"s));
  const auto iov = out.iovecs();
  ASSERT_EQ(iov.size(), 3U);
  EXPECT_EQ(iov[1].iov_base, data);
  EXPECT_EQ(iov[1].iov_len, 10000U);
  EXPECT_EQ(drain(out).size(), 9U + 10000U + 2U);
}

std::atomic<int> freed{0};
void count_free(void*, void*) noexcept { freed.fetch_add(1); }

TEST(output_batch, a_zero_copy_body_is_released_once_written) {
  static char buffer[4096];
  freed = 0;
  output_batch out;
  out.append_body(message(buffer, sizeof buffer, &count_free));
  out.consume(100);
  EXPECT_EQ(freed.load(), 0);
  EXPECT_EQ(out.iovecs()[0].iov_base, buffer + 100);
  out.consume(sizeof buffer - 100);
  EXPECT_EQ(freed.load(), 1);
  EXPECT_TRUE(out.empty());
}

TEST(output_batch, partial_writes_resume_where_they_stopped) {
  output_batch out;
  std::string expected;
  for (int i = 0; i < 50; ++i) {
    const std::string piece = std::to_string(i) + std::string(static_cast<std::size_t>(i * 37), 'p');
    expected += piece;
    if (i % 3 == 0)
      out.append_body(message(piece));
    else
      out.append_copy(B(piece));
  }
  std::string got;
  std::size_t step = 1;
  while (!out.empty()) {
    const auto iov = out.iovecs();
    std::size_t take = std::min(step, out.size());
    std::size_t left = take;
    for (const iovec& v : iov) {
      const std::size_t n = std::min(left, v.iov_len);
      got.append(static_cast<const char*>(v.iov_base), n);
      left -= n;
      if (left == 0) break;
    }
    out.consume(take);
    step = step * 3 % 1013 + 1;
  }
  EXPECT_EQ(got, expected);
}

TEST(output_batch, copies_span_chunks) {
  output_batch out;
  const std::string big(3 * output_batch::chunk_size + 5, 'c');
  out.append_copy(B(big));
  EXPECT_EQ(out.iovecs().size(), 4U);
  EXPECT_EQ(drain(out), big);
}

TEST(output_batch, chunk_pool_is_bounded_and_reused) {
  output_batch out(1 << 20, 2);
  const std::string piece(1000, 'k');
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 40; ++i) out.append_copy(B(piece));  // ~5 chunks
    EXPECT_LE(out.chunks_allocated(), 8U);
    drain(out);
    EXPECT_LE(out.chunks_allocated(), 3U);  // the write chunk + 2 spares
  }
}

// Issue 15: a connection waiting for its peer's greeting held an 8 KiB chunk for the 64
// octets of ours.
TEST(output_batch, a_greeting_takes_a_small_chunk_and_trim_frees_it) {
  output_batch out;
  EXPECT_EQ(out.chunk_bytes(), 0U);  // nothing before the first write
  out.append_copy(B(std::string(64, 'g')));
  EXPECT_EQ(out.chunk_bytes(), output_batch::first_chunk_size);
  out.trim();  // not empty: keeps everything
  EXPECT_EQ(out.size(), 64U);
  EXPECT_EQ(drain(out), std::string(64, 'g'));
  EXPECT_EQ(out.chunk_bytes(), output_batch::first_chunk_size);  // reused in place
  out.trim();
  EXPECT_EQ(out.chunk_bytes(), 0U);
  EXPECT_EQ(out.chunks_allocated(), 0U);
  out.append_copy(B(std::string(100, 'r')));  // after a trim, small again
  EXPECT_EQ(out.chunk_bytes(), output_batch::first_chunk_size);
  EXPECT_EQ(drain(out), std::string(100, 'r'));
}

TEST(output_batch, traffic_past_the_small_chunk_uses_full_chunks_and_pools_only_those) {
  output_batch out(1 << 20, 2);
  const std::string piece(1000, 't');
  std::string expected;
  for (int i = 0; i < 20; ++i) {
    out.append_copy(B(piece));
    expected += piece;
  }
  EXPECT_EQ(out.chunk_bytes(), output_batch::first_chunk_size + 3 * output_batch::chunk_size);
  EXPECT_EQ(drain(out), expected);
  // The small chunk went away; full ones are the write chunk and two spares.
  EXPECT_EQ(out.chunk_bytes(), 3 * output_batch::chunk_size);
}

TEST(output_batch, a_batch_that_never_empties_stays_in_order) {
  output_batch out;
  std::string expected;
  std::string got;
  for (int i = 0; i < 5000; ++i) {
    const std::string body(output_batch::copy_threshold + 1 + static_cast<std::size_t>(i % 7),
                           static_cast<char>('a' + i % 26));
    expected += body;
    out.append_body(message(body));
    // Take all but the last few octets: the batch is never empty.
    std::size_t take = out.size() - 3;
    for (const iovec& v : out.iovecs()) {
      const std::size_t n = std::min(take, v.iov_len);
      got.append(static_cast<const char*>(v.iov_base), n);
      take -= n;
      if (take == 0) break;
    }
    out.consume(out.size() - 3);
  }
  got += drain(out);
  EXPECT_EQ(got, expected);
}

TEST(output_batch, iovecs_are_capped_and_the_rest_follows) {
  output_batch out;
  std::string expected;
  for (std::size_t i = 0; i < output_batch::max_iovecs + 10; ++i) {
    std::string body(output_batch::copy_threshold + 1, static_cast<char>('a' + i % 26));
    expected += body;
    out.append_body(message(body));
  }
  EXPECT_EQ(out.iovecs().size(), output_batch::max_iovecs);
  EXPECT_EQ(drain(out), expected);
}

TEST(output_batch, full_reports_the_soft_limit) {
  output_batch out(100);
  out.append_copy(B(std::string(99, 'x')));
  EXPECT_FALSE(out.full());
  out.append_copy(B("y"));
  EXPECT_TRUE(out.full());
  out.consume(50);
  EXPECT_FALSE(out.full());
  out.clear();
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(out.iovecs().empty());
}

}  // namespace
}  // namespace ringmq::zmtp::test
