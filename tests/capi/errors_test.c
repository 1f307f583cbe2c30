/* The C ABI's errno contract and context/socket life cycle, as libzmq 4.3 defines them.
 * Built against capi/include/zmq.h; ctest runs it on ringmq's libzmq.so.5 and, unchanged,
 * on Debian's libzmq (LD_LIBRARY_PATH), so every expectation here is libzmq's own except the
 * few marked ringmq-only. */
#define _GNU_SOURCE
#include "check.h"

#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

/* True when the loaded libzmq.so.5 is ringmq's. */
static int on_ringmq(void) { return dlsym(RTLD_DEFAULT, "ringmq_version") != NULL; }

static void numbers_are_libzmqs(void) {
  CHECK(ZMQ_HAUSNUMERO == 156384712);
  CHECK(EFSM == 156384763 && ENOCOMPATPROTO == 156384764 && ETERM == 156384765 && EMTHREAD == 156384766);
  CHECK(strcmp(zmq_strerror(EFSM), "Operation cannot be accomplished in current state") == 0);
  CHECK(strcmp(zmq_strerror(ETERM), "Context was terminated") == 0);
  CHECK(strcmp(zmq_strerror(EINVAL), strerror(EINVAL)) == 0);
  /* A number nobody defines reads as the C library words it, with the number in it. The
   * C library's text is copied first: the next strerror call (libzmq's zmq_strerror makes
   * one) may free the buffer it returned. */
  char unknown[64];
  snprintf(unknown, sizeof unknown, "%s", strerror(98765));
  CHECK(strcmp(zmq_strerror(98765), unknown) == 0);
  int major = 0, minor = 0, patch = 0;
  zmq_version(&major, &minor, &patch);
  CHECK(major == 4 && minor == 3);
  errno = EHOSTUNREACH;
  CHECK(zmq_errno() == EHOSTUNREACH);
}

static void capabilities_are_truthful(void) {
  CHECK(zmq_has("ipc") == 1);
  CHECK(zmq_has("curve") == 1);
  CHECK(zmq_has("draft") == 0);
  CHECK(zmq_has("no such thing") == 0);
  if (on_ringmq()) {
    /* ringmq has none of these transports or mechanisms. */
    CHECK(zmq_has("pgm") == 0 && zmq_has("norm") == 0 && zmq_has("tipc") == 0);
    CHECK(zmq_has("gssapi") == 0 && zmq_has("WS") == 0 && zmq_has("vmci") == 0);
  }
}

static void bad_handles(void) {
  void* ctx = zmq_ctx_new();
  CHECK_ERRNO(zmq_ctx_term(NULL), EFAULT);
  errno = 0;
  CHECK(zmq_socket(NULL, ZMQ_PUSH) == NULL && errno == EFAULT);
  CHECK_ERRNO(zmq_close(NULL), ENOTSOCK);
  CHECK_ERRNO(zmq_send(NULL, "x", 1, 0), ENOTSOCK);
  CHECK_ERRNO(zmq_send(ctx, "x", 1, 0), ENOTSOCK); /* a context is not a socket */
  CHECK_ERRNO(zmq_bind(ctx, "inproc://x"), ENOTSOCK);
  errno = 0;
  CHECK(zmq_socket(ctx, 99) == NULL && errno == EINVAL);
  errno = 0;
  CHECK(zmq_socket(ctx, -1) == NULL && errno == EINVAL);
  if (on_ringmq()) {
    /* ZMQ_RADIO (14, draft): a type libzmq has and ringmq has not. */
    errno = 0;
    CHECK(zmq_socket(ctx, 14) == NULL && errno == EINVAL);
  }
  CHECK(zmq_ctx_term(ctx) == 0);
  /* A terminated context, as pyzmq's test_shadow uses one (libzmq reads its freed memory
   * and finds the tag it left there; the ASan build checks that ringmq reads nothing). */
  errno = 0;
  CHECK(zmq_socket(ctx, ZMQ_PUB) == NULL && errno == EFAULT);
  CHECK_ERRNO(zmq_ctx_get(ctx, ZMQ_IO_THREADS), EFAULT);
}

static void endpoint_errors(void) {
  void* ctx = zmq_ctx_new();
  void* s = test_socket(ctx, ZMQ_PUB);
  CHECK_ERRNO(zmq_bind(s, "ftl://a"), EPROTONOSUPPORT);
  CHECK_ERRNO(zmq_connect(s, "ftl://a"), EPROTONOSUPPORT);
  CHECK_ERRNO(zmq_bind(s, "tcp://"), EINVAL);
  CHECK_ERRNO(zmq_bind(s, "no scheme"), EINVAL);
  CHECK_ERRNO(zmq_unbind(s, "tcp://127.0.0.1:1"), ENOENT);
  CHECK_ERRNO(zmq_disconnect(s, "tcp://127.0.0.1:1"), ENOENT);
  char long_path[200] = "ipc://";
  memset(long_path + 6, 'a', 150);
  CHECK_ERRNO(zmq_bind(s, long_path), ENAMETOOLONG);
  void* t = test_socket(ctx, ZMQ_PUB);
  CHECK(zmq_bind(s, "tcp://127.0.0.1:*") == 0);
  char ep[256];
  last_endpoint(s, ep, sizeof ep);
  CHECK_ERRNO(zmq_bind(t, ep), EADDRINUSE);
  CHECK(zmq_unbind(s, ep) == 0);
  /* An interface name binds its address; a name that resolves to nothing is ENODEV; a
   * source address ("src;dst") is for connecting only; an empty source is EINVAL. */
  CHECK(zmq_bind(t, "tcp://lo:*") == 0);
  last_endpoint(t, ep, sizeof ep);
  CHECK(strncmp(ep, "tcp://127.0.0.1:", 16) == 0);
  CHECK_ERRNO(zmq_bind(s, "tcp://nosuchif0:5555"), ENODEV);
  CHECK_ERRNO(zmq_bind(s, "tcp://127.0.0.1;127.0.0.1:*"), EINVAL);
  CHECK_ERRNO(zmq_connect(s, "tcp://;127.0.0.1:5555"), EINVAL);
  CHECK(zmq_connect(s, "tcp://127.0.0.1:0;127.0.0.1:5555") == 0);
  CHECK(zmq_close(t) == 0);
  CHECK(zmq_close(s) == 0);
  CHECK(zmq_ctx_term(ctx) == 0);
}

static void socket_state_errors(void) {
  void* ctx = zmq_ctx_new();
  void* req = test_socket(ctx, ZMQ_REQ);
  void* rep = test_socket(ctx, ZMQ_REP);
  CHECK(zmq_bind(rep, "inproc://state") == 0);
  CHECK(zmq_connect(req, "inproc://state") == 0);
  CHECK_ERRNO(zmq_send(rep, "x", 1, 0), EFSM); /* REP must receive first */
  char buf[16];
  CHECK_ERRNO(zmq_recv(req, buf, sizeof buf, 0), EFSM); /* REQ must send first */
  CHECK(zmq_send(req, "q", 1, 0) == 1);
  CHECK_ERRNO(zmq_send(req, "q", 1, 0), EFSM); /* and wait for the reply */

  void* push = test_socket(ctx, ZMQ_PUSH);
  void* pull = test_socket(ctx, ZMQ_PULL);
  CHECK_ERRNO(zmq_recv(push, buf, sizeof buf, 0), ENOTSUP);
  CHECK_ERRNO(zmq_send(pull, "x", 1, 0), ENOTSUP);
  CHECK_ERRNO(zmq_recv(pull, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
  CHECK_ERRNO(zmq_send(push, "x", 1, ZMQ_DONTWAIT), EAGAIN); /* no peer */

  void* router = test_socket(ctx, ZMQ_ROUTER);
  const int one = 1;
  CHECK(zmq_setsockopt(router, ZMQ_ROUTER_MANDATORY, &one, sizeof one) == 0);
  CHECK_ERRNO(zmq_send(router, "nobody", 6, ZMQ_SNDMORE), EHOSTUNREACH);

  void* sockets[] = {req, rep, push, pull, router};
  for (size_t i = 0; i < sizeof sockets / sizeof sockets[0]; ++i) CHECK(zmq_close(sockets[i]) == 0);
  CHECK(zmq_ctx_term(ctx) == 0);
}

static void context_options(void) {
  void* ctx = zmq_ctx_new();
  CHECK(zmq_ctx_get(ctx, ZMQ_IO_THREADS) == ZMQ_IO_THREADS_DFLT);
  CHECK(zmq_ctx_get(ctx, ZMQ_MAX_SOCKETS) == ZMQ_MAX_SOCKETS_DFLT);
  CHECK(zmq_ctx_get(ctx, ZMQ_MSG_T_SIZE) == (int)sizeof(zmq_msg_t));
  CHECK(zmq_ctx_get(ctx, ZMQ_IPV6) == 0);
  CHECK(zmq_ctx_get(ctx, ZMQ_BLOCKY) == 1);
  CHECK_ERRNO(zmq_ctx_get(ctx, 9999), EINVAL);
  CHECK_ERRNO(zmq_ctx_set(ctx, 9999, 1), EINVAL);
  CHECK_ERRNO(zmq_ctx_set(ctx, ZMQ_IO_THREADS, -1), EINVAL);
  CHECK(zmq_ctx_set(ctx, ZMQ_IPV6, 1) == 0 && zmq_ctx_get(ctx, ZMQ_IPV6) == 1);

  /* ZMQ_MAX_SOCKETS caps the open sockets (EMFILE); libzmq reads it at the first socket. */
  CHECK(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 2) == 0);
  /* A socket made afterwards takes IPV6 from the context. */
  void* s = zmq_socket(ctx, ZMQ_PAIR);
  int ipv6 = 0;
  size_t size = sizeof ipv6;
  CHECK(zmq_getsockopt(s, ZMQ_IPV6, &ipv6, &size) == 0 && ipv6 == 1);
  void* t = zmq_socket(ctx, ZMQ_PAIR);
  CHECK(t != NULL);
  errno = 0;
  CHECK(zmq_socket(ctx, ZMQ_PAIR) == NULL && errno == EMFILE);
  CHECK(zmq_close(t) == 0);
  CHECK(zmq_close(s) == 0);
  CHECK(zmq_ctx_term(ctx) == 0);

  /* The older names. */
  void* old = zmq_init(1);
  CHECK(old != NULL);
  CHECK(zmq_term(old) == 0);
}

/* pyzmq asks a socket (or its shadow) whether it is closed by calling zmq_getsockopt on it
 * after zmq_close, expecting ENOTSOCK: libzmq frees closed sockets later, on its reaper
 * thread. (On ringmq this read freed memory; ASan caught it in pyzmq's test_future.) */
static void a_closed_socket_answers_enotsock(void) {
  void* ctx = zmq_ctx_new();
  for (int i = 0; i < 3; ++i) {
    void* s = zmq_socket(ctx, ZMQ_PUB);
    CHECK(zmq_close(s) == 0);
    int type = -1;
    size_t size = sizeof type;
    CHECK_ERRNO(zmq_getsockopt(s, ZMQ_TYPE, &type, &size), ENOTSOCK);
  }
  CHECK(zmq_ctx_term(ctx) == 0);
}

static void shutdown_gives_eterm(void) {
  void* ctx = zmq_ctx_new();
  void* pull = test_socket(ctx, ZMQ_PULL);
  CHECK(zmq_bind(pull, "inproc://shutdown") == 0);
  CHECK(zmq_ctx_shutdown(ctx) == 0);
  CHECK(zmq_ctx_shutdown(ctx) == 0); /* idempotent */
  char buf[8];
  CHECK_ERRNO(zmq_recv(pull, buf, sizeof buf, 0), ETERM);
  CHECK_ERRNO(zmq_send(pull, "x", 1, 0), ETERM);
  const int zero = 0;
  CHECK_ERRNO(zmq_setsockopt(pull, ZMQ_LINGER, &zero, sizeof zero), ETERM);
  CHECK_ERRNO(zmq_bind(pull, "inproc://another"), ETERM);
  errno = 0;
  CHECK(zmq_socket(ctx, ZMQ_PUSH) == NULL && errno == ETERM);
  CHECK(zmq_close(pull) == 0);
  CHECK(zmq_ctx_term(ctx) == 0);
}

/* zmq_ctx_term in another thread: a blocked recv fails with ETERM, the socket is closed, and
 * only then does zmq_ctx_term return. */
static void* term_context(void* ctx) {
  intptr_t rc = zmq_ctx_term(ctx);
  return (void*)rc;
}

static void term_waits_for_sockets(void) {
  void* ctx = zmq_ctx_new();
  void* pull = zmq_socket(ctx, ZMQ_PULL); /* no timeout: blocks until the context ends */
  CHECK(zmq_bind(pull, "inproc://term") == 0);
  pthread_t t;
  pthread_create(&t, NULL, term_context, ctx);
  char buf[8];
  CHECK_ERRNO(zmq_recv(pull, buf, sizeof buf, 0), ETERM);
  CHECK(zmq_close(pull) == 0);
  void* rc = NULL;
  pthread_join(t, &rc);
  CHECK(rc == NULL);
}

/* A signal handler that runs while recv sleeps makes it fail with EINTR (pyzmq then runs
 * Python's handlers, Ctrl-C included, and retries). */
static volatile sig_atomic_t handled = 0;
static void on_usr1(int sig) {
  (void)sig;
  ++handled;
}

struct blocked_recv {
  void* socket;
  atomic_int done; /* set by the blocked thread, polled by the signalling one */
  int rc;
  int err;
};

static void* recv_once(void* arg) {
  struct blocked_recv* b = arg;
  char buf[8];
  b->rc = zmq_recv(b->socket, buf, sizeof buf, 0);
  b->err = zmq_errno();
  b->done = 1;
  return NULL;
}

static void signals_interrupt_blocking_calls(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1; /* no SA_RESTART */
  sigemptyset(&sa.sa_mask);
  struct sigaction old;
  sigaction(SIGUSR1, &sa, &old);

  void* ctx = zmq_ctx_new();
  void* pull = test_socket(ctx, ZMQ_PULL); /* RCVTIMEO: gives up after SAFETY_MS */
  CHECK(zmq_bind(pull, "inproc://eintr") == 0);
  struct blocked_recv b = {pull, 0, 0, 0};
  pthread_t t;
  pthread_create(&t, NULL, recv_once, &b);
  /* Signal it every millisecond until recv returns. */
  for (int i = 0; i < SAFETY_MS * 2 && !b.done; ++i) {
    pthread_kill(t, SIGUSR1);
    usleep(1000);
  }
  pthread_join(t, NULL);
  CHECK(b.rc == -1 && b.err == EINTR);
  CHECK(handled > 0);
  CHECK(zmq_close(pull) == 0);
  CHECK(zmq_ctx_term(ctx) == 0);
  sigaction(SIGUSR1, &old, NULL);
}

int main(void) {
  RUN(numbers_are_libzmqs);
  RUN(capabilities_are_truthful);
  RUN(bad_handles);
  RUN(endpoint_errors);
  RUN(socket_state_errors);
  RUN(context_options);
  RUN(a_closed_socket_answers_enotsock);
  RUN(shutdown_gives_eterm);
  RUN(term_waits_for_sockets);
  RUN(signals_interrupt_blocking_calls);
  return check_exit();
}
