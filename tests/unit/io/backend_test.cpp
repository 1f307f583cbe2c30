// Backend selection: RINGMQ_IO_BACKEND, and the automatic fallback to epoll (with a
// readable error for a forced io_uring) where a seccomp filter blocks io_uring.
#include "io/io_loop.hpp"
#include "io/io_thread.hpp"
#include "io/io_uring_loop.hpp"
#include "unit/io/loop_test_support.hpp"

#include <gtest/gtest.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <optional>
#include <string>
#include <system_error>

namespace ringmq::detail::io {
namespace {

using test::io_uring_unavailable;

// Sets (or unsets) RINGMQ_IO_BACKEND for one scope.
class scoped_env {
 public:
  explicit scoped_env(const char* value) {
    if (const char* old = std::getenv("RINGMQ_IO_BACKEND")) old_ = old;
    if (value != nullptr)
      ::setenv("RINGMQ_IO_BACKEND", value, 1);
    else
      ::unsetenv("RINGMQ_IO_BACKEND");
  }
  ~scoped_env() {
    if (old_)
      ::setenv("RINGMQ_IO_BACKEND", old_->c_str(), 1);
    else
      ::unsetenv("RINGMQ_IO_BACKEND");
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  std::optional<std::string> old_;
};

TEST(backend, environment_forces_epoll) {
  scoped_env env("epoll");
  EXPECT_EQ(default_backend(), backend_choice::epoll);
  io_thread t(0);
  EXPECT_EQ(t.backend(), "epoll");
  // An explicit choice in code wins over the environment.
  io_thread forced(1, backend_choice::epoll);
  EXPECT_EQ(forced.backend(), "epoll");
}

TEST(backend, environment_forces_io_uring) {
  if (auto why = io_uring_unavailable()) GTEST_SKIP() << "io_uring unavailable here: " << *why;
  scoped_env env("io_uring");
  EXPECT_EQ(default_backend(), backend_choice::io_uring);
  io_thread t(0);
  EXPECT_EQ(t.backend(), "io_uring");
  io_thread explicit_epoll(1, backend_choice::epoll);
  EXPECT_EQ(explicit_epoll.backend(), "epoll");
}

TEST(backend, automatic_prefers_io_uring_when_it_works) {
  scoped_env env(nullptr);
  const bool usable = !io_uring_unavailable();
  EXPECT_EQ(default_backend(), usable ? backend_choice::io_uring : backend_choice::epoll);
  io_thread t(0);
  EXPECT_EQ(t.backend(), usable ? "io_uring" : "epoll");
}

TEST(backend, unknown_environment_value_is_an_error) {
  scoped_env env("kqueue");
  try {
    (void)default_backend();
    FAIL() << "expected an error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), EINVAL);
    EXPECT_NE(std::string(e.what()).find("kqueue"), std::string::npos) << e.what();
  }
  EXPECT_THROW(io_thread(0), std::system_error);
}

// Run by seccomp_blocking_io_uring_falls_back_to_epoll in a child process whose seccomp
// filter makes io_uring_setup fail with EPERM (as Docker's default profile does).
TEST(backend, DISABLED_seccomp_child) {
  ::unsetenv("RINGMQ_IO_BACKEND");
  EXPECT_EQ(default_backend(), backend_choice::epoll);
  {
    io_thread automatic(0);
    EXPECT_EQ(automatic.backend(), "epoll");
  }
  try {
    io_thread forced(0, backend_choice::io_uring);
    ADD_FAILURE() << "a forced io_uring started under a filter that blocks it";
  } catch (const std::system_error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code().value(), EPERM);
    EXPECT_NE(what.find("EPERM"), std::string::npos) << what;
    EXPECT_NE(what.find("seccomp"), std::string::npos) << what;
    EXPECT_NE(what.find("io_uring_disabled"), std::string::npos) << what;
    EXPECT_NE(what.find("RINGMQ_IO_BACKEND=epoll"), std::string::npos) << what;
  }
  ::setenv("RINGMQ_IO_BACKEND", "io_uring", 1);
  EXPECT_EQ(default_backend(), backend_choice::io_uring);
  EXPECT_THROW(io_thread(0), std::system_error);
}

sock_filter statement(std::uint16_t code, std::uint32_t k) { return sock_filter{code, 0, 0, k}; }
sock_filter jump(std::uint16_t code, std::uint32_t k, std::uint8_t if_true, std::uint8_t if_false) {
  return sock_filter{code, if_true, if_false, k};
}

TEST(backend, seccomp_blocking_io_uring_falls_back_to_epoll) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "the seccomp filter here is written for x86_64";
#else
  // io_uring_setup -> EPERM, everything else allowed. The filter survives exec, and the
  // child is a fresh process, so its once-per-process probe sees the filter.
  const sock_filter program[] = {
      statement(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      statement(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      jump(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
      statement(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    sock_fprog prog{static_cast<unsigned short>(std::size(program)), const_cast<sock_filter*>(program)};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) ::_exit(90);
    if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) ::_exit(91);
    char self[] = "/proc/self/exe";
    char filter[] = "--gtest_filter=backend.DISABLED_seccomp_child";
    char disabled[] = "--gtest_also_run_disabled_tests";
    char* argv[] = {self, filter, disabled, nullptr};
    ::execv(self, argv);
    ::_exit(92);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "child ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "90-92: setting up the filter or exec failed; 1: a check failed";
#endif
}

}  // namespace
}  // namespace ringmq::detail::io
