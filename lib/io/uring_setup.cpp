#include "io/uring_setup.hpp"

#include <sys/utsname.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <utility>

namespace ringmq::detail::io {

namespace {

// (major, minor) of the running kernel; (0, 0) if unknown.
std::pair<unsigned, unsigned> kernel_version() {
  utsname u{};
  unsigned major = 0;
  unsigned minor = 0;
  if (::uname(&u) == 0 && std::sscanf(u.release, "%u.%u", &major, &minor) == 2) return {major, minor};
  return {0, 0};
}

bool kernel_at_least(unsigned major, unsigned minor) {
  const auto [ma, mi] = kernel_version();
  return ma > major || (ma == major && mi >= minor);
}

std::string read_sysctl(const char* path) {
  std::ifstream in(path);
  std::string value;
  if (!(in >> value)) return {};
  return value;
}

}  // namespace

int open_ring(io_uring& ring, const uring_config& config, ring_features& features, std::string& what) {
  // Most capable first; a kernel that does not know a flag answers EINVAL and gets the next
  // set. DEFER_TASKRUN (6.1) runs completion work only when this thread enters the
  // kernel, which batches it; COOP_TASKRUN (5.19) at least avoids interrupting user code.
  // TASKRUN_FLAG lets busy polling see pending work without a syscall.
  constexpr unsigned base = IORING_SETUP_SUBMIT_ALL | IORING_SETUP_CQSIZE;
  const unsigned ladder[] = {
      base | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
      base | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
      base,
      IORING_SETUP_CQSIZE,
  };
  int rc = -EINVAL;
  io_uring_params params{};
  for (const unsigned flags : ladder) {
    if (!config.defer_taskrun && (flags & IORING_SETUP_DEFER_TASKRUN) != 0) continue;
    params = io_uring_params{};
    params.flags = flags;
    params.cq_entries = config.cq_entries;
    rc = io_uring_queue_init_params(config.sq_entries, &ring, &params);
    if (rc != -EINVAL) break;
  }
  if (rc < 0) {
    what = "io_uring_setup";
    return rc;
  }
  features.setup_flags = params.flags;
  features.taskrun_flag = (params.flags & IORING_SETUP_TASKRUN_FLAG) != 0;

  auto fail = [&](int error, std::string reason) {
    io_uring_queue_exit(&ring);
    what = std::move(reason);
    return -error;
  };
  // EXT_ARG (5.11): a timeout on the wait without a timeout SQE. NODROP (5.5): a full CQ
  // holds completions back instead of losing them.
  if ((params.features & IORING_FEAT_EXT_ARG) == 0)
    return fail(EOPNOTSUPP, "IORING_FEAT_EXT_ARG (Linux 5.11)");
  if ((params.features & IORING_FEAT_NODROP) == 0) return fail(EOPNOTSUPP, "IORING_FEAT_NODROP (Linux 5.5)");
  if ((params.features & IORING_FEAT_FAST_POLL) == 0)
    return fail(EOPNOTSUPP, "IORING_FEAT_FAST_POLL (Linux 5.7)");

  io_uring_probe* probe = io_uring_get_probe_ring(&ring);
  if (probe == nullptr) return fail(EOPNOTSUPP, "io_uring_register(IORING_REGISTER_PROBE) (Linux 5.6)");
  struct needed_op {
    int op;
    const char* name;
  };
  const needed_op needed[] = {
      {IORING_OP_RECV, "IORING_OP_RECV"},     {IORING_OP_SENDMSG, "IORING_OP_SENDMSG"},
      {IORING_OP_ACCEPT, "IORING_OP_ACCEPT"}, {IORING_OP_CONNECT, "IORING_OP_CONNECT"},
      {IORING_OP_READ, "IORING_OP_READ"},     {IORING_OP_ASYNC_CANCEL, "IORING_OP_ASYNC_CANCEL"},
  };
  for (const needed_op& n : needed) {
    if (io_uring_opcode_supported(probe, n.op) == 0) {
      io_uring_free_probe(probe);
      return fail(EOPNOTSUPP, std::string("opcode ") + n.name);
    }
  }
  io_uring_free_probe(probe);

  // The probe lists opcodes, not their flags: multishot variants are gated on the kernel
  // version that introduced them. Buffer rings, cancel-by-fd and multishot accept came
  // together in 5.19, which is the minimum.
  if (!kernel_at_least(5, 19)) return fail(EOPNOTSUPP, "Linux 5.19 (provided-buffer rings, cancel by fd)");
  features.multishot_accept = config.multishot;
  features.multishot_recv = config.multishot && kernel_at_least(6, 0);

  // Optional: one fd lookup less per io_uring_enter; and a forked child must not share
  // the ring's memory (it could not use the ring anyway: single issuer).
  io_uring_register_ring_fd(&ring);
  io_uring_ring_dontfork(&ring);
  return 0;
}

std::string unavailable_message(int error, std::string_view what) {
  std::string msg = "ringmq io: the io_uring backend cannot start: ";
  if (error == EOPNOTSUPP) {
    msg += "the kernel lacks ";
    msg += what;
    msg +=
        ". Likely cause: a kernel older than ringmq needs for io_uring (Linux 5.19; 6.1 or newer "
        "recommended).";
  } else {
    msg += what;
    msg += " failed with ";
    const char* name = ::strerrorname_np(error);
    msg += name != nullptr ? name : std::to_string(error);
    msg += ". Likely cause: ";
    switch (error) {
      case EPERM:
      case EACCES: {
        msg +=
            "a seccomp profile that blocks io_uring (the default profiles of Docker and containerd "
            "since 2023 do; allow io_uring_setup, io_uring_enter and io_uring_register), or the sysctl "
            "kernel.io_uring_disabled (2 disables io_uring, 1 limits it to CAP_SYS_ADMIN or "
            "kernel.io_uring_group)";
        const std::string disabled = read_sysctl("/proc/sys/kernel/io_uring_disabled");
        if (!disabled.empty()) msg += "; here kernel.io_uring_disabled = " + disabled;
        msg += ".";
        break;
      }
      case ENOSYS:
        msg +=
            "a kernel built without io_uring (CONFIG_IO_URING) or older than 5.1, or a seccomp profile "
            "that answers ENOSYS.";
        break;
      case ENOMEM:
        msg +=
            "RLIMIT_MEMLOCK too low (kernels before 5.12 charge rings to it: raise `ulimit -l`) or "
            "memory exhausted.";
        break;
      case EINVAL:
        msg +=
            "a kernel too old for the setup flags or features ringmq needs (Linux 5.19; 6.1 or newer "
            "recommended).";
        break;
      default: msg += "unknown; see io_uring_setup(2)."; break;
    }
  }
  msg +=
      " Set RINGMQ_IO_BACKEND=epoll (or leave it unset to fall back automatically) to use the epoll "
      "backend";
  return msg;
}

}  // namespace ringmq::detail::io
