#include "io/thread_setup.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>

namespace ringmq::detail::io {

std::string thread_name(const thread_setup& setup, unsigned index) {
  std::string name = "ringmq-io-" + std::to_string(index);
  if (!setup.name_prefix.empty()) name = setup.name_prefix + "/" + name;
  // Linux keeps 15 characters (and pthread_setname_np refuses a longer name outright).
  if (name.size() > 15) name.resize(15);
  return name;
}

std::error_code apply_to_this_thread(const thread_setup& setup, unsigned index) {
  // Cosmetic: a failure (none is expected for a name of 15 characters) leaves it unnamed.
  ::pthread_setname_np(::pthread_self(), thread_name(setup, index).c_str());

  if (setup.sched_policy != -1 || setup.priority != -1) {
    int policy = 0;
    sched_param param{};
    if (const int rc = ::pthread_getschedparam(::pthread_self(), &policy, &param); rc != 0)
      return {rc, std::generic_category()};
    if (setup.sched_policy != -1) policy = setup.sched_policy;
    const bool realtime = policy == SCHED_FIFO || policy == SCHED_RR;
    if (setup.priority != -1) param.sched_priority = realtime ? setup.priority : 0;
    if (!realtime) param.sched_priority = 0;  // the only static priority the others have
    if (const int rc = ::pthread_setschedparam(::pthread_self(), policy, &param); rc != 0)
      return {rc, std::generic_category()};
    // libzmq 4.3 reads a priority under a non-realtime policy as "schedule this thread
    // first": the lowest nice value. Linux keeps nice values per thread.
    if (!realtime && setup.priority != -1 &&
        ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), -20) != 0)
      return {errno, std::generic_category()};
  }

  if (!setup.affinity_cpus.empty()) {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    for (const int cpu : setup.affinity_cpus) {
      if (cpu >= CPU_SETSIZE) return std::make_error_code(std::errc::invalid_argument);
      CPU_SET(static_cast<unsigned>(cpu), &cpus);
    }
    if (const int rc = ::pthread_setaffinity_np(::pthread_self(), sizeof cpus, &cpus); rc != 0)
      return {rc, std::generic_category()};
  }
  return {};
}

}  // namespace ringmq::detail::io
