/* The tcp and ipc transport options through zmq_setsockopt / zmq_getsockopt: libzmq's value
 * forms, defaults and errors, and the accept filters seen through zmq_socket_monitor. Runs on
 * ringmq's libzmq.so.5 and on Debian's libzmq, so every expectation is libzmq's own. (What
 * the kernel ends up holding is checked in tests/transport/socket_options_test.cpp.) */
#define _GNU_SOURCE
#include "check.h"

#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

static int get_int(void* s, int option, int* value) {
  size_t size = sizeof *value;
  return zmq_getsockopt(s, option, value, &size);
}

static int set_int(void* s, int option, int value) { return zmq_setsockopt(s, option, &value, sizeof value); }

static void integer_options(void) {
  void* ctx = zmq_ctx_new();
  void* s = test_socket(ctx, ZMQ_DEALER);
  int v = 0;
  CHECK(get_int(s, ZMQ_TCP_KEEPALIVE, &v) == 0 && v == -1);
  CHECK(get_int(s, ZMQ_TCP_KEEPALIVE_CNT, &v) == 0 && v == -1);
  CHECK(get_int(s, ZMQ_TCP_KEEPALIVE_IDLE, &v) == 0 && v == -1);
  CHECK(get_int(s, ZMQ_TCP_KEEPALIVE_INTVL, &v) == 0 && v == -1);
  CHECK(get_int(s, ZMQ_TCP_MAXRT, &v) == 0 && v == 0);
  CHECK(get_int(s, ZMQ_TOS, &v) == 0 && v == 0);

  CHECK(set_int(s, ZMQ_TCP_KEEPALIVE, 1) == 0 && get_int(s, ZMQ_TCP_KEEPALIVE, &v) == 0 && v == 1);
  CHECK(set_int(s, ZMQ_TCP_KEEPALIVE, 0) == 0 && get_int(s, ZMQ_TCP_KEEPALIVE, &v) == 0 && v == 0);
  CHECK(set_int(s, ZMQ_TCP_KEEPALIVE_CNT, 5) == 0 && get_int(s, ZMQ_TCP_KEEPALIVE_CNT, &v) == 0 && v == 5);
  CHECK(set_int(s, ZMQ_TCP_KEEPALIVE_IDLE, 60) == 0 && get_int(s, ZMQ_TCP_KEEPALIVE_IDLE, &v) == 0 &&
        v == 60);
  CHECK(set_int(s, ZMQ_TCP_KEEPALIVE_INTVL, 9) == 0 && get_int(s, ZMQ_TCP_KEEPALIVE_INTVL, &v) == 0 &&
        v == 9);
  CHECK(set_int(s, ZMQ_TCP_KEEPALIVE_INTVL, -1) == 0 && get_int(s, ZMQ_TCP_KEEPALIVE_INTVL, &v) == 0 &&
        v == -1);
  CHECK(set_int(s, ZMQ_TCP_MAXRT, 3000) == 0 && get_int(s, ZMQ_TCP_MAXRT, &v) == 0 && v == 3000);
  CHECK(set_int(s, ZMQ_TOS, 0x28) == 0 && get_int(s, ZMQ_TOS, &v) == 0 && v == 0x28);

  CHECK_ERRNO(set_int(s, ZMQ_TCP_KEEPALIVE, 2), EINVAL);
  CHECK_ERRNO(set_int(s, ZMQ_TCP_KEEPALIVE, -2), EINVAL);
  CHECK_ERRNO(set_int(s, ZMQ_TCP_KEEPALIVE_IDLE, -2), EINVAL);
  CHECK_ERRNO(set_int(s, ZMQ_TCP_MAXRT, -1), EINVAL);
  CHECK_ERRNO(set_int(s, ZMQ_TOS, -1), EINVAL);
  const int64_t wide = 1;
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_TOS, &wide, sizeof wide), EINVAL); /* an int, not an int64 */
  zmq_close(s);
  zmq_ctx_term(ctx);
}

static void text_options(void) {
  void* ctx = zmq_ctx_new();
  void* s = test_socket(ctx, ZMQ_DEALER);
  char text[32];
  size_t size = sizeof text;
  CHECK(zmq_getsockopt(s, ZMQ_BINDTODEVICE, text, &size) == 0 && size == 1 && text[0] == '\0');
  CHECK(zmq_setsockopt(s, ZMQ_BINDTODEVICE, "lo", 2) == 0);
  size = sizeof text;
  CHECK(zmq_getsockopt(s, ZMQ_BINDTODEVICE, text, &size) == 0 && size == 3 && strcmp(text, "lo") == 0);
  CHECK(zmq_setsockopt(s, ZMQ_BINDTODEVICE, "0123456789abcdef", 16) == 0); /* IFNAMSIZ */
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_BINDTODEVICE, "0123456789abcdefg", 17), EINVAL);
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_BINDTODEVICE, "", 0), EINVAL); /* libzmq: NULL clears, "" does not */
  CHECK(zmq_setsockopt(s, ZMQ_BINDTODEVICE, NULL, 0) == 0);
  size = sizeof text;
  CHECK(zmq_getsockopt(s, ZMQ_BINDTODEVICE, text, &size) == 0 && size == 1);

  CHECK(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "127.0.0.1", 9) == 0);
  CHECK(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "10.0.0.0/8", 11) == 0); /* with its NUL */
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "10.0.0.0/33", 11), EINVAL);
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "localhost", 9), EINVAL);
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "::1", 3), EINVAL); /* IPV6 is off */
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "", 0), EINVAL);
  CHECK(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, NULL, 0) == 0);
  CHECK(set_int(s, ZMQ_IPV6, 1) == 0);
  CHECK(zmq_setsockopt(s, ZMQ_TCP_ACCEPT_FILTER, "::1", 3) == 0);
  size = sizeof text;
  CHECK_ERRNO(zmq_getsockopt(s, ZMQ_TCP_ACCEPT_FILTER, text, &size), EINVAL); /* write-only */
  zmq_close(s);
  zmq_ctx_term(ctx);
}

static void ipc_filter_options(void) {
  void* ctx = zmq_ctx_new();
  void* s = test_socket(ctx, ZMQ_DEALER);
  const uid_t uid = getuid();
  const gid_t gid = getgid();
  const pid_t pid = getpid();
  CHECK(zmq_setsockopt(s, ZMQ_IPC_FILTER_UID, &uid, sizeof uid) == 0);
  CHECK(zmq_setsockopt(s, ZMQ_IPC_FILTER_GID, &gid, sizeof gid) == 0);
  CHECK(zmq_setsockopt(s, ZMQ_IPC_FILTER_PID, &pid, sizeof pid) == 0);
  const uid_t big = 4000000000u; /* past INT_MAX: a valid uid_t */
  CHECK(zmq_setsockopt(s, ZMQ_IPC_FILTER_UID, &big, sizeof big) == 0);
  CHECK(zmq_setsockopt(s, ZMQ_IPC_FILTER_UID, NULL, 0) == 0); /* clears */
  const int16_t narrow = 1;
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_IPC_FILTER_UID, &narrow, sizeof narrow), EINVAL);
  int v = 0;
  CHECK_ERRNO(get_int(s, ZMQ_IPC_FILTER_UID, &v), EINVAL); /* write-only */
  zmq_close(s);
  zmq_ctx_term(ctx);
}

/* The next event on `monitor` among ACCEPTED and ACCEPT_FAILED, or -1 on timeout. */
static int accept_verdict(void* monitor) {
  for (;;) {
    zmq_msg_t frame;
    zmq_msg_init(&frame);
    if (zmq_msg_recv(&frame, monitor, 0) == -1) return -1;
    uint16_t event = 0;
    if (zmq_msg_size(&frame) == 6) memcpy(&event, zmq_msg_data(&frame), 2);
    while (zmq_msg_more(&frame)) zmq_msg_recv(&frame, monitor, 0);
    zmq_msg_close(&frame);
    if (event == ZMQ_EVENT_ACCEPTED || event == ZMQ_EVENT_ACCEPT_FAILED) return event;
  }
}

/* Binds a ROUTER with `filter` set (option, value, size) to `endpoint`, connects a DEALER,
 * and returns the listener's verdict. */
static int verdict(const char* endpoint, int option, const void* value, size_t size) {
  static int n = 0;
  char monitor_ep[64];
  snprintf(monitor_ep, sizeof monitor_ep, "inproc://transport-options-%d", n++);
  void* ctx = zmq_ctx_new();
  void* server = test_socket(ctx, ZMQ_ROUTER);
  CHECK(zmq_setsockopt(server, option, value, size) == 0);
  CHECK(zmq_socket_monitor(server, monitor_ep, ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_ACCEPT_FAILED) == 0);
  void* monitor = test_socket(ctx, ZMQ_PAIR);
  CHECK(zmq_connect(monitor, monitor_ep) == 0);
  CHECK(zmq_bind(server, endpoint) == 0);
  char bound[256];
  last_endpoint(server, bound, sizeof bound);
  void* client = test_socket(ctx, ZMQ_DEALER);
  CHECK(zmq_connect(client, bound) == 0);
  const int event = accept_verdict(monitor);
  zmq_close(client);
  zmq_close(monitor);
  zmq_close(server);
  zmq_ctx_term(ctx);
  return event;
}

static void accept_filters_decide(void) {
  CHECK(verdict("tcp://127.0.0.1:*", ZMQ_TCP_ACCEPT_FILTER, "10.0.0.1", 8) == ZMQ_EVENT_ACCEPT_FAILED);
  CHECK(verdict("tcp://127.0.0.1:*", ZMQ_TCP_ACCEPT_FILTER, "127.0.0.0/8", 11) == ZMQ_EVENT_ACCEPTED);
  char path[64];
  snprintf(path, sizeof path, "ipc:///tmp/capi-transport-options-%d", (int)getpid());
  const uid_t own = getuid(), other = getuid() + 1;
  CHECK(verdict(path, ZMQ_IPC_FILTER_UID, &other, sizeof other) == ZMQ_EVENT_ACCEPT_FAILED);
  CHECK(verdict(path, ZMQ_IPC_FILTER_UID, &own, sizeof own) == ZMQ_EVENT_ACCEPTED);
}

static void bind_to_a_missing_device_is_ENODEV(void) {
  const int probe = socket(AF_INET, SOCK_STREAM, 0);
  const int allowed = setsockopt(probe, SOL_SOCKET, SO_BINDTODEVICE, "lo", 2) == 0;
  close(probe);
  if (!allowed) {
    fprintf(stderr, "skipped: SO_BINDTODEVICE needs CAP_NET_RAW\n");
    return;
  }
  void* ctx = zmq_ctx_new();
  void* s = test_socket(ctx, ZMQ_ROUTER);
  CHECK(zmq_setsockopt(s, ZMQ_BINDTODEVICE, "nosuchdev0", 10) == 0);
  CHECK_ERRNO(zmq_bind(s, "tcp://127.0.0.1:*"), ENODEV);
  CHECK(zmq_setsockopt(s, ZMQ_BINDTODEVICE, "lo", 2) == 0);
  CHECK(zmq_bind(s, "tcp://127.0.0.1:*") == 0);
  zmq_close(s);
  zmq_ctx_term(ctx);
}

int main(void) {
  RUN(integer_options);
  RUN(text_options);
  RUN(ipc_filter_options);
  RUN(accept_filters_decide);
  RUN(bind_to_a_missing_device_is_ENODEV);
  return check_exit();
}
