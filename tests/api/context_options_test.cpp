// Context options with libzmq 4.3's meaning: MAX_SOCKETS enforced with EMFILE, the thread
// options applied to the I/O threads when they start (looked up in /proc/self/task by name),
// and refused with invalid_state once they run.
#include "spec/support.hpp"

#include <ringmq/context.hpp>
#include <ringmq/error.hpp>

#include <gtest/gtest.h>

#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

#include <cerrno>
#include <climits>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using ringmq::context_option;
using ringmq::errc;
using ringmq_test::thrown_code;

// This process's threads whose name starts with `prefix`: id and name.
std::vector<std::pair<pid_t, std::string>> threads_named(const std::string& prefix) {
  std::vector<std::pair<pid_t, std::string>> found;
  DIR* dir = ::opendir("/proc/self/task");
  if (dir == nullptr) return found;
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
    std::string name;
    if (std::getline(comm, name) && name.starts_with(prefix)) found.emplace_back(std::stoi(e->d_name), name);
  }
  ::closedir(dir);
  return found;
}

// Starts the context's I/O threads (the first tcp use).
ringmq::socket start_threads(ringmq::context& ctx) {
  ringmq::socket s = ctx.socket(ringmq::socket_type::pull);
  s.bind("tcp://127.0.0.1:*");
  return s;
}

TEST(api_context_options, defaults_are_libzmqs) {
  ringmq::context ctx;
  EXPECT_EQ(ctx.get(context_option::max_sockets), 1023);
  EXPECT_EQ(ctx.get(context_option::socket_limit), 65535);
  EXPECT_EQ(ctx.get(context_option::thread_sched_policy), -1);
  EXPECT_EQ(ctx.get(context_option::thread_priority), -1);
  EXPECT_EQ(ctx.get(context_option::thread_name_prefix), 0);
  EXPECT_EQ(ctx.get(context_option::max_msgsz), INT_MAX);
  EXPECT_EQ(ctx.get(context_option::zero_copy_recv), 1);
  EXPECT_EQ(thrown_code([&] { (void)ctx.get(context_option::thread_affinity_cpu_add); }),
            errc::invalid_option_value);
  EXPECT_EQ(thrown_code([&] { ctx.set(context_option::socket_limit, 10); }), errc::invalid_option_value);
}

TEST(api_context_options, a_socket_past_max_sockets_fails_with_emfile) {
  ringmq::context ctx;
  ctx.set(context_option::max_sockets, 2);
  std::optional<ringmq::socket> a(ctx.socket(ringmq::socket_type::pair));
  ringmq::socket b = ctx.socket(ringmq::socket_type::pair);
  EXPECT_EQ(thrown_code([&] { (void)ctx.socket(ringmq::socket_type::pair); }),
            std::error_code(EMFILE, std::generic_category()));
  // Fixed by the first socket, as libzmq fixes it when it starts.
  EXPECT_EQ(thrown_code([&] { ctx.set(context_option::max_sockets, 5); }), errc::invalid_state);
  a.reset();  // a closed socket frees its place at once
  EXPECT_NO_THROW((void)ctx.socket(ringmq::socket_type::pair));
}

TEST(api_context_options, the_name_prefix_names_the_io_threads_cut_to_15_characters) {
  ringmq::context ctx;
  ctx.set(context_option::thread_name_prefix, std::string_view("ctxname"));
  ASSERT_TRUE(threads_named("ctxname/").empty());
  ringmq::socket s = start_threads(ctx);
  const auto named = threads_named("ctxname/");
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0].second, "ctxname/ringmq-");  // "ctxname/ringmq-io-0" cut by Linux's limit
  EXPECT_EQ(thrown_code([&] { ctx.set(context_option::thread_name_prefix, 5); }), errc::invalid_state);
}

TEST(api_context_options, an_integer_prefix_reads_back_as_libzmq_reads_it) {
  ringmq::context ctx(2);
  ctx.set(context_option::thread_name_prefix, 31);
  EXPECT_EQ(ctx.get(context_option::thread_name_prefix), 31);
  ringmq::socket s = start_threads(ctx);
  const auto named = threads_named("31/");
  ASSERT_EQ(named.size(), 2u);
  EXPECT_TRUE(named[0].second == "31/ringmq-io-0" || named[0].second == "31/ringmq-io-1") << named[0].second;
}

TEST(api_context_options, policy_and_affinity_reach_every_io_thread_and_no_other) {
  cpu_set_t allowed;
  ASSERT_EQ(::sched_getaffinity(0, sizeof allowed, &allowed), 0);
  ASSERT_GE(CPU_COUNT(&allowed), 2) << "a pinned thread looks like any other on one CPU";
  int last = -1;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(static_cast<std::size_t>(cpu), &allowed)) last = cpu;

  ringmq::context ctx(2);
  ctx.set(context_option::thread_name_prefix, 816);
  ctx.set(context_option::thread_sched_policy, SCHED_BATCH);  // needs no privilege
  ctx.set(context_option::thread_affinity_cpu_add, 0 == last ? 1 : 0);
  ctx.set(context_option::thread_affinity_cpu_add, last);
  ctx.set(context_option::thread_affinity_cpu_remove, 0 == last ? 1 : 0);
  EXPECT_EQ(thrown_code([&] { ctx.set(context_option::thread_affinity_cpu_remove, 4000); }),
            std::errc::invalid_argument);
  ringmq::socket s = start_threads(ctx);
  const auto named = threads_named("816/");
  ASSERT_EQ(named.size(), 2u);
  for (const auto& [tid, name] : named) {
    EXPECT_EQ(::sched_getscheduler(tid), SCHED_BATCH) << name;
    cpu_set_t mask;
    ASSERT_EQ(::sched_getaffinity(tid, sizeof mask, &mask), 0);
    EXPECT_EQ(CPU_COUNT(&mask), 1) << name;
    EXPECT_TRUE(CPU_ISSET(static_cast<std::size_t>(last), &mask)) << name;
  }
  EXPECT_EQ(::sched_getscheduler(0), SCHED_OTHER);  // the application's thread is untouched
  EXPECT_EQ(thrown_code([&] { ctx.set(context_option::thread_sched_policy, SCHED_OTHER); }),
            errc::invalid_state);
  EXPECT_EQ(thrown_code([&] { ctx.set(context_option::thread_affinity_cpu_add, 0); }), errc::invalid_state);
}

// Whether this process may make a thread SCHED_FIFO (CAP_SYS_NICE and realtime time).
bool may_use_fifo() {
  int rc = -1;
  std::thread([&rc] {
    sched_param p{};
    p.sched_priority = 1;
    rc = ::pthread_setschedparam(::pthread_self(), SCHED_FIFO, &p);
  }).join();
  return rc == 0;
}

TEST(api_context_options, a_realtime_priority_reaches_the_io_threads_or_the_refusal_reaches_bind) {
  ringmq::context ctx;
  ctx.set(context_option::thread_name_prefix, 98);
  ctx.set(context_option::thread_sched_policy, SCHED_FIFO);
  ctx.set(context_option::thread_priority, 3);
  EXPECT_EQ(ctx.get(context_option::thread_priority), 3);
  ringmq::socket s = ctx.socket(ringmq::socket_type::pull);
  if (may_use_fifo()) {
    s.bind("tcp://127.0.0.1:*");
    const auto named = threads_named("98/");
    ASSERT_EQ(named.size(), 1u);
    sched_param p{};
    EXPECT_EQ(::sched_getscheduler(named[0].first), SCHED_FIFO);
    ASSERT_EQ(::sched_getparam(named[0].first, &p), 0);
    EXPECT_EQ(p.sched_priority, 3);
  } else {
    // libzmq aborts here; ringmq fails the call that starts the threads.
    EXPECT_EQ(thrown_code([&] { s.bind("tcp://127.0.0.1:*"); }), std::errc::operation_not_permitted);
  }
}

TEST(api_context_options, after_the_os_refused_the_threads_the_options_can_be_corrected) {
  ringmq::context ctx;
  ctx.set(context_option::thread_name_prefix, 96);
  // A CPU no machine here has: pthread_setaffinity_np refuses it whatever the privileges.
  ctx.set(context_option::thread_affinity_cpu_add, CPU_SETSIZE - 1);
  ringmq::socket s = ctx.socket(ringmq::socket_type::pull);
  EXPECT_EQ(thrown_code([&] { s.bind("tcp://127.0.0.1:*"); }), std::errc::invalid_argument);
  EXPECT_TRUE(threads_named("96/").empty());
  ctx.set(context_option::thread_affinity_cpu_remove, CPU_SETSIZE - 1);
  EXPECT_NO_THROW(s.bind("tcp://127.0.0.1:*"));
  EXPECT_EQ(threads_named("96/").size(), 1u);
}

TEST(api_context_options, a_priority_under_sched_other_asks_for_nice_minus_20_as_libzmq) {
  ringmq::context ctx;
  ctx.set(context_option::thread_name_prefix, 97);
  ctx.set(context_option::thread_priority, 1);
  ringmq::socket s = ctx.socket(ringmq::socket_type::pull);
  errno = 0;
  const bool may_lower_nice = ::setpriority(PRIO_PROCESS, 0, ::getpriority(PRIO_PROCESS, 0)) == 0 && [] {
    int ok = 0;
    std::thread([&ok] { ok = ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), -20) == 0; }).join();
    return ok != 0;
  }();
  if (may_lower_nice) {
    s.bind("tcp://127.0.0.1:*");
    const auto named = threads_named("97/");
    ASSERT_EQ(named.size(), 1u);
    EXPECT_EQ(::getpriority(PRIO_PROCESS, static_cast<id_t>(named[0].first)), -20);
    EXPECT_NE(::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid())), -20);
  } else {
    EXPECT_EQ(thrown_code([&] { s.bind("tcp://127.0.0.1:*"); }), std::errc::permission_denied);
  }
}

}  // namespace
