/* The draft functions ringmq's libzmq.so.5 provides (libzmq exports them only when built with
 * its draft API, which Debian's is not): the poller, the versioned monitor,
 * zmq_msg_init_buffer, zmq_ctx_set_ext/get_ext, and CLIENT/SERVER with the message routing id.
 * ringmq only. */
#define ZMQ_BUILD_DRAFT_API
#define _GNU_SOURCE
#include "check.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

static void poller(void) {
  void* ctx = zmq_ctx_new();
  void* pull = test_socket(ctx, ZMQ_PULL);
  void* push = test_socket(ctx, ZMQ_PUSH);
  CHECK(zmq_bind(pull, "inproc://poller") == 0);
  CHECK(zmq_connect(push, "inproc://poller") == 0);
  int pipe_fds[2];
  CHECK(pipe(pipe_fds) == 0);

  void* p = zmq_poller_new();
  int tag_socket = 1, tag_fd = 2;
  CHECK(zmq_poller_add(p, pull, &tag_socket, ZMQ_POLLIN) == 0);
  CHECK_ERRNO(zmq_poller_add(p, pull, NULL, ZMQ_POLLIN), EINVAL); /* already there */
  CHECK_ERRNO(zmq_poller_add(p, ctx, NULL, ZMQ_POLLIN), ENOTSOCK);
  CHECK_ERRNO(zmq_poller_add(p, push, NULL, 64), EINVAL); /* unknown event bit */
  CHECK(zmq_poller_add_fd(p, pipe_fds[0], &tag_fd, ZMQ_POLLIN) == 0);
  CHECK_ERRNO(zmq_poller_add_fd(p, -1, NULL, ZMQ_POLLIN), EBADF);
  CHECK(zmq_poller_size(p) == 2);

  zmq_poller_event_t events[4];
  CHECK_ERRNO(zmq_poller_wait_all(p, events, 4, 0), EAGAIN); /* nothing ready */
  CHECK(zmq_send(push, "x", 1, 0) == 1);
  CHECK(write(pipe_fds[1], "y", 1) == 1);
  CHECK(zmq_poller_wait_all(p, events, 4, SAFETY_MS) == 2);
  CHECK(events[0].socket == pull && events[0].user_data == &tag_socket && events[0].events == ZMQ_POLLIN);
  CHECK(events[1].socket == NULL && events[1].fd == pipe_fds[0] && events[1].user_data == &tag_fd);
  zmq_poller_event_t one;
  CHECK(zmq_poller_wait(p, &one, 0) == 0 && one.socket == pull);

  CHECK(zmq_poller_modify(p, pull, ZMQ_POLLOUT) == 0); /* a PULL never can send */
  CHECK(zmq_poller_remove_fd(p, pipe_fds[0]) == 0);
  CHECK_ERRNO(zmq_poller_wait_all(p, events, 4, 0), EAGAIN);
  CHECK_ERRNO(zmq_poller_remove_fd(p, pipe_fds[0]), EINVAL);
  CHECK(zmq_poller_remove(p, pull) == 0);
  CHECK_ERRNO(zmq_poller_remove(p, pull), EINVAL);
  CHECK(zmq_poller_size(p) == 0);
  CHECK_ERRNO(zmq_poller_wait_all(p, events, 4, -1), EFAULT); /* forever on nothing */
  zmq_fd_t fd;
  CHECK_ERRNO(zmq_poller_fd(p, &fd), EINVAL); /* no thread-safe sockets */
  CHECK(zmq_poller_destroy(&p) == 0 && p == NULL);

  close(pipe_fds[0]);
  close(pipe_fds[1]);
  zmq_close(push);
  zmq_close(pull);
  zmq_ctx_term(ctx);
}

static uint64_t u64_frame(void* s, int* more) {
  zmq_msg_t m;
  zmq_msg_init(&m);
  uint64_t v = UINT64_MAX;
  if (zmq_msg_recv(&m, s, 0) == 8) memcpy(&v, zmq_msg_data(&m), 8);
  *more = zmq_msg_more(&m);
  zmq_msg_close(&m);
  return v;
}

static int text_frame(void* s, char* out, size_t size) {
  const int n = zmq_recv(s, out, size - 1, 0);
  out[n < 0 ? 0 : ((size_t)n < size - 1 ? (size_t)n : size - 1)] = '\0';
  int more = 0;
  size_t sz = sizeof more;
  zmq_getsockopt(s, ZMQ_RCVMORE, &more, &sz);
  return more;
}

static void monitor_version_2(void) {
  void* ctx = zmq_ctx_new();
  void* server = test_socket(ctx, ZMQ_PULL);
  CHECK_ERRNO(zmq_socket_monitor_versioned(server, "inproc://v2", ZMQ_EVENT_ALL, 3, ZMQ_PAIR), EINVAL);
  CHECK_ERRNO(zmq_socket_monitor_versioned(server, "inproc://v2", ZMQ_EVENT_ALL, 2, ZMQ_REQ), EINVAL);
  CHECK(zmq_socket_monitor_versioned(server, "inproc://v2", ZMQ_EVENT_LISTENING | ZMQ_EVENT_ACCEPTED, 2,
                                     ZMQ_PUSH) == 0);
  void* events = test_socket(ctx, ZMQ_PULL);
  CHECK(zmq_connect(events, "inproc://v2") == 0);
  CHECK(zmq_bind(server, "tcp://127.0.0.1:*") == 0);
  char ep[256], local[256], remote[256];
  last_endpoint(server, ep, sizeof ep);
  int more = 0;
  CHECK(u64_frame(events, &more) == ZMQ_EVENT_LISTENING && more);
  CHECK(u64_frame(events, &more) == 1 && more); /* one value */
  CHECK(u64_frame(events, &more) > 0 && more);  /* the descriptor */
  CHECK(text_frame(events, local, sizeof local) == 1 && strcmp(local, ep) == 0);
  CHECK(text_frame(events, remote, sizeof remote) == 0);

  void* client = test_socket(ctx, ZMQ_PUSH);
  CHECK(zmq_connect(client, ep) == 0);
  CHECK(u64_frame(events, &more) == ZMQ_EVENT_ACCEPTED && more);
  CHECK(u64_frame(events, &more) == 1 && more);
  (void)u64_frame(events, &more);
  CHECK(text_frame(events, local, sizeof local) == 1 && strcmp(local, ep) == 0);
  CHECK(text_frame(events, remote, sizeof remote) == 0 && strncmp(remote, "tcp://127.0.0.1:", 16) == 0);
  CHECK(strcmp(remote, ep) != 0); /* the client's own port */

  zmq_close(client);
  zmq_close(events);
  zmq_close(server);
  zmq_ctx_term(ctx);
}

static void other_drafts(void) {
  zmq_msg_t m;
  CHECK(zmq_msg_init_buffer(&m, "copied", 6) == 0);
  CHECK(zmq_msg_size(&m) == 6 && memcmp(zmq_msg_data(&m), "copied", 6) == 0);
  zmq_msg_close(&m);

  void* ctx = zmq_ctx_new();
  int v = 3;
  size_t size = sizeof v;
  CHECK(zmq_ctx_set_ext(ctx, ZMQ_MAX_SOCKETS, &v, sizeof v) == 0);
  v = 0;
  CHECK(zmq_ctx_get_ext(ctx, ZMQ_MAX_SOCKETS, &v, &size) == 0 && v == 3);
  CHECK_ERRNO(zmq_ctx_set_ext(ctx, ZMQ_MAX_SOCKETS, &v, 2), EINVAL);
  CHECK(zmq_ctx_term(ctx) == 0);
}

/* rfc 41 through the C API: a SERVER answers each CLIENT by the routing id its message
 * carried (zmq_msg_routing_id); both are thread-safe and, as in libzmq, have no ZMQ_FD. */
static void client_server(void) {
  void* ctx = zmq_ctx_new();
  void* server = test_socket(ctx, ZMQ_SERVER);
  void* client = test_socket(ctx, ZMQ_CLIENT);
  CHECK(zmq_bind(server, "tcp://127.0.0.1:*") == 0);
  char endpoint[256];
  size_t len = sizeof endpoint;
  CHECK(zmq_getsockopt(server, ZMQ_LAST_ENDPOINT, endpoint, &len) == 0);
  CHECK(zmq_connect(client, endpoint) == 0);

  CHECK(zmq_send(client, "ping", 4, 0) == 4);
  CHECK_ERRNO(zmq_send(client, "part", 4, ZMQ_SNDMORE), EINVAL); /* one-part messages only */
  zmq_msg_t m;
  zmq_msg_init(&m);
  CHECK(zmq_msg_recv(&m, server, 0) == 4);
  const uint32_t id = zmq_msg_routing_id(&m);
  CHECK(id != 0);
  zmq_msg_close(&m);

  zmq_msg_t reply;
  CHECK(zmq_msg_init_size(&reply, 4) == 0);
  memcpy(zmq_msg_data(&reply), "pong", 4);
  CHECK_ERRNO(zmq_msg_set_routing_id(&reply, 0), EINVAL);
  CHECK(zmq_msg_set_routing_id(&reply, id + 1) == 0);
  CHECK_ERRNO(zmq_msg_send(&reply, server, 0), EHOSTUNREACH);
  CHECK(zmq_msg_set_routing_id(&reply, id) == 0);
  CHECK(zmq_msg_send(&reply, server, 0) == 4);
  char buf[8];
  CHECK(zmq_recv(client, buf, sizeof buf, 0) == 4 && memcmp(buf, "pong", 4) == 0);

  int value = -1;
  size_t size = sizeof value;
  CHECK(zmq_getsockopt(server, ZMQ_THREAD_SAFE, &value, &size) == 0 && value == 1);
  CHECK(zmq_getsockopt(client, ZMQ_THREAD_SAFE, &value, &size) == 0 && value == 1);
  CHECK_ERRNO(zmq_getsockopt(client, ZMQ_FD, &value, &size), EINVAL);
  zmq_close(client);
  zmq_close(server);
  zmq_ctx_term(ctx);
}

/* rfc 49 through the C API: SCATTER sends one-part messages to a GATHER; both are
 * thread-safe. */
static void scatter_gather(void) {
  void* ctx = zmq_ctx_new();
  void* gather = test_socket(ctx, ZMQ_GATHER);
  void* scatter = test_socket(ctx, ZMQ_SCATTER);
  CHECK(zmq_bind(gather, "tcp://127.0.0.1:*") == 0);
  char endpoint[256];
  size_t len = sizeof endpoint;
  CHECK(zmq_getsockopt(gather, ZMQ_LAST_ENDPOINT, endpoint, &len) == 0);
  CHECK(zmq_connect(scatter, endpoint) == 0);

  CHECK_ERRNO(zmq_send(scatter, "part", 4, ZMQ_SNDMORE), EINVAL); /* one-part messages only */
  CHECK(zmq_send(scatter, "item", 4, 0) == 4);
  char buf[8];
  CHECK(zmq_recv(gather, buf, sizeof buf, 0) == 4 && memcmp(buf, "item", 4) == 0);

  int value = -1;
  size_t size = sizeof value;
  CHECK(zmq_getsockopt(gather, ZMQ_THREAD_SAFE, &value, &size) == 0 && value == 1);
  CHECK(zmq_getsockopt(scatter, ZMQ_THREAD_SAFE, &value, &size) == 0 && value == 1);
  zmq_close(scatter);
  zmq_close(gather);
  zmq_ctx_term(ctx);
}

int main(void) {
  RUN(poller);
  RUN(client_server);
  RUN(scatter_gather);
  RUN(monitor_version_2);
  RUN(other_drafts);
  return check_exit();
}
