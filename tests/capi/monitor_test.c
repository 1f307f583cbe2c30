/* zmq_socket_monitor: events arrive on a PAIR socket encoded as libzmq encodes them (a
 * 6-byte frame: 16-bit event and 32-bit value in host byte order, then the endpoint).
 * Runs on ringmq's libzmq.so.5 and on Debian's libzmq. */
#define _GNU_SOURCE
#include "check.h"

#include <stdint.h>

/* Reads one event; returns its number, or -1 on timeout/malformed. */
static int read_event(void* monitor, uint32_t* value, char* endpoint, size_t size) {
  zmq_msg_t frame;
  zmq_msg_init(&frame);
  if (zmq_msg_recv(&frame, monitor, 0) == -1) return -1;
  if (zmq_msg_size(&frame) != 6 || !zmq_msg_more(&frame)) {
    zmq_msg_close(&frame);
    return -1;
  }
  uint16_t event = 0;
  memcpy(&event, zmq_msg_data(&frame), 2);
  memcpy(value, (const char*)zmq_msg_data(&frame) + 2, 4);
  if (zmq_msg_recv(&frame, monitor, 0) == -1 || zmq_msg_more(&frame)) return -1;
  const size_t n = zmq_msg_size(&frame) < size - 1 ? zmq_msg_size(&frame) : size - 1;
  memcpy(endpoint, zmq_msg_data(&frame), n);
  endpoint[n] = '\0';
  zmq_msg_close(&frame);
  return event;
}

/* Reads events until `wanted` (others, such as CONNECT_DELAYED, may come in between). */
static int expect_event(void* monitor, int wanted, uint32_t* value, char* endpoint, size_t size) {
  for (int i = 0; i < 10; ++i) {
    const int e = read_event(monitor, value, endpoint, size);
    if (e == wanted || e == -1) return e;
  }
  return -1;
}

static void argument_errors(void) {
  void* ctx = zmq_ctx_new();
  void* s = test_socket(ctx, ZMQ_REP);
  CHECK_ERRNO(zmq_socket_monitor(s, "tcp://127.0.0.1:5555", ZMQ_EVENT_ALL), EPROTONOSUPPORT);
  CHECK_ERRNO(zmq_socket_monitor(s, "not an endpoint", ZMQ_EVENT_ALL), EINVAL);
  CHECK_ERRNO(zmq_socket_monitor(s, "inproc://monitor-args", 0x10000), EINVAL); /* 16-bit events */
  CHECK(zmq_socket_monitor(s, NULL, 0) == 0); /* stopping no monitor is fine */
  zmq_close(s);
  zmq_ctx_term(ctx);
}

static void events_on_both_sides(void) {
  void* ctx = zmq_ctx_new();
  void* server = test_socket(ctx, ZMQ_REP);
  void* client = test_socket(ctx, ZMQ_REQ);
  CHECK(zmq_socket_monitor(server, "inproc://monitor-server", ZMQ_EVENT_ALL) == 0);
  CHECK(zmq_socket_monitor(client, "inproc://monitor-client", ZMQ_EVENT_ALL) == 0);
  void* server_events = test_socket(ctx, ZMQ_PAIR);
  void* client_events = test_socket(ctx, ZMQ_PAIR);
  CHECK(zmq_connect(server_events, "inproc://monitor-server") == 0);
  CHECK(zmq_connect(client_events, "inproc://monitor-client") == 0);

  char ep[256], got[256];
  uint32_t value = 0;
  CHECK(zmq_bind(server, "tcp://127.0.0.1:*") == 0);
  last_endpoint(server, ep, sizeof ep);
  CHECK(expect_event(server_events, ZMQ_EVENT_LISTENING, &value, got, sizeof got) == ZMQ_EVENT_LISTENING);
  CHECK(strcmp(got, ep) == 0);

  CHECK(zmq_connect(client, ep) == 0);
  CHECK(expect_event(client_events, ZMQ_EVENT_CONNECTED, &value, got, sizeof got) == ZMQ_EVENT_CONNECTED);
  CHECK(strcmp(got, ep) == 0 && value > 0); /* value: the descriptor */
  CHECK(expect_event(server_events, ZMQ_EVENT_ACCEPTED, &value, got, sizeof got) == ZMQ_EVENT_ACCEPTED);
  CHECK(strcmp(got, ep) == 0 && value > 0);
  CHECK(expect_event(server_events, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, &value, got, sizeof got) ==
        ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
  CHECK(expect_event(client_events, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, &value, got, sizeof got) ==
        ZMQ_EVENT_HANDSHAKE_SUCCEEDED);

  /* The client goes away: the server sees DISCONNECTED. */
  CHECK(zmq_close(client) == 0);
  CHECK(expect_event(server_events, ZMQ_EVENT_DISCONNECTED, &value, got, sizeof got) ==
        ZMQ_EVENT_DISCONNECTED);

  /* Stopping the monitor ends its stream with MONITOR_STOPPED. */
  CHECK(zmq_socket_monitor(server, NULL, 0) == 0);
  CHECK(expect_event(server_events, ZMQ_EVENT_MONITOR_STOPPED, &value, got, sizeof got) ==
        ZMQ_EVENT_MONITOR_STOPPED);
  CHECK(expect_event(client_events, ZMQ_EVENT_MONITOR_STOPPED, &value, got, sizeof got) ==
        ZMQ_EVENT_MONITOR_STOPPED); /* closing a socket stops its monitor */

  zmq_close(server_events);
  zmq_close(client_events);
  zmq_close(server);
  zmq_ctx_term(ctx);
}

static void only_the_events_asked_for(void) {
  void* ctx = zmq_ctx_new();
  void* server = test_socket(ctx, ZMQ_PULL);
  CHECK(zmq_socket_monitor(server, "inproc://monitor-mask", ZMQ_EVENT_ACCEPTED) == 0);
  void* events = test_socket(ctx, ZMQ_PAIR);
  CHECK(zmq_connect(events, "inproc://monitor-mask") == 0);
  CHECK(zmq_bind(server, "tcp://127.0.0.1:*") == 0); /* LISTENING: not asked for */
  char ep[256], got[256];
  last_endpoint(server, ep, sizeof ep);
  void* client = test_socket(ctx, ZMQ_PUSH);
  CHECK(zmq_connect(client, ep) == 0);
  uint32_t value = 0;
  CHECK(read_event(events, &value, got, sizeof got) == ZMQ_EVENT_ACCEPTED); /* the first one */
  CHECK(zmq_socket_monitor(server, NULL, 0) == 0); /* MONITOR_STOPPED not asked for either */
  int timeout = 100;
  zmq_setsockopt(events, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
  zmq_msg_t m;
  zmq_msg_init(&m);
  CHECK_ERRNO(zmq_msg_recv(&m, events, 0), EAGAIN);
  zmq_msg_close(&m);
  zmq_close(client);
  zmq_close(events);
  zmq_close(server);
  zmq_ctx_term(ctx);
}

int main(void) {
  RUN(argument_errors);
  RUN(events_on_both_sides);
  RUN(only_the_events_asked_for);
  return check_exit();
}
