/* Context options through zmq_ctx_set/zmq_ctx_get: the same binary runs on ringmq's library
 * (capi_context) and on Debian's libzmq (capi_context_on_libzmq), so every answer checked
 * here is libzmq 4.3's own. The thread options are checked where they land: on the I/O
 * threads, found through /proc/self/task by the name prefix the test gives them.
 *
 * libzmq starts its I/O threads with its first socket, ringmq with the first tcp/ipc bind or
 * connect; each check starts them both ways (a socket, then a tcp bind) before looking. */
#define _GNU_SOURCE
#include "check.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef ZMQ_ZERO_COPY_RECV
#define ZMQ_ZERO_COPY_RECV 10 /* a draft option: zmq.h names it only in draft builds */
#endif

static int on_ringmq(void) { return dlsym(RTLD_DEFAULT, "ringmq_version") != NULL; }

/* The ids of this process's threads whose name starts with `prefix`; how many (at most max). */
static int threads_named(const char* prefix, pid_t* tids, int max) {
  int found = 0;
  DIR* dir = opendir("/proc/self/task");
  if (dir == NULL) return 0;
  struct dirent* e;
  while ((e = readdir(dir)) != NULL && found < max) {
    if (e->d_name[0] == '.') continue;
    char path[300], name[32] = "";
    snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
    FILE* f = fopen(path, "r");
    if (f == NULL) continue;
    if (fgets(name, sizeof name, f) != NULL && strncmp(name, prefix, strlen(prefix)) == 0)
      tids[found++] = (pid_t)atoi(e->d_name);
    fclose(f);
  }
  closedir(dir);
  return found;
}

/* threads_named, once at least one thread has the name, or after SAFETY_MS. libzmq's
 * threads name themselves (after taking their scheduling) when they start to run, which
 * zmq_socket does not wait for; ringmq's bind waits for its threads to be set up. */
static int wait_threads_named(const char* prefix, pid_t* tids, int max) {
  void* watch = zmq_stopwatch_start();
  int n = 0;
  while ((n = threads_named(prefix, tids, max)) == 0 &&
         zmq_stopwatch_intermediate(watch) < SAFETY_MS * 1000UL)
    sched_yield();
  zmq_stopwatch_stop(watch);
  return n;
}

/* A socket bound on tcp: both libraries have their I/O threads running afterwards. */
static void* start_threads(void* ctx) {
  void* s = test_socket(ctx, ZMQ_PULL);
  CHECK(s != NULL);
  if (s != NULL) CHECK(zmq_bind(s, "tcp://127.0.0.1:*") == 0);
  return s;
}

static void defaults(void) {
  void* ctx = zmq_ctx_new();
  CHECK(zmq_ctx_get(ctx, ZMQ_MAX_SOCKETS) == ZMQ_MAX_SOCKETS_DFLT);
  CHECK(zmq_ctx_get(ctx, ZMQ_SOCKET_LIMIT) == 65535);
  /* ZMQ_THREAD_PRIORITY is ZMQ_SOCKET_LIMIT's number: reading it reads the limit. */
  CHECK(ZMQ_THREAD_PRIORITY == ZMQ_SOCKET_LIMIT && zmq_ctx_get(ctx, ZMQ_THREAD_PRIORITY) == 65535);
  CHECK(zmq_ctx_get(ctx, ZMQ_THREAD_SCHED_POLICY) == ZMQ_THREAD_SCHED_POLICY_DFLT);
  CHECK_ERRNO(zmq_ctx_get(ctx, ZMQ_THREAD_AFFINITY_CPU_ADD), EINVAL);
  CHECK_ERRNO(zmq_ctx_get(ctx, ZMQ_THREAD_AFFINITY_CPU_REMOVE), EINVAL);
  CHECK(zmq_ctx_get(ctx, ZMQ_THREAD_NAME_PREFIX) == 0);
  CHECK(zmq_ctx_get(ctx, ZMQ_MAX_MSGSZ) == INT_MAX);
  CHECK(zmq_ctx_get(ctx, ZMQ_MSG_T_SIZE) == (int)sizeof(zmq_msg_t));
  CHECK(zmq_ctx_get(ctx, ZMQ_BLOCKY) == 1);
  CHECK(zmq_ctx_get(ctx, ZMQ_ZERO_COPY_RECV) == 1);
  CHECK(zmq_ctx_term(ctx) == 0);
}

static void values_taken_and_refused(void) {
  void* ctx = zmq_ctx_new();
  const int negative_refused[] = {ZMQ_MAX_SOCKETS,
                                  ZMQ_THREAD_PRIORITY,
                                  ZMQ_THREAD_SCHED_POLICY,
                                  ZMQ_THREAD_AFFINITY_CPU_ADD,
                                  ZMQ_THREAD_AFFINITY_CPU_REMOVE,
                                  ZMQ_MAX_MSGSZ,
                                  ZMQ_BLOCKY,
                                  ZMQ_ZERO_COPY_RECV};
  for (size_t i = 0; i < sizeof negative_refused / sizeof negative_refused[0]; ++i)
    CHECK_ERRNO(zmq_ctx_set(ctx, negative_refused[i], -1), EINVAL);
  CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 0), EINVAL);
  CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_MSG_T_SIZE, 64), EINVAL); /* read-only */

  /* No upper bound on Linux (libzmq's epoll poller has no descriptor limit). */
  CHECK(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 70000) == 0 && zmq_ctx_get(ctx, ZMQ_MAX_SOCKETS) == 70000);
  /* Setting 3 sets the priority; reading 3 still reads the limit. */
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_PRIORITY, 5) == 0 && zmq_ctx_get(ctx, ZMQ_SOCKET_LIMIT) == 65535);
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_SCHED_POLICY, SCHED_BATCH) == 0);
  CHECK(zmq_ctx_get(ctx, ZMQ_THREAD_SCHED_POLICY) == SCHED_BATCH);
  /* Removing a CPU that was not added is refused; one added comes off once. */
  CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_REMOVE, 1), EINVAL);
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, 1) == 0);
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_REMOVE, 1) == 0);
  CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_REMOVE, 1), EINVAL);
  /* The prefix is an integer in libzmq 4.3, negative ones included. */
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_NAME_PREFIX, -7) == 0 && zmq_ctx_get(ctx, ZMQ_THREAD_NAME_PREFIX) == -7);
  CHECK(zmq_ctx_set(ctx, ZMQ_MAX_MSGSZ, 100) == 0 && zmq_ctx_get(ctx, ZMQ_MAX_MSGSZ) == 100);
  CHECK(zmq_ctx_set(ctx, ZMQ_BLOCKY, 7) == 0 && zmq_ctx_get(ctx, ZMQ_BLOCKY) == 1);
  CHECK(zmq_ctx_set(ctx, ZMQ_ZERO_COPY_RECV, 0) == 0 && zmq_ctx_get(ctx, ZMQ_ZERO_COPY_RECV) == 0);
  CHECK(zmq_ctx_term(ctx) == 0);
}

static void max_sockets_is_enforced_and_fixed_by_the_first_socket(void) {
  void* ctx = zmq_ctx_new();
  CHECK(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 2) == 0);
  void* a = zmq_socket(ctx, ZMQ_PAIR);
  void* b = zmq_socket(ctx, ZMQ_PAIR);
  CHECK(a != NULL && b != NULL);
  errno = 0;
  CHECK(zmq_socket(ctx, ZMQ_PAIR) == NULL && errno == EMFILE);
  /* Raising it now is accepted and changes nothing (libzmq sized its table at start). */
  CHECK(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 5) == 0);
  errno = 0;
  void* c = zmq_socket(ctx, ZMQ_PAIR);
  CHECK(c == NULL && errno == EMFILE);
  if (c != NULL) zmq_close(c);
  /* A closed socket frees its place: at once in ringmq, once libzmq's reaper thread has
   * destroyed it (polled, with a deadline). */
  CHECK(zmq_close(b) == 0);
  void* watch = zmq_stopwatch_start();
  while ((b = zmq_socket(ctx, ZMQ_PAIR)) == NULL && errno == EMFILE &&
         zmq_stopwatch_intermediate(watch) < SAFETY_MS * 1000UL)
    sched_yield();
  zmq_stopwatch_stop(watch);
  CHECK(b != NULL);
  CHECK(zmq_close(a) == 0);
  if (b != NULL) CHECK(zmq_close(b) == 0);
  CHECK(zmq_ctx_term(ctx) == 0);
}

static void name_prefix_names_the_io_threads(void) {
  void* ctx = zmq_ctx_new();
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_NAME_PREFIX, 4711) == 0);
  pid_t tids[16];
  CHECK(threads_named("4711/", tids, 16) == 0);
  void* s = start_threads(ctx);
  CHECK(wait_threads_named("4711/", tids, 16) >= 1);
  /* Changed once the threads run: accepted, and the running threads keep their names. */
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_NAME_PREFIX, 4712) == 0);
  void* t = start_threads(ctx);
  CHECK(threads_named("4712/", tids, 16) == 0);
  CHECK(zmq_close(t) == 0);
  CHECK(zmq_close(s) == 0);
  CHECK(zmq_ctx_term(ctx) == 0);
  CHECK(threads_named("4711/", tids, 16) == 0);
}

static void sched_policy_and_affinity_reach_the_io_threads(void) {
  cpu_set_t allowed;
  CHECK(sched_getaffinity(0, sizeof allowed, &allowed) == 0);
  /* With a single CPU allowed, a pinned thread would look like any other. */
  CHECK(CPU_COUNT(&allowed) >= 2);
  int last = -1;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &allowed)) last = cpu;

  void* ctx = zmq_ctx_new();
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_NAME_PREFIX, 815) == 0);
  /* SCHED_BATCH needs no privilege. */
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_SCHED_POLICY, SCHED_BATCH) == 0);
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, last) == 0);
  void* s = start_threads(ctx);
  pid_t tids[16];
  const int n = wait_threads_named("815/", tids, 16);
  CHECK(n >= 1);
  for (int i = 0; i < n; ++i) {
    CHECK(sched_getscheduler(tids[i]) == SCHED_BATCH);
    cpu_set_t mask;
    CHECK(sched_getaffinity(tids[i], sizeof mask, &mask) == 0);
    CHECK(CPU_COUNT(&mask) == 1 && CPU_ISSET(last, &mask));
  }
  /* This thread (the application's) keeps its own. */
  CHECK(sched_getscheduler(0) == SCHED_OTHER);
  CHECK(zmq_close(s) == 0);
  CHECK(zmq_ctx_term(ctx) == 0);
}

/* Whether this process may make a thread SCHED_FIFO (root or CAP_SYS_NICE, and a kernel
 * that grants realtime time to its cgroup). */
static void* try_fifo(void* result) {
  struct sched_param p = {.sched_priority = 1};
  *(int*)result = pthread_setschedparam(pthread_self(), SCHED_FIFO, &p);
  return NULL;
}
static int may_use_fifo(void) {
  pthread_t t;
  int rc = -1;
  pthread_create(&t, NULL, try_fifo, &rc);
  pthread_join(t, NULL);
  return rc == 0;
}

static void realtime_priority_reaches_the_io_threads(void) {
  const int privileged = may_use_fifo();
  /* libzmq aborts the process when the OS refuses; ringmq fails the call that starts the
   * threads. So without the privilege only ringmq is checked. */
  if (!privileged && !on_ringmq()) return;
  void* ctx = zmq_ctx_new();
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_NAME_PREFIX, 99) == 0);
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_SCHED_POLICY, SCHED_FIFO) == 0);
  CHECK(zmq_ctx_set(ctx, ZMQ_THREAD_PRIORITY, 7) == 0);
  void* s = test_socket(ctx, ZMQ_PULL);
  if (privileged) {
    CHECK(zmq_bind(s, "tcp://127.0.0.1:*") == 0);
    pid_t tids[16];
    const int n = wait_threads_named("99/", tids, 16);
    CHECK(n >= 1);
    for (int i = 0; i < n; ++i) {
      struct sched_param p = {0};
      CHECK(sched_getscheduler(tids[i]) == SCHED_FIFO);
      CHECK(sched_getparam(tids[i], &p) == 0 && p.sched_priority == 7);
    }
  } else {
    CHECK_ERRNO(zmq_bind(s, "tcp://127.0.0.1:*"), EPERM);
  }
  CHECK(zmq_close(s) == 0);
  CHECK(zmq_ctx_term(ctx) == 0);
}

int main(void) {
  RUN(defaults);
  RUN(values_taken_and_refused);
  RUN(max_sockets_is_enforced_and_fixed_by_the_first_socket);
  RUN(name_prefix_names_the_io_threads);
  RUN(sched_policy_and_affinity_reach_the_io_threads);
  RUN(realtime_priority_reaches_the_io_threads);
  return check_exit();
}
