/* zmq_poll over sockets and plain file descriptors together, and ZMQ_FD/ZMQ_EVENTS with
 * libzmq's edge-triggered contract (what pyzmq's asyncio and tornado loops rely on). Runs on
 * ringmq's libzmq.so.5 and on Debian's libzmq. */
#define _GNU_SOURCE
#include "check.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

static long elapsed_ms(const struct timespec* since) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static void sockets_and_descriptors_together(void) {
  void* ctx = zmq_ctx_new();
  void* pull = test_socket(ctx, ZMQ_PULL);
  void* push = test_socket(ctx, ZMQ_PUSH);
  CHECK(zmq_bind(pull, "inproc://poll") == 0);
  CHECK(zmq_connect(push, "inproc://poll") == 0);
  int pipe_fds[2];
  CHECK(pipe(pipe_fds) == 0);

  zmq_pollitem_t items[3] = {
      {pull, 0, ZMQ_POLLIN, 0},
      {NULL, pipe_fds[0], ZMQ_POLLIN, 0},
      {NULL, pipe_fds[1], ZMQ_POLLOUT, 0},
  };
  /* Only the pipe's write end is ready. */
  CHECK(zmq_poll(items, 3, 0) == 1);
  CHECK(items[0].revents == 0 && items[1].revents == 0 && items[2].revents == ZMQ_POLLOUT);

  /* A timeout is waited out when nothing else is ready. */
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  CHECK(zmq_poll(items, 2, 50) == 0);
  CHECK(elapsed_ms(&start) >= 49);

  CHECK(zmq_send(push, "m", 1, 0) == 1);
  CHECK(write(pipe_fds[1], "p", 1) == 1);
  CHECK(zmq_poll(items, 2, SAFETY_MS) == 2);
  CHECK(items[0].revents == ZMQ_POLLIN && items[1].revents == ZMQ_POLLIN);

  /* A socket polled for output: PUSH with a peer can send. */
  zmq_pollitem_t out = {push, 0, ZMQ_POLLOUT, 0};
  CHECK(zmq_poll(&out, 1, 0) == 1 && out.revents == ZMQ_POLLOUT);

  /* Bad arguments. */
  CHECK(zmq_poll(NULL, 0, 0) == 0);
  CHECK_ERRNO(zmq_poll(items, -1, 0), EINVAL);
  zmq_pollitem_t bad = {ctx, 0, ZMQ_POLLIN, 0}; /* a context is not a socket */
  CHECK_ERRNO(zmq_poll(&bad, 1, 0), ENOTSOCK);

  close(pipe_fds[0]);
  close(pipe_fds[1]);
  zmq_close(push);
  zmq_close(pull);
  zmq_ctx_term(ctx);
}

/* ZMQ_FD signals when the socket's state may have changed; reading ZMQ_EVENTS clears it. A
 * waiting message the caller leaves unread must not keep the descriptor readable (an event
 * loop would spin); a new change must make it readable again. */
static int fd_readable(int fd, int timeout_ms) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN) != 0;
}

static int events_of(void* s) {
  int events = 0;
  size_t size = sizeof events;
  return zmq_getsockopt(s, ZMQ_EVENTS, &events, &size) == 0 ? events : -1;
}

static void zmq_fd_is_edge_triggered(void) {
  void* ctx = zmq_ctx_new();
  void* pull = test_socket(ctx, ZMQ_PULL);
  void* push = test_socket(ctx, ZMQ_PUSH);
  char ep[256];
  CHECK(zmq_bind(pull, "tcp://127.0.0.1:*") == 0);
  last_endpoint(pull, ep, sizeof ep);
  CHECK(zmq_connect(push, ep) == 0);
  zmq_fd_t fd = -1;
  size_t size = sizeof fd;
  CHECK(zmq_getsockopt(pull, ZMQ_FD, &fd, &size) == 0 && fd >= 0);
  zmq_fd_t again = -1;
  CHECK(zmq_getsockopt(pull, ZMQ_FD, &again, &size) == 0 && again == fd); /* stable */

  /* Settle: read EVENTS until the descriptor stays quiet (connection set-up may signal). */
  for (int i = 0; i < 100 && fd_readable(fd, 0); ++i) (void)events_of(pull);

  CHECK(zmq_send(push, "first", 5, 0) == 5);
  CHECK(fd_readable(fd, SAFETY_MS));
  int events = 0;
  for (int i = 0; i < SAFETY_MS && !((events = events_of(pull)) & ZMQ_POLLIN); ++i)
    (void)fd_readable(fd, 1); /* a signal may come before the message is receivable */
  CHECK(events & ZMQ_POLLIN);
  /* The message waits unread: the descriptor stays quiet. */
  CHECK(!fd_readable(fd, 0));
  CHECK(!fd_readable(fd, 20));
  CHECK(events_of(pull) & ZMQ_POLLIN); /* and the message is still there */

  /* Drain as the contract says: receive until EVENTS has no POLLIN. */
  char buf[16];
  while (events_of(pull) & ZMQ_POLLIN) CHECK(zmq_recv(pull, buf, sizeof buf, ZMQ_DONTWAIT) >= 0);
  CHECK(!fd_readable(fd, 0));

  /* A new message signals again. */
  CHECK(zmq_send(push, "second", 6, 0) == 6);
  CHECK(fd_readable(fd, SAFETY_MS));
  for (int i = 0; i < SAFETY_MS && !(events_of(pull) & ZMQ_POLLIN); ++i) (void)fd_readable(fd, 1);
  CHECK(zmq_recv(pull, buf, sizeof buf, ZMQ_DONTWAIT) == 6);

  zmq_close(push);
  zmq_close(pull);
  zmq_ctx_term(ctx);
}

/* zmq_poll fails with EINTR when a signal handler runs while it waits. */
static volatile sig_atomic_t handled = 0;
static void on_usr1(int sig) {
  (void)sig;
  ++handled;
}

struct blocked_poll {
  void* socket;
  atomic_int done; /* set by the blocked thread, polled by the signalling one */
  int rc;
  int err;
};

static void* poll_once(void* arg) {
  struct blocked_poll* b = arg;
  zmq_pollitem_t item = {b->socket, 0, ZMQ_POLLIN, 0};
  b->rc = zmq_poll(&item, 1, SAFETY_MS);
  b->err = zmq_errno();
  b->done = 1;
  return NULL;
}

static void signals_interrupt_poll(void) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, &old);
  void* ctx = zmq_ctx_new();
  void* pull = test_socket(ctx, ZMQ_PULL);
  CHECK(zmq_bind(pull, "inproc://poll-eintr") == 0);
  struct blocked_poll b = {pull, 0, 0, 0};
  pthread_t t;
  pthread_create(&t, NULL, poll_once, &b);
  for (int i = 0; i < SAFETY_MS * 2 && !b.done; ++i) {
    pthread_kill(t, SIGUSR1);
    usleep(1000);
  }
  pthread_join(t, NULL);
  CHECK(b.rc == -1 && b.err == EINTR);
  zmq_close(pull);
  zmq_ctx_term(ctx);
  sigaction(SIGUSR1, &old, NULL);
}

int main(void) {
  RUN(sockets_and_descriptors_together);
  RUN(zmq_fd_is_edge_triggered);
  RUN(signals_interrupt_poll);
  return check_exit();
}
