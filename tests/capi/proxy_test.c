/* zmq_proxy and zmq_proxy_steerable, each running on a thread of its own (zmq_threadstart).
 * Runs on ringmq's libzmq.so.5 and on Debian's libzmq. */
#define _GNU_SOURCE
#include "check.h"

#include <stdint.h>

struct proxy_args {
  void *frontend, *backend, *capture, *control;
  int rc, err;
};

static void run_proxy(void* arg) {
  struct proxy_args* p = arg;
  p->rc = p->control ? zmq_proxy_steerable(p->frontend, p->backend, p->capture, p->control)
                     : zmq_proxy(p->frontend, p->backend, p->capture);
  p->err = zmq_errno();
}

static void steerable_streamer(void) {
  void* ctx = zmq_ctx_new();
  struct proxy_args p = {test_socket(ctx, ZMQ_PULL),
                         test_socket(ctx, ZMQ_PUSH),
                         test_socket(ctx, ZMQ_PUSH),
                         test_socket(ctx, ZMQ_PAIR),
                         0,
                         0};
  CHECK(zmq_bind(p.frontend, "inproc://p-in") == 0);
  CHECK(zmq_bind(p.backend, "inproc://p-out") == 0);
  CHECK(zmq_bind(p.capture, "inproc://p-capture") == 0);
  CHECK(zmq_bind(p.control, "inproc://p-control") == 0);
  void* producer = test_socket(ctx, ZMQ_PUSH);
  void* consumer = test_socket(ctx, ZMQ_PULL);
  void* tap = test_socket(ctx, ZMQ_PULL);
  void* steer = test_socket(ctx, ZMQ_PAIR);
  CHECK(zmq_connect(producer, "inproc://p-in") == 0);
  CHECK(zmq_connect(consumer, "inproc://p-out") == 0);
  CHECK(zmq_connect(tap, "inproc://p-capture") == 0);
  CHECK(zmq_connect(steer, "inproc://p-control") == 0);
  void* thread = zmq_threadstart(run_proxy, &p);

  char buf[32];
  CHECK(zmq_send(producer, "hello", 5, ZMQ_SNDMORE) == 5);
  CHECK(zmq_send(producer, "world", 5, 0) == 5);
  CHECK(zmq_recv(consumer, buf, sizeof buf, 0) == 5);
  int more = 0;
  size_t size = sizeof more;
  CHECK(zmq_getsockopt(consumer, ZMQ_RCVMORE, &more, &size) == 0 && more == 1);
  CHECK(zmq_recv(consumer, buf, sizeof buf, 0) == 5 && memcmp(buf, "world", 5) == 0);
  CHECK(zmq_recv(tap, buf, sizeof buf, 0) == 5 && memcmp(buf, "hello", 5) == 0);
  CHECK(zmq_recv(tap, buf, sizeof buf, 0) == 5);

  CHECK(zmq_send(steer, "STATISTICS", 10, 0) == 10);
  uint64_t stats[8];
  for (int i = 0; i < 8; ++i) {
    zmq_msg_t m;
    zmq_msg_init(&m);
    CHECK(zmq_msg_recv(&m, steer, 0) == 8);
    CHECK(zmq_msg_more(&m) == (i < 7));
    memcpy(&stats[i], zmq_msg_data(&m), 8);
    zmq_msg_close(&m);
  }
  /* frontend in: 1 message of 10 bytes; backend out: the same. */
  CHECK(stats[0] == 1 && stats[1] == 10 && stats[2] == 0 && stats[3] == 0);
  CHECK(stats[4] == 0 && stats[5] == 0 && stats[6] == 1 && stats[7] == 10);

  CHECK(zmq_send(steer, "TERMINATE", 9, 0) == 9);
  zmq_threadclose(thread);
  CHECK(p.rc == 0);

  void* all[] = {p.frontend, p.backend, p.capture, p.control, producer, consumer, tap, steer};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i) zmq_close(all[i]);
  zmq_ctx_term(ctx);
}

static void queue_ends_with_eterm(void) {
  void* ctx = zmq_ctx_new();
  struct proxy_args p = {test_socket(ctx, ZMQ_ROUTER), test_socket(ctx, ZMQ_DEALER), NULL, NULL, 0, 0};
  char front[256], back[256];
  CHECK(zmq_bind(p.frontend, "tcp://127.0.0.1:*") == 0);
  CHECK(zmq_bind(p.backend, "tcp://127.0.0.1:*") == 0);
  last_endpoint(p.frontend, front, sizeof front);
  last_endpoint(p.backend, back, sizeof back);
  void* client = test_socket(ctx, ZMQ_REQ);
  void* worker = test_socket(ctx, ZMQ_REP);
  CHECK(zmq_connect(client, front) == 0);
  CHECK(zmq_connect(worker, back) == 0);
  void* thread = zmq_threadstart(run_proxy, &p);
  char buf[32];
  for (int i = 0; i < 10; ++i) {
    CHECK(zmq_send(client, "ask", 3, 0) == 3);
    CHECK(zmq_recv(worker, buf, sizeof buf, 0) == 3);
    CHECK(zmq_send(worker, "answer", 6, 0) == 6);
    CHECK(zmq_recv(client, buf, sizeof buf, 0) == 6);
  }
  /* Shutting the context down ends the proxy with ETERM. */
  zmq_ctx_shutdown(ctx);
  zmq_threadclose(thread);
  CHECK(p.rc == -1 && p.err == ETERM);
  void* all[] = {p.frontend, p.backend, client, worker};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i) zmq_close(all[i]);
  zmq_ctx_term(ctx);
}

int main(void) {
  RUN(steerable_streamer);
  RUN(queue_ends_with_eterm);
  return check_exit();
}
