/* The zmq_msg_* family and the send/recv calls: sizes, zero-copy buffers and their free
 * function, copy/move, multipart flags, properties, truncation. Runs on ringmq's libzmq.so.5
 * and on Debian's libzmq. */
#define _GNU_SOURCE
#include "check.h"

#include <pthread.h>
#include <sys/uio.h>
#include <unistd.h>

_Static_assert(sizeof(zmq_msg_t) == 64, "zmq_msg_t is 64 bytes");
_Static_assert(_Alignof(zmq_msg_t) == sizeof(void*), "zmq_msg_t is aligned like a pointer");

static void init_forms(void) {
  zmq_msg_t m;
  CHECK(zmq_msg_init(&m) == 0);
  CHECK(zmq_msg_size(&m) == 0 && zmq_msg_more(&m) == 0);
  CHECK(zmq_msg_close(&m) == 0);

  CHECK(zmq_msg_init_size(&m, 1000) == 0);
  CHECK(zmq_msg_size(&m) == 1000);
  memset(zmq_msg_data(&m), 'a', 1000); /* writable */
  CHECK(((char*)zmq_msg_data(&m))[999] == 'a');
  CHECK(zmq_msg_close(&m) == 0);

  static char constant[] = "constant bytes";
  CHECK(zmq_msg_init_data(&m, constant, sizeof constant, NULL, NULL) == 0);
  CHECK(zmq_msg_data(&m) == constant); /* no copy */
  CHECK(zmq_msg_close(&m) == 0);

  CHECK_ERRNO(zmq_msg_get(&m, 99), EINVAL);
  CHECK_ERRNO(zmq_msg_set(&m, ZMQ_MORE, 1), EINVAL);
}

/* A zero-copy buffer: its free function runs once, after the last copy is gone. */
static int freed = 0;
static void* freed_data = NULL;
static void* freed_hint = NULL;
static pthread_mutex_t freed_lock = PTHREAD_MUTEX_INITIALIZER;
static void count_free(void* data, void* hint) {
  pthread_mutex_lock(&freed_lock);
  ++freed;
  freed_data = data;
  freed_hint = hint;
  pthread_mutex_unlock(&freed_lock);
}
static int freed_count(void) {
  pthread_mutex_lock(&freed_lock);
  const int n = freed;
  pthread_mutex_unlock(&freed_lock);
  return n;
}

static void zero_copy_free_function(void) {
  static char buffer[4096];
  int hint = 0;
  zmq_msg_t m, copy;
  freed = 0;
  CHECK(zmq_msg_init_data(&m, buffer, sizeof buffer, count_free, &hint) == 0);
  CHECK(zmq_msg_init(&copy) == 0);
  CHECK(zmq_msg_copy(&copy, &m) == 0);
  CHECK(zmq_msg_data(&copy) == buffer); /* copies share the buffer */
  CHECK(zmq_msg_get(&m, ZMQ_SHARED) == 1);
  CHECK(zmq_msg_close(&m) == 0);
  CHECK(freed_count() == 0);
  CHECK(zmq_msg_close(&copy) == 0);
  CHECK(freed_count() == 1 && freed_data == buffer && freed_hint == &hint);

  /* Sent and received over tcp: freed once the library is done with it, maybe on an I/O
   * thread; waited for with a deadline. */
  freed = 0;
  void* ctx = zmq_ctx_new();
  void* pull = test_socket(ctx, ZMQ_PULL);
  void* push = test_socket(ctx, ZMQ_PUSH);
  char ep[256];
  CHECK(zmq_bind(pull, "tcp://127.0.0.1:*") == 0);
  last_endpoint(pull, ep, sizeof ep);
  CHECK(zmq_connect(push, ep) == 0);
  memset(buffer, 'z', sizeof buffer);
  CHECK(zmq_msg_init_data(&m, buffer, sizeof buffer, count_free, &hint) == 0);
  CHECK(zmq_msg_send(&m, push, 0) == (int)sizeof buffer);
  CHECK(zmq_msg_size(&m) == 0); /* a sent message is left empty */
  CHECK(zmq_msg_close(&m) == 0);
  zmq_msg_t got;
  zmq_msg_init(&got);
  CHECK(zmq_msg_recv(&got, pull, 0) == (int)sizeof buffer);
  CHECK(((char*)zmq_msg_data(&got))[100] == 'z');
  zmq_msg_close(&got);
  for (int i = 0; i < SAFETY_MS && freed_count() == 0; ++i) usleep(1000);
  CHECK(freed_count() == 1);
  zmq_close(push);
  zmq_close(pull);
  zmq_ctx_term(ctx);
}

static void move_and_copy(void) {
  zmq_msg_t a, b;
  CHECK(zmq_msg_init_size(&a, 5) == 0);
  memcpy(zmq_msg_data(&a), "hello", 5);
  CHECK(zmq_msg_init_size(&b, 3) == 0);
  CHECK(zmq_msg_move(&b, &a) == 0);
  CHECK(zmq_msg_size(&b) == 5 && memcmp(zmq_msg_data(&b), "hello", 5) == 0);
  CHECK(zmq_msg_size(&a) == 0); /* the source is left empty */
  CHECK(zmq_msg_copy(&a, &b) == 0);
  CHECK(zmq_msg_size(&a) == 5 && memcmp(zmq_msg_data(&a), "hello", 5) == 0);
  zmq_msg_close(&a);
  zmq_msg_close(&b);

  /* A large body is shared by its copy. */
  CHECK(zmq_msg_init_size(&a, 10000) == 0);
  zmq_msg_init(&b);
  CHECK(zmq_msg_get(&a, ZMQ_SHARED) == 0);
  CHECK(zmq_msg_copy(&b, &a) == 0);
  CHECK(zmq_msg_data(&a) == zmq_msg_data(&b));
  CHECK(zmq_msg_get(&a, ZMQ_SHARED) == 1 && zmq_msg_get(&b, ZMQ_SHARED) == 1);
  zmq_msg_close(&a);
  zmq_msg_close(&b);
}

static void multipart_flags_and_properties(void) {
  void* ctx = zmq_ctx_new();
  void* router = test_socket(ctx, ZMQ_ROUTER);
  void* dealer = test_socket(ctx, ZMQ_DEALER);
  char ep[256];
  CHECK(zmq_bind(router, "tcp://127.0.0.1:*") == 0);
  last_endpoint(router, ep, sizeof ep);
  CHECK(zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "alice", 5) == 0);
  CHECK(zmq_connect(dealer, ep) == 0);
  CHECK(zmq_send(dealer, "one", 3, ZMQ_SNDMORE) == 3);
  CHECK(zmq_send(dealer, "two", 3, 0) == 3);

  zmq_msg_t part;
  zmq_msg_init(&part);
  CHECK(zmq_msg_recv(&part, router, 0) == 5); /* the routing id */
  CHECK(memcmp(zmq_msg_data(&part), "alice", 5) == 0);
  CHECK(zmq_msg_more(&part) == 1 && zmq_msg_get(&part, ZMQ_MORE) == 1);
  int more = 0;
  size_t size = sizeof more;
  CHECK(zmq_getsockopt(router, ZMQ_RCVMORE, &more, &size) == 0 && more == 1);
  CHECK(zmq_msg_recv(&part, router, 0) == 3 && zmq_msg_more(&part) == 1);
  CHECK(zmq_msg_recv(&part, router, 0) == 3 && zmq_msg_more(&part) == 0);
  CHECK(memcmp(zmq_msg_data(&part), "two", 3) == 0);
  CHECK(zmq_getsockopt(router, ZMQ_RCVMORE, &more, &size) == 0 && more == 0);

  /* Connection properties (rfc 23 metadata, and the peer's address). */
  const char* type = zmq_msg_gets(&part, "Socket-Type");
  CHECK(type != NULL && strcmp(type, "DEALER") == 0);
  const char* identity = zmq_msg_gets(&part, "Identity");
  CHECK(identity != NULL && strcmp(identity, "alice") == 0);
  const char* peer = zmq_msg_gets(&part, "Peer-Address");
  CHECK(peer != NULL && strcmp(peer, "127.0.0.1") == 0);
  errno = 0;
  CHECK(zmq_msg_gets(&part, "No-Such-Property") == NULL && errno == EINVAL);
  zmq_msg_close(&part);
  zmq_close(dealer);
  zmq_close(router);
  zmq_ctx_term(ctx);
}

static void buffers_iov_and_truncation(void) {
  void* ctx = zmq_ctx_new();
  void* a = test_socket(ctx, ZMQ_PAIR);
  void* b = test_socket(ctx, ZMQ_PAIR);
  CHECK(zmq_bind(a, "inproc://buffers") == 0);
  CHECK(zmq_connect(b, "inproc://buffers") == 0);

  /* An oversized message is truncated; the return value is its full size. */
  CHECK(zmq_send(a, "0123456789", 10, 0) == 10);
  char small[4] = {0};
  CHECK(zmq_recv(b, small, sizeof small, 0) == 10);
  CHECK(memcmp(small, "0123", 4) == 0);

  static const char constant[] = "never copied";
  CHECK(zmq_send_const(a, constant, sizeof constant, 0) == (int)sizeof constant);
  char buf[64];
  CHECK(zmq_recv(b, buf, sizeof buf, 0) == (int)sizeof constant && strcmp(buf, constant) == 0);

  /* With ZMQ_SNDMORE the vector is one multipart message (else one message per part). */
  struct iovec out[3] = {{"ab", 2}, {"cde", 3}, {"f", 1}};
  CHECK(zmq_sendiov(a, out, 3, ZMQ_SNDMORE) >= 0);
  struct iovec in[3];
  size_t count = 3;
  CHECK(zmq_recviov(b, in, &count, 0) == 3 && count == 3);
  CHECK(in[0].iov_len == 2 && memcmp(in[0].iov_base, "ab", 2) == 0);
  CHECK(in[1].iov_len == 3 && memcmp(in[1].iov_base, "cde", 3) == 0);
  CHECK(in[2].iov_len == 1 && memcmp(in[2].iov_base, "f", 1) == 0);
  for (size_t i = 0; i < count; ++i) free(in[i].iov_base);
  CHECK_ERRNO(zmq_sendiov(a, NULL, 0, 0), EINVAL);

  /* The older names. */
  zmq_msg_t m;
  zmq_msg_init_size(&m, 2);
  memcpy(zmq_msg_data(&m), "hi", 2);
  CHECK(zmq_sendmsg(a, &m, 0) == 2);
  CHECK(zmq_recvmsg(b, &m, 0) == 2 && memcmp(zmq_msg_data(&m), "hi", 2) == 0);
  zmq_msg_close(&m);

  zmq_close(a);
  zmq_close(b);
  zmq_ctx_term(ctx);
}

int main(void) {
  RUN(init_forms);
  RUN(zero_copy_free_function);
  RUN(move_and_copy);
  RUN(multipart_flags_and_properties);
  RUN(buffers_iov_and_truncation);
  return check_exit();
}
