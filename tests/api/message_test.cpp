// ringmq::message: inline and shared bodies, constant and zero-copy bodies, and the free
// callback's contract (called once, when the last copy dies, on whichever thread that is,
// and allowed to call back into the library).
#include "spec/support.hpp"

#include <atomic>
#include <cstring>
#include <future>
#include <mutex>
#include <thread>

namespace ringmq_test {
namespace {

TEST(api_message, a_default_message_is_empty) {
  ringmq::message m;
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.size(), 0u);
  EXPECT_FALSE(m.more());
  EXPECT_FALSE(m.shared());
  EXPECT_EQ(m.view(), "");
  EXPECT_FALSE(m.property("Socket-Type"));
}

TEST(api_message, holds_a_copy_of_the_bytes_it_was_made_from) {
  std::string text = "hello";
  ringmq::message m(text);
  text[0] = 'j';
  EXPECT_EQ(m.view(), "hello");
  EXPECT_EQ(m.to_string(), "hello");
  EXPECT_EQ(m.size(), 5u);
  EXPECT_EQ(m.bytes().size(), 5u);
  EXPECT_EQ(static_cast<char>(m.bytes()[1]), 'e');
  const std::array<std::byte, 3> raw{std::byte{0}, std::byte{1}, std::byte{2}};
  ringmq::message b{std::span<const std::byte>(raw)};
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(std::memcmp(b.data(), raw.data(), 3), 0);
  ringmq::message c(raw.data(), raw.size());
  EXPECT_EQ(b, c);
  EXPECT_FALSE(b == m);
}

TEST(api_message, a_sized_message_is_writable) {
  for (std::size_t size :
       {std::size_t{0}, std::size_t{10}, ringmq::message::inline_capacity, std::size_t{5000}}) {
    ringmq::message m(size);
    ASSERT_EQ(m.size(), size);
    if (size != 0) std::memset(m.data(), 'w', size);
    EXPECT_EQ(m.view(), std::string(size, 'w'));
  }
}

TEST(api_message, bodies_up_to_48_bytes_are_inline_and_copied_by_value) {
  static_assert(ringmq::message::inline_capacity == 48);
  static_assert(sizeof(ringmq::message) == 64);
  const std::string small(48, 's');
  ringmq::message a(small);
  ringmq::message b(a);
  EXPECT_FALSE(a.shared());
  EXPECT_FALSE(b.shared());
  EXPECT_NE(a.data(), b.data());
  static_cast<char*>(b.data())[0] = 'S';
  EXPECT_EQ(a.view(), small) << "an inline copy is independent";
}

TEST(api_message, larger_bodies_are_shared_by_copies) {
  const std::string large(49, 'L');
  ringmq::message a(large);
  EXPECT_FALSE(a.shared());
  {
    ringmq::message b(a);
    EXPECT_TRUE(a.shared());
    EXPECT_TRUE(b.shared());
    EXPECT_EQ(a.data(), b.data()) << "no copy of the bytes";
    ringmq::message c;
    c = b;
    EXPECT_EQ(c.data(), a.data());
  }
  EXPECT_FALSE(a.shared()) << "the copies are gone";
  EXPECT_EQ(a.view(), large);
}

TEST(api_message, moving_leaves_the_source_empty) {
  ringmq::message a(std::string(100, 'm'));
  const void* body = a.data();
  ringmq::message b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): documented state
  EXPECT_EQ(b.data(), body);
  ringmq::message c;
  c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.size(), 100u);
  c.reset();
  EXPECT_TRUE(c.empty());
}

TEST(api_message, a_constant_body_is_referenced_not_copied) {
  static const char text[] = "a constant body that is longer than forty-eight bytes";
  auto m = ringmq::message::constant(text, sizeof text - 1);
  EXPECT_EQ(m.data(), static_cast<const void*>(text));
  ringmq::message copy(m);
  EXPECT_EQ(copy.data(), static_cast<const void*>(text));
  EXPECT_EQ(copy.view(), std::string_view(text));
}

// Counts free callbacks and remembers the thread of the last one.
struct free_probe {
  std::atomic<int> calls{0};
  std::atomic<void*> data{nullptr};
  std::mutex mutex;
  std::thread::id thread;

  static void callback(void* data, void* hint) noexcept {
    auto* self = static_cast<free_probe*>(hint);
    {
      std::lock_guard lock(self->mutex);
      self->thread = std::this_thread::get_id();
    }
    self->data.store(data);
    self->calls.fetch_add(1);
  }
};

TEST(api_message, zero_copy_free_callback_runs_once_when_the_last_copy_dies) {
  static char buffer[4096];
  free_probe probe;
  {
    ringmq::message m(buffer, sizeof buffer, &free_probe::callback, &probe);
    EXPECT_EQ(m.data(), static_cast<void*>(buffer));
    ringmq::message copy1(m);
    ringmq::message copy2;
    copy2 = copy1;
    m.reset();
    EXPECT_EQ(probe.calls.load(), 0);
    copy1 = ringmq::message("replaced");
    EXPECT_EQ(probe.calls.load(), 0);
  }
  EXPECT_EQ(probe.calls.load(), 1);
  EXPECT_EQ(probe.data.load(), static_cast<void*>(buffer));
}

TEST(api_message, zero_copy_free_callback_runs_on_the_thread_that_drops_the_last_copy) {
  static char buffer[64];
  free_probe probe;
  std::thread::id worker_id;
  {
    ringmq::message m(buffer, sizeof buffer, &free_probe::callback, &probe);
    std::thread worker([copy = ringmq::message(m), &worker_id]() mutable {
      worker_id = std::this_thread::get_id();
      copy.reset();
    });
    m.reset();  // may be first or last: the worker races with us
    worker.join();
  }
  EXPECT_EQ(probe.calls.load(), 1);

  // Now make sure the worker holds the last copy.
  free_probe probe2;
  {
    ringmq::message m(buffer, sizeof buffer, &free_probe::callback, &probe2);
    std::promise<void> main_dropped;
    auto dropped = main_dropped.get_future();
    std::thread worker([copy = ringmq::message(m), &worker_id, &dropped]() mutable {
      worker_id = std::this_thread::get_id();
      dropped.wait();
      copy.reset();
    });
    m.reset();
    main_dropped.set_value();
    worker.join();
  }
  EXPECT_EQ(probe2.calls.load(), 1);
  std::lock_guard lock(probe2.mutex);
  EXPECT_EQ(probe2.thread, worker_id);
}

TEST(api_message, zero_copy_body_travels_over_inproc_without_a_copy) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://zerocopy");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://zerocopy");
  static char buffer[1000];
  std::memset(buffer, 'z', sizeof buffer);
  free_probe probe;
  ASSERT_TRUE(push.send(ringmq::message(buffer, sizeof buffer, &free_probe::callback, &probe)));
  EXPECT_EQ(probe.calls.load(), 0) << "still queued";
  {
    auto got = pull.recv();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->data(), static_cast<void*>(buffer));
    EXPECT_EQ(probe.calls.load(), 0) << "the receiver holds it";
  }
  EXPECT_EQ(probe.calls.load(), 1);
}

TEST(api_message, zero_copy_body_dropped_by_the_library_is_freed_once) {
  ringmq::context ctx;
  static char buffer[100];
  free_probe dropped_by_pub;
  {
    auto pub = make_socket(ctx, socket_type::pub);  // no subscribers: dropped in send
    ASSERT_TRUE(pub.send(ringmq::message(buffer, sizeof buffer, &free_probe::callback, &dropped_by_pub)));
  }
  EXPECT_EQ(dropped_by_pub.calls.load(), 1);

  free_probe unroutable;
  {
    auto router = make_socket(ctx, socket_type::router);
    ASSERT_TRUE(router.send("nobody", send_flags::sndmore));
    ASSERT_TRUE(router.send(ringmq::message(buffer, sizeof buffer, &free_probe::callback, &unroutable)));
  }
  EXPECT_EQ(unroutable.calls.load(), 1);

  free_probe queued;
  {
    auto pull = make_socket(ctx, socket_type::pull);
    pull.bind("inproc://never-read");
    auto push = make_socket(ctx, socket_type::push);
    push.connect("inproc://never-read");
    ASSERT_TRUE(push.send(ringmq::message(buffer, sizeof buffer, &free_probe::callback, &queued)));
    auto pub = make_socket(ctx, socket_type::pub);
    pub.bind("inproc://fanout");
    std::vector<ringmq::socket> subs;
    for (int i = 0; i < 3; ++i) {
      subs.push_back(make_socket(ctx, socket_type::sub));
      subs.back().connect("inproc://fanout");
      subs.back().set(opt::subscribe, "");
    }
    ASSERT_TRUE(pub.send(ringmq::message(buffer, sizeof buffer, &free_probe::callback, &queued)));
  }  // sockets closed with the messages unread
  EXPECT_EQ(queued.calls.load(), 2) << "one per message, however many queues shared it";
}

// A free callback that sends a notice on another inproc socket.
struct notifier {
  ringmq::socket* push;
  std::atomic<int> calls{0};
  std::atomic<bool> sent_ok{false};
  static void callback(void*, void* hint) noexcept {
    auto* self = static_cast<notifier*>(hint);
    self->calls.fetch_add(1);
    std::error_code ec;
    const bool ok = self->push->send(ringmq::message("freed"), send_flags::dontwait, ec).has_value();
    self->sent_ok.store(ok && !ec);
  }
};

TEST(api_message, a_free_callback_may_send_on_another_socket) {
  ringmq::context ctx;
  auto notices = make_socket(ctx, socket_type::pull);
  notices.bind("inproc://notices");
  auto notice_push = make_socket(ctx, socket_type::push);
  notice_push.connect("inproc://notices");
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://data");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://data");

  static char buffer[256];
  notifier n{&notice_push};
  ASSERT_TRUE(push.send(ringmq::message(buffer, sizeof buffer, &notifier::callback, &n)));
  (void)pull.recv();  // received and dropped here, on this thread
  EXPECT_EQ(n.calls.load(), 1);
  EXPECT_TRUE(n.sent_ok.load());
  EXPECT_EQ(recv_string(notices), "freed");
}

TEST(api_message, a_free_callback_may_send_while_the_library_drops_the_message_inside_a_call) {
  ringmq::context ctx;
  auto notices = make_socket(ctx, socket_type::pull);
  notices.bind("inproc://notices");
  auto notice_push = make_socket(ctx, socket_type::push);
  notice_push.connect("inproc://notices");
  auto pub = make_socket(ctx, socket_type::pub);
  static char buffer[256];
  notifier n{&notice_push};
  ASSERT_TRUE(pub.send(ringmq::message(buffer, sizeof buffer, &notifier::callback, &n)));  // freed inside
  EXPECT_EQ(n.calls.load(), 1);
  EXPECT_TRUE(n.sent_ok.load());
  EXPECT_EQ(recv_string(notices), "freed");
}

TEST(api_message, a_free_callback_may_send_from_the_thread_that_frees_the_message) {
  ringmq::context ctx;
  auto notices = make_socket(ctx, socket_type::pull);
  notices.bind("inproc://notices");
  auto notice_push = make_socket(ctx, socket_type::push);  // used only by the callback
  notice_push.connect("inproc://notices");
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://data");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://data");

  static char buffer[256];
  notifier n{&notice_push};
  std::thread receiver([&pull] {
    auto m = pull.recv();
    (void)m;
  });  // the message dies on the receiver thread
  ASSERT_TRUE(push.send(ringmq::message(buffer, sizeof buffer, &notifier::callback, &n)));
  EXPECT_EQ(recv_string(notices), "freed");
  receiver.join();
  EXPECT_EQ(n.calls.load(), 1);
}

TEST(api_message, properties_of_a_received_message_are_c_strings) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("tcp://127.0.0.1:*");
  auto push = make_socket(ctx, socket_type::push);
  push.connect(pull.last_endpoint());
  ASSERT_TRUE(push.send(std::string_view("x")));
  auto m = pull.recv();
  ASSERT_TRUE(m);
  for (const char* name : {"Socket-Type", "Peer-Address"}) {
    const auto value = m->property(name);
    ASSERT_TRUE(value) << name;
    EXPECT_EQ(value->data()[value->size()], '\0') << name;
    EXPECT_EQ(std::strlen(value->data()), value->size()) << name;
  }
  EXPECT_EQ(*m->property("Socket-Type"), "PUSH");
  EXPECT_EQ(*m->property("Peer-Address"), "127.0.0.1");
}

}  // namespace
}  // namespace ringmq_test
