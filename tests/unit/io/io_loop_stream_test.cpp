// io_loop conformance, streams: receive, send, flow control, end of stream, close.
#include "io_loop_conformance.hpp"

#include <sys/ioctl.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <thread>

namespace ringmq::detail::io::test {
namespace {

// Bytes queued in a socket's receive buffer (not yet read by anyone).
int unread_bytes(int fd) {
  int n = 0;
  check_sys(::ioctl(fd, FIONREAD, &n) == 0, "ioctl(FIONREAD)");
  return n;
}

// Polls a kernel counter that no callback reports, with a deadline.
template <class Pred>
bool poll_until(Pred pred) {
  const auto limit = std::chrono::steady_clock::now() + patience;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > limit) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

template <class Fixture>
void check_echo(Fixture& fixture, transport kind) {
  SCOPED_TRACE(name_of(kind));
  socket_pair p = make_pair(kind);
  echo_handler echo;
  auto t = fixture.start();
  on_loop(*t, [&] {
    echo.loop = &t->loop();
    echo.id = t->loop().add_stream(p.loop_end.release(), echo);
  });
  const int peer = p.peer_end.get();

  // Ping-pong with sizes from 1 byte to a few KiB.
  for (std::uint32_t i = 0; i < 200; ++i) {
    const auto msg = pattern(1 + (i * 37) % 5000, i);
    ASSERT_TRUE(write_all(peer, msg));
    std::vector<std::byte> back(msg.size());
    ASSERT_TRUE(read_exact(peer, back));
    ASSERT_EQ(back, msg) << "round trip " << i;
  }
  // Bulk, both directions at once.
  const auto bulk = pattern(4 << 20, 99);
  std::atomic<bool> wrote{false};
  std::thread writer([&] { wrote = write_all(peer, bulk); });
  std::vector<std::byte> back(bulk.size());
  const bool read_ok = read_exact(peer, back);
  writer.join();
  ASSERT_TRUE(wrote.load());
  ASSERT_TRUE(read_ok);
  EXPECT_TRUE(back == bulk);

  // An orderly close by the peer ends the receive side with 0.
  ::shutdown(peer, SHUT_WR);
  ASSERT_TRUE(echo.box.wait([&] { return echo.end.has_value(); }));
  EXPECT_EQ(*echo.end, 0);
  close_and_wait(*t, echo.id);
}

TYPED_TEST(io_loop_conformance, echo_over_tcp_loopback) { check_echo(*this, transport::tcp); }

TYPED_TEST(io_loop_conformance, echo_over_unix_socketpair) { check_echo(*this, transport::unix_stream); }

TYPED_TEST(io_loop_conformance, large_transfer_from_loop_is_byte_exact) {
  for (const transport kind : {transport::tcp, transport::unix_stream}) {
    SCOPED_TRACE(name_of(kind));
    socket_pair p = make_pair(kind);
    const auto payload = pattern(12 << 20, 7);
    // Three uneven pieces, so the send crosses iovec boundaries mid-way.
    const iovec parts[] = {
        {const_cast<std::byte*>(payload.data()), 1},
        {const_cast<std::byte*>(payload.data()) + 1, (5 << 20) + 3},
        {const_cast<std::byte*>(payload.data()) + (5 << 20) + 4, payload.size() - (5 << 20) - 4}};
    recorder r;
    auto t = this->start();
    const stream_id id = add_stream(*t, p.loop_end, r);
    on_loop(*t, [&] { t->loop().send(id, parts); });
    std::vector<std::byte> got(payload.size());
    ASSERT_TRUE(read_exact(p.peer_end.get(), got));
    EXPECT_TRUE(got == payload);
    ASSERT_TRUE(r.wait_sent(1));
    EXPECT_EQ(r.sent[0], (std::pair<std::size_t, int>{payload.size(), 0}));
    close_and_wait(*t, id);
  }
}

TYPED_TEST(io_loop_conformance, large_transfer_to_loop_is_byte_exact) {
  for (const transport kind : {transport::tcp, transport::unix_stream}) {
    SCOPED_TRACE(name_of(kind));
    socket_pair p = make_pair(kind);
    const auto payload = pattern(12 << 20, 8);
    recorder r;
    auto t = this->start();
    const stream_id id = add_stream(*t, p.loop_end, r);
    ASSERT_TRUE(write_all(p.peer_end.get(), payload));
    ASSERT_TRUE(r.wait_bytes(payload.size()));
    EXPECT_TRUE(r.box.read([&] { return r.data == payload; }));
    close_and_wait(*t, id);
  }
}

TYPED_TEST(io_loop_conformance, many_streams_at_once) {
  // Both ends of every pair on the loop; every end sends to its partner at the same time.
  constexpr std::size_t pairs = 48;
  constexpr std::size_t size = std::size_t{256} * 1024;
  struct end {
    unique_fd fd;
    recorder rec;
    std::vector<std::byte> out;
    iovec iov{};
    stream_id id = 0;
  };
  std::vector<std::unique_ptr<end>> ends;
  for (std::size_t i = 0; i < pairs; ++i) {
    socket_pair p = make_pair(i % 2 == 0 ? transport::tcp : transport::unix_stream);
    set_nonblocking(p.peer_end.get(), true);
    for (unique_fd* fd : {&p.loop_end, &p.peer_end}) {
      auto e = std::make_unique<end>();
      e->fd = std::move(*fd);
      e->out = pattern(size, static_cast<std::uint32_t>(ends.size()));
      e->iov = iovec{e->out.data(), e->out.size()};
      ends.push_back(std::move(e));
    }
  }
  auto t = this->start();
  on_loop(*t, [&] {
    for (auto& e : ends) e->id = t->loop().add_stream(e->fd.release(), e->rec);
    for (auto& e : ends) t->loop().send(e->id, std::span<const iovec>(&e->iov, 1));
  });
  for (std::size_t i = 0; i < ends.size(); ++i) {
    end& e = *ends[i];
    const end& partner = *ends[i ^ 1];
    ASSERT_TRUE(e.rec.wait_bytes(size)) << "end " << i;
    ASSERT_TRUE(e.rec.wait_sent(1)) << "end " << i;
    EXPECT_TRUE(e.rec.box.read([&] { return e.rec.data == partner.out; })) << "end " << i;
    EXPECT_EQ(e.rec.sent[0], (std::pair<std::size_t, int>{size, 0}));
  }
  for (auto& e : ends) close_and_wait(*t, e->id);
}

TYPED_TEST(io_loop_conformance, paused_stream_pushes_back_on_the_sender) {
  for (const transport kind : {transport::tcp, transport::unix_stream}) {
    SCOPED_TRACE(name_of(kind));
    socket_pair p = make_pair(kind);
    // Small kernel buffers: the queues between the two fill after a few hundred KiB.
    // (Not much smaller: a receive window below two loopback MSS (64 KiB) never reopens
    // by itself after resume, only through the sender's back-off persist probes.)
    set_int_option(p.loop_end.get(), SOL_SOCKET, SO_RCVBUF, 128 * 1024);
    set_int_option(p.peer_end.get(), SOL_SOCKET, SO_SNDBUF, 64 * 1024);
    const int loop_fd = p.loop_end.get();
    const int peer = p.peer_end.get();
    const auto payload = pattern(16 << 20, 3);
    recorder r;
    auto t = this->start();
    const stream_id id = on_loop(*t, [&] {
      const stream_id s = t->loop().add_stream(p.loop_end.release(), r);
      t->loop().pause_recv(s);
      return s;
    });

    // Write without blocking until the kernel refuses: that is the back-pressure.
    std::size_t written = 0;
    bool pushed_back = false;
    while (written < payload.size()) {
      const std::size_t chunk = std::min<std::size_t>(std::size_t{64} * 1024, payload.size() - written);
      const ssize_t n = ::send(peer, payload.data() + written, chunk, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
        continue;
      }
      ASSERT_TRUE(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) << "send failed: errno " << errno;
      pushed_back = true;
      break;
    }
    ASSERT_TRUE(pushed_back) << "wrote " << written << " bytes to a paused stream without back-pressure";
    EXPECT_LT(written, std::size_t{4} << 20);
    EXPECT_EQ(r.bytes(), 0u) << "on_data while paused";
    EXPECT_GT(unread_bytes(loop_fd), 0) << "the data should wait in the paused socket";

    // Resumed, everything written so far and more arrives, in order.
    on_loop(*t, [&] { t->loop().resume_recv(id); });
    const std::size_t total = written + (1 << 20);
    ASSERT_TRUE(write_all(peer, std::span<const std::byte>(payload).subspan(written, total - written)));
    ASSERT_TRUE(r.wait_bytes(total));
    EXPECT_TRUE(r.box.read([&] { return std::equal(r.data.begin(), r.data.end(), payload.begin()); }));
    EXPECT_EQ(r.bytes(), total);
    close_and_wait(*t, id);
  }
}

TYPED_TEST(io_loop_conformance, pause_from_on_data_holds_further_data_until_resume) {
  for (const transport kind : {transport::tcp, transport::unix_stream}) {
    SCOPED_TRACE(name_of(kind));
    socket_pair p = make_pair(kind);
    const auto payload = pattern(6 << 20, 11);
    constexpr std::size_t step = std::size_t{256} * 1024;
    recorder r;
    io_loop* loop = nullptr;
    stream_id id = 0;
    // Loop thread only.
    bool paused = false;
    std::size_t seen = 0;
    std::size_t next_pause = step;
    // Guarded by r.box.
    int pauses = 0;
    int violations = 0;
    r.hook_data = [&](std::span<const std::byte> bytes) {
      const bool bad = paused;
      seen += bytes.size();
      const bool pause_now = !paused && seen >= next_pause;
      if (pause_now) {
        next_pause = seen + step;
        paused = true;
        loop->pause_recv(id);
      }
      r.box.update([&] {
        violations += bad ? 1 : 0;
        pauses += pause_now ? 1 : 0;
      });
    };
    auto t = this->start();
    on_loop(*t, [&] {
      loop = &t->loop();
      id = loop->add_stream(p.loop_end.release(), r);
    });
    std::atomic<bool> wrote{false};
    std::thread writer([&] { wrote = write_all(p.peer_end.get(), payload); });
    int resumed = 0;
    for (;;) {
      ASSERT_TRUE(r.box.wait([&] { return pauses > resumed || r.data.size() == payload.size(); }));
      if (r.bytes() == payload.size()) break;
      on_loop(*t, [&] {
        paused = false;
        loop->resume_recv(id);
      });
      ++resumed;
    }
    writer.join();
    EXPECT_TRUE(wrote.load());
    EXPECT_GT(resumed, 5);
    EXPECT_EQ(r.box.read([&] { return violations; }), 0) << "on_data while paused";
    EXPECT_TRUE(r.box.read([&] { return r.data == payload; }));
    close_and_wait(*t, id);
  }
}

TYPED_TEST(io_loop_conformance, a_lent_receive_side_is_the_borrowers_until_resume) {
  for (const transport kind : {transport::tcp, transport::unix_stream}) {
    SCOPED_TRACE(name_of(kind));
    socket_pair p = make_pair(kind);
    const int loop_fd = p.loop_end.get();
    const int peer = p.peer_end.get();
    const auto payload = pattern(6 << 20, 13);
    const std::span<const std::byte> all(payload);
    constexpr std::size_t lend_at = 1 << 20;
    constexpr std::size_t resume_at = 3 << 20;
    recorder r;
    auto t = this->start();
    const stream_id id = add_stream(*t, p.loop_end, r);
    // The loop receives the first part (some of it may still be in the kernel when lent).
    ASSERT_TRUE(write_all(peer, all.first(lend_at)));
    ASSERT_TRUE(r.wait_bytes(1));
    signal_box lent_box;
    std::optional<bool> lent;
    on_loop(*t, [&] { t->loop().lend_recv(id, [&](bool ok) { lent_box.update([&] { lent = ok; }); }); });
    ASSERT_TRUE(lent_box.wait([&] { return lent.has_value(); }));
    EXPECT_TRUE(*lent);
    // What the loop delivered is a prefix; the borrower reads exactly what follows it.
    const std::size_t by_loop = r.bytes();
    std::thread second_writer([&] { write_all(peer, all.subspan(lend_at, resume_at - lend_at)); });
    set_nonblocking(loop_fd, false);
    set_io_timeouts(loop_fd);
    std::vector<std::byte> borrowed(resume_at - by_loop);
    const bool read_all = read_exact(loop_fd, borrowed);
    second_writer.join();
    ASSERT_TRUE(read_all);
    EXPECT_TRUE(
        std::equal(borrowed.begin(), borrowed.end(), all.begin() + static_cast<std::ptrdiff_t>(by_loop)));
    EXPECT_EQ(r.bytes(), by_loop) << "on_data while lent";
    EXPECT_TRUE(r.box.read([&] { return std::equal(r.data.begin(), r.data.end(), all.begin()); }));
    // Resumed, the loop receives the rest.
    set_nonblocking(loop_fd, true);
    on_loop(*t, [&] { t->loop().resume_recv(id); });
    ASSERT_TRUE(write_all(peer, all.subspan(resume_at)));
    ASSERT_TRUE(r.wait_bytes(by_loop + payload.size() - resume_at));
    EXPECT_TRUE(r.box.read([&] {
      return std::equal(r.data.begin() + static_cast<std::ptrdiff_t>(by_loop), r.data.end(),
                        all.begin() + resume_at);
    }));
    close_and_wait(*t, id);
  }
}

TYPED_TEST(io_loop_conformance, a_resume_before_the_lend_completes_keeps_the_loop_receiving) {
  socket_pair p = make_pair(transport::tcp);
  const int peer = p.peer_end.get();
  recorder r;
  auto t = this->start();
  const stream_id id = add_stream(*t, p.loop_end, r);
  signal_box lent_box;
  std::optional<bool> lent;
  on_loop(*t, [&] {
    t->loop().lend_recv(id, [&](bool ok) { lent_box.update([&] { lent = ok; }); });
    t->loop().resume_recv(id);
  });
  ASSERT_TRUE(lent_box.wait([&] { return lent.has_value(); }));
  EXPECT_FALSE(*lent);
  const auto payload = pattern(std::size_t{256} * 1024, 17);
  ASSERT_TRUE(write_all(peer, payload));
  ASSERT_TRUE(r.wait_bytes(payload.size()));
  EXPECT_TRUE(r.box.read([&] { return r.data == payload; }));
  close_and_wait(*t, id);
}

TYPED_TEST(io_loop_conformance, send_does_not_complete_while_the_receiver_is_paused) {
  for (const transport kind : {transport::tcp, transport::unix_stream}) {
    SCOPED_TRACE(name_of(kind));
    socket_pair p = make_pair(kind);
    set_nonblocking(p.peer_end.get(), true);
    // Both ends on the loop. The kernel can hold far less than the payload between them
    // (sizes as in paused_stream_pushes_back_on_the_sender).
    set_int_option(p.peer_end.get(), SOL_SOCKET, SO_SNDBUF, 64 * 1024);
    set_int_option(p.loop_end.get(), SOL_SOCKET, SO_RCVBUF, 128 * 1024);
    const int receiver_fd = p.loop_end.get();
    const auto payload = pattern(8 << 20, 21);
    const iovec iov{const_cast<std::byte*>(payload.data()), payload.size()};
    recorder sender;
    recorder receiver;
    auto t = this->start();
    stream_id rid = 0;
    on_loop(*t, [&] {
      rid = t->loop().add_stream(p.loop_end.release(), receiver);
      t->loop().pause_recv(rid);
      const stream_id sid = t->loop().add_stream(p.peer_end.release(), sender);
      t->loop().send(sid, std::span<const iovec>(&iov, 1));
    });
    // Data piles up unread in the paused receiver's socket...
    ASSERT_TRUE(poll_until([&] { return unread_bytes(receiver_fd) > 0; }));
    // ...and the 8 MiB send cannot have completed: the kernel holds well under 1 MiB.
    EXPECT_TRUE(sender.box.read([&] { return sender.sent.empty(); }));
    EXPECT_EQ(receiver.bytes(), 0u);
    on_loop(*t, [&] { t->loop().resume_recv(rid); });
    ASSERT_TRUE(sender.wait_sent(1));
    EXPECT_EQ(sender.sent[0], (std::pair<std::size_t, int>{payload.size(), 0}));
    ASSERT_TRUE(receiver.wait_bytes(payload.size()));
    EXPECT_TRUE(receiver.box.read([&] { return receiver.data == payload; }));
  }
}

TYPED_TEST(io_loop_conformance, send_of_an_iovec_list_longer_than_iov_max) {
  for (const transport kind : {transport::tcp, transport::unix_stream}) {
    SCOPED_TRACE(name_of(kind));
    socket_pair p = make_pair(kind);
    const auto payload = pattern(3 << 20, 5);
    // 3000 pieces (IOV_MAX is 1024) of uneven sizes, some empty.
    std::vector<iovec> pieces;
    std::size_t at = 0;
    for (std::uint32_t i = 0; at < payload.size(); ++i) {
      const std::size_t len = std::min<std::size_t>(payload.size() - at, i % 7 == 0 ? 0 : (i * 7919) % 2100);
      pieces.push_back(iovec{const_cast<std::byte*>(payload.data()) + at, len});
      at += len;
    }
    ASSERT_GT(pieces.size(), std::size_t{2} * IOV_MAX);
    recorder r;
    auto t = this->start();
    const stream_id id = add_stream(*t, p.loop_end, r);
    on_loop(*t, [&] { t->loop().send(id, pieces); });
    std::vector<std::byte> got(payload.size());
    ASSERT_TRUE(read_exact(p.peer_end.get(), got));
    EXPECT_TRUE(got == payload);
    ASSERT_TRUE(r.wait_sent(1));
    EXPECT_EQ(r.sent[0], (std::pair<std::size_t, int>{payload.size(), 0}));
  }
}

TYPED_TEST(io_loop_conformance, empty_send_completes) {
  socket_pair p = make_pair(transport::unix_stream);
  const iovec empties[] = {{nullptr, 0}, {nullptr, 0}};
  recorder r;
  int sent_from_send_call = 0;  // loop thread only
  bool inside_send = false;
  r.hook_sent = [&](std::size_t, int) { sent_from_send_call += inside_send ? 1 : 0; };
  auto t = this->start();
  const stream_id id = add_stream(*t, p.loop_end, r);
  on_loop(*t, [&] {
    inside_send = true;
    t->loop().send(id, std::span<const iovec>());
    inside_send = false;
  });
  ASSERT_TRUE(r.wait_sent(1));
  on_loop(*t, [&] {
    inside_send = true;
    t->loop().send(id, empties);
    inside_send = false;
  });
  ASSERT_TRUE(r.wait_sent(2));
  EXPECT_EQ(r.sent[0], (std::pair<std::size_t, int>{0, 0}));
  EXPECT_EQ(r.sent[1], (std::pair<std::size_t, int>{0, 0}));
  EXPECT_EQ(on_loop(*t, [&] { return sent_from_send_call; }), 0) << "on_sent re-entered send()";
}

TYPED_TEST(io_loop_conformance, orderly_peer_close_ends_receive_with_zero) {
  for (const transport kind : {transport::tcp, transport::unix_stream}) {
    SCOPED_TRACE(name_of(kind));
    socket_pair p = make_pair(kind);
    recorder r;
    auto t = this->start();
    const stream_id id = add_stream(*t, p.loop_end, r);
    const auto last = pattern(1000, 1);
    ASSERT_TRUE(write_all(p.peer_end.get(), last));
    p.peer_end.reset();
    ASSERT_TRUE(r.wait_end());
    EXPECT_EQ(*r.end, 0);
    EXPECT_TRUE(r.box.read([&] { return r.data == last; })) << "data before the end is delivered first";
    if (kind == transport::unix_stream) {
      // The stream stays open for sending until close_stream; the peer is gone, so a send
      // fails. (Over TCP the first send may still fit in the socket buffer before the
      // peer's RST comes back, so only AF_UNIX gives a deterministic EPIPE.)
      const auto more = pattern(1 << 20, 2);
      const iovec iov{const_cast<std::byte*>(more.data()), more.size()};
      on_loop(*t, [&] { t->loop().send(id, std::span<const iovec>(&iov, 1)); });
      ASSERT_TRUE(r.wait_sent(1));
      EXPECT_EQ(r.sent[0].second, EPIPE);
    }
    close_and_wait(*t, id);
    EXPECT_EQ(r.after_close, 0);
  }
}

TYPED_TEST(io_loop_conformance, peer_reset_ends_receive_with_econnreset) {
  socket_pair p = make_pair(transport::tcp);
  recorder r;
  auto t = this->start();
  const stream_id id = add_stream(*t, p.loop_end, r);
  // SO_LINGER with a zero timeout: close() sends RST instead of FIN.
  const linger abort_on_close{1, 0};
  check_sys(
      ::setsockopt(p.peer_end.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close) == 0,
      "SO_LINGER");
  p.peer_end.reset();
  ASSERT_TRUE(r.wait_end());
  EXPECT_EQ(*r.end, ECONNRESET);
  close_and_wait(*t, id);
}

TYPED_TEST(io_loop_conformance, close_stream_with_send_and_receive_in_flight) {
  for (const transport kind : {transport::tcp, transport::unix_stream}) {
    SCOPED_TRACE(name_of(kind));
    socket_pair p = make_pair(kind);
    // The peer does not read: the 32 MiB send stays in flight; so does the receive.
    const auto payload = pattern(32 << 20, 9);
    const iovec iov{const_cast<std::byte*>(payload.data()), payload.size()};
    recorder r;
    auto t = this->start();
    const stream_id id = add_stream(*t, p.loop_end, r);
    on_loop(*t, [&] { t->loop().send(id, std::span<const iovec>(&iov, 1)); });
    // A separate pass: by now the send has been handed to the kernel.
    on_loop(*t, [&] { t->loop().close_stream(id, r.on_done()); });
    ASSERT_TRUE(r.wait_done());
    // Two more passes through the loop: nothing for this stream may come any more.
    on_loop(*t, [] {});
    on_loop(*t, [] {});
    EXPECT_EQ(r.after_close, 0);
    EXPECT_TRUE(r.box.read([&] { return r.sent.empty(); })) << "on_sent after close_stream";
    // The fd was closed: the peer reads what got through, then the end.
    const auto [n, error] = read_to_end(p.peer_end.get());
    EXPECT_LT(n, payload.size());
    EXPECT_TRUE(error == 0 || error == ECONNRESET) << "errno " << error;
  }
}

TYPED_TEST(io_loop_conformance, close_stream_from_inside_on_data) {
  socket_pair p = make_pair(transport::tcp);
  recorder r;
  io_loop* loop = nullptr;
  stream_id id = 0;
  bool closed = false;  // loop thread only
  r.hook_data = [&](std::span<const std::byte>) {
    if (closed) return;
    closed = true;
    loop->close_stream(id, r.on_done());
  };
  auto t = this->start();
  on_loop(*t, [&] {
    loop = &t->loop();
    id = loop->add_stream(p.loop_end.release(), r);
  });
  // Several writes, so that more data is queued behind the one that triggers the close.
  // Later ones may fail: the loop may have closed (and reset) the connection by then.
  ASSERT_TRUE(write_all(p.peer_end.get(), pattern(10000, 0)));
  for (std::uint32_t i = 1; i < 50; ++i) {
    if (!write_all(p.peer_end.get(), pattern(10000, i))) break;
  }
  ASSERT_TRUE(r.wait_done());
  on_loop(*t, [] {});
  on_loop(*t, [] {});
  EXPECT_EQ(r.after_close, 0);
  EXPECT_EQ(r.box.read([&] { return r.data_calls; }), 1u);
  const auto [n, error] = read_to_end(p.peer_end.get());
  EXPECT_EQ(n, 0u);
  EXPECT_TRUE(error == 0 || error == ECONNRESET) << "errno " << error;
}

TYPED_TEST(io_loop_conformance, streams_closed_with_operations_pending_never_cross_talk) {
  // Open, send, close at once, again and again: slots are reused while cancelled
  // operations of their previous occupants may still be completing. Every peer must see
  // only a prefix of its own stream's bytes, and no handler may hear of a closed stream.
  constexpr std::size_t rounds = 100;
  struct attempt {
    socket_pair p;
    std::vector<std::byte> out;
    iovec iov{};
    recorder rec;
    stream_id id = 0;
  };
  std::vector<std::unique_ptr<attempt>> all;
  for (std::size_t i = 0; i < rounds; ++i) {
    auto r = std::make_unique<attempt>();
    r->p = make_pair(i % 2 == 0 ? transport::unix_stream : transport::tcp);
    r->out = pattern(std::size_t{64} * 1024, static_cast<std::uint32_t>(1000 + i));
    r->iov = iovec{r->out.data(), r->out.size()};
    all.push_back(std::move(r));
  }
  auto t = this->start();
  for (std::size_t i = 0; i < rounds; ++i) {
    attempt& r = *all[i];
    // Peer data is already waiting, so the receive completes while the close is pending.
    ASSERT_TRUE(write_all(r.p.peer_end.get(), pattern(1000, 7)));
    on_loop(*t, [&] {
      r.id = t->loop().add_stream(r.p.loop_end.release(), r.rec);
      t->loop().send(r.id, std::span<const iovec>(&r.iov, 1));
      if (i % 3 == 0) t->loop().close_stream(r.id, r.rec.on_done());
    });
    if (i % 3 != 0) on_loop(*t, [&] { t->loop().close_stream(r.id, r.rec.on_done()); });
  }
  for (std::size_t i = 0; i < rounds; ++i) {
    attempt& r = *all[i];
    ASSERT_TRUE(r.rec.wait_done()) << "round " << i;
    std::vector<std::byte> got;
    std::vector<std::byte> buf(std::size_t{64} * 1024);
    for (;;) {
      const ssize_t n = ::recv(r.p.peer_end.get(), buf.data(), buf.size(), 0);
      if (n <= 0) break;
      got.insert(got.end(), buf.begin(), buf.begin() + n);
    }
    ASSERT_LE(got.size(), r.out.size()) << "round " << i;
    EXPECT_TRUE(std::equal(got.begin(), got.end(), r.out.begin())) << "round " << i << " got foreign bytes";
  }
  on_loop(*t, [] {});
  for (std::size_t i = 0; i < rounds; ++i) EXPECT_EQ(all[i]->rec.after_close, 0) << "round " << i;
}

TYPED_TEST(io_loop_conformance, destroying_the_loop_closes_its_streams) {
  socket_pair p = make_pair(transport::tcp);
  const auto payload = pattern(16 << 20, 4);
  const iovec iov{const_cast<std::byte*>(payload.data()), payload.size()};
  recorder r;
  {
    auto t = this->start();
    const stream_id id = add_stream(*t, p.loop_end, r);
    on_loop(*t, [&] { t->loop().send(id, std::span<const iovec>(&iov, 1)); });
    on_loop(*t, [] {});
  }
  EXPECT_TRUE(r.box.read([&] { return r.sent.empty() && !r.end; })) << "handlers called during teardown";
  const auto [n, error] = read_to_end(p.peer_end.get());
  EXPECT_LT(n, payload.size());
  EXPECT_TRUE(error == 0 || error == ECONNRESET) << "errno " << error;
}

}  // namespace
}  // namespace ringmq::detail::io::test
