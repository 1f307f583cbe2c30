// thread_setup: how an I/O thread sets itself up when it starts — its name and the
// scheduling the application chose through libzmq's context options (ZMQ_THREAD_*).
// Applied by the thread to itself, before it builds its loop; a value of this type is copied
// into the thread and not shared.
#pragma once

#include <set>
#include <string>
#include <system_error>

namespace ringmq::detail::io {

struct thread_setup {
  // Put before "/ringmq-io-<index>" in the thread's name (ZMQ_THREAD_NAME_PREFIX); the whole
  // name is cut to the 15 characters Linux keeps, as libzmq cuts its own.
  std::string name_prefix;
  // -1 keeps what the thread inherits. Under SCHED_FIFO/SCHED_RR the priority is the static
  // priority (1..99); under any other policy the kernel only has priority 0, and a priority
  // other than -1 asks for the highest nice level instead, as libzmq 4.3 does.
  int sched_policy = -1;
  int priority = -1;
  // The CPUs the thread may run on (ZMQ_THREAD_AFFINITY_CPU_ADD); empty keeps the inherited
  // mask.
  std::set<int> affinity_cpus;
};

// The name thread `index` takes under `setup`: at most 15 characters.
[[nodiscard]] std::string thread_name(const thread_setup& setup, unsigned index);

// On the thread being set up: names it (best effort, as libzmq: a name is cosmetic) and
// applies the scheduling. Returns the OS error of the scheduling call that failed (EPERM
// without CAP_SYS_NICE, EINVAL for a CPU or priority out of range); libzmq aborts the
// process there, ringmq reports it to the bind or connect that starts the threads.
std::error_code apply_to_this_thread(const thread_setup& setup, unsigned index);

}  // namespace ringmq::detail::io
