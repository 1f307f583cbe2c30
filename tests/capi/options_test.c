/* zmq_setsockopt / zmq_getsockopt: value forms, sizes, defaults and errors. Runs on ringmq's
 * libzmq.so.5 and on Debian's libzmq; the options ringmq has not got are checked against
 * docs/c-abi.md's table on ringmq only. */
#define _GNU_SOURCE
#include "check.h"

#include <dlfcn.h>

static int on_ringmq(void) { return dlsym(RTLD_DEFAULT, "ringmq_version") != NULL; }

static int get_int(void* s, int option, int* value) {
  size_t size = sizeof *value;
  return zmq_getsockopt(s, option, value, &size);
}

static void unknown_and_misplaced_options(void) {
  void* ctx = zmq_ctx_new();
  void* pub = test_socket(ctx, ZMQ_PUB);
  const int five = 5;
  int v = 0;
  CHECK_ERRNO(zmq_setsockopt(pub, 9999, &five, sizeof five), EINVAL);
  CHECK_ERRNO(get_int(pub, 9999, &v), EINVAL);
  CHECK_ERRNO(zmq_setsockopt(pub, ZMQ_SUBSCRIBE, "hi", 2), EINVAL);             /* not a SUB */
  CHECK_ERRNO(zmq_setsockopt(pub, ZMQ_EVENTS, &five, sizeof five), EINVAL);     /* read-only */
  CHECK_ERRNO(zmq_setsockopt(pub, ZMQ_LINGER, &five, sizeof five - 1), EINVAL); /* not an int */
  if (on_ringmq())
    CHECK_ERRNO(zmq_setsockopt(pub, ZMQ_LINGER, NULL, sizeof five), EINVAL); /* libzmq crashes */
  size_t size = 2;
  CHECK_ERRNO(zmq_getsockopt(pub, ZMQ_LINGER, &v, &size), EINVAL);
  CHECK_ERRNO(zmq_setsockopt(pub, ZMQ_IMMEDIATE, (const int[]){2}, sizeof(int)), EINVAL); /* 0 or 1 */
  zmq_close(pub);
  zmq_ctx_term(ctx);
}

static void integer_options(void) {
  void* ctx = zmq_ctx_new();
  void* s = zmq_socket(ctx, ZMQ_DEALER);
  int v = 0;
  CHECK(get_int(s, ZMQ_LINGER, &v) == 0 && v == -1); /* libzmq's default: forever */
  CHECK(get_int(s, ZMQ_SNDHWM, &v) == 0 && v == 1000);
  CHECK(get_int(s, ZMQ_RCVHWM, &v) == 0 && v == 1000);
  CHECK(get_int(s, ZMQ_RCVTIMEO, &v) == 0 && v == -1);
  CHECK(get_int(s, ZMQ_TYPE, &v) == 0 && v == ZMQ_DEALER);
  CHECK(get_int(s, ZMQ_RCVMORE, &v) == 0 && v == 0);
  CHECK(get_int(s, ZMQ_EVENTS, &v) == 0 && v == 0); /* no peer: neither in nor out */
  CHECK(get_int(s, ZMQ_MECHANISM, &v) == 0 && v == ZMQ_NULL);
  CHECK(get_int(s, ZMQ_THREAD_SAFE, &v) == 0 && v == 0);
  CHECK(get_int(s, ZMQ_IPV4ONLY, &v) == 0 && v == 1);

  const int eleven = 11, zero = 0;
  CHECK(zmq_setsockopt(s, ZMQ_LINGER, &eleven, sizeof eleven) == 0);
  CHECK(get_int(s, ZMQ_LINGER, &v) == 0 && v == 11);
  CHECK(zmq_setsockopt(s, ZMQ_IPV4ONLY, &zero, sizeof zero) == 0);
  CHECK(get_int(s, ZMQ_IPV6, &v) == 0 && v == 1);

  /* MAXMSGSIZE is an int64. */
  int64_t big = 1 << 20, got = 0;
  size_t size = sizeof got;
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &eleven, sizeof eleven), EINVAL);
  CHECK(zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &big, sizeof big) == 0);
  CHECK(zmq_getsockopt(s, ZMQ_MAXMSGSIZE, &got, &size) == 0 && got == big && size == sizeof got);
  zmq_close(s);
  zmq_ctx_term(ctx);
}

static void text_and_binary_options(void) {
  void* ctx = zmq_ctx_new();
  void* s = test_socket(ctx, ZMQ_DEALER);
  char buf[256];
  size_t size = sizeof buf;

  /* Routing ids are binary: NULs kept, length as given. */
  CHECK(zmq_setsockopt(s, ZMQ_ROUTING_ID, "id\0\0x", 5) == 0);
  CHECK(zmq_getsockopt(s, ZMQ_ROUTING_ID, buf, &size) == 0 && size == 5 && memcmp(buf, "id\0\0x", 5) == 0);

  /* LAST_ENDPOINT is text with its NUL; a buffer too small is EINVAL. */
  CHECK(zmq_bind(s, "tcp://127.0.0.1:*") == 0);
  size = sizeof buf;
  CHECK(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, buf, &size) == 0);
  CHECK(size == strlen(buf) + 1 && strncmp(buf, "tcp://127.0.0.1:", 16) == 0);
  char tiny[8];
  size_t tiny_size = sizeof tiny;
  CHECK_ERRNO(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, tiny, &tiny_size), EINVAL);

  CHECK(zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, "global", 6) == 0);
  size = sizeof buf;
  CHECK(zmq_getsockopt(s, ZMQ_ZAP_DOMAIN, buf, &size) == 0 && size == 7 && strcmp(buf, "global") == 0);

  CHECK(zmq_setsockopt(s, ZMQ_PLAIN_USERNAME, "admin", 5) == 0);
  int mechanism = -1;
  size = sizeof mechanism;
  CHECK(zmq_getsockopt(s, ZMQ_MECHANISM, &mechanism, &size) == 0 && mechanism == ZMQ_PLAIN);
  zmq_close(s);
  zmq_ctx_term(ctx);
}

static void curve_keys(void) {
  void* ctx = zmq_ctx_new();
  void* s = test_socket(ctx, ZMQ_DEALER);
  char public_key[41], secret_key[41];
  CHECK(zmq_curve_keypair(public_key, secret_key) == 0);

  /* Set as Z85 with its NUL (41 bytes), read back as Z85 (41) or binary (32). */
  CHECK(zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, public_key, 41) == 0);
  char z85[41];
  size_t size = sizeof z85;
  CHECK(zmq_getsockopt(s, ZMQ_CURVE_SERVERKEY, z85, &size) == 0 && strcmp(z85, public_key) == 0);
  uint8_t binary[32], decoded[32];
  size = sizeof binary;
  CHECK(zmq_getsockopt(s, ZMQ_CURVE_SERVERKEY, binary, &size) == 0);
  CHECK(zmq_z85_decode(decoded, public_key) != NULL && memcmp(binary, decoded, 32) == 0);
  char odd[40];
  size = sizeof odd;
  CHECK_ERRNO(zmq_getsockopt(s, ZMQ_CURVE_SERVERKEY, odd, &size), EINVAL);

  /* Also as 40 characters, and as 32 bytes. */
  CHECK(zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, public_key, 40) == 0);
  CHECK(zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, decoded, 32) == 0);
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, "short", 5), EINVAL);
  int mechanism = -1;
  size = sizeof mechanism;
  CHECK(zmq_getsockopt(s, ZMQ_MECHANISM, &mechanism, &size) == 0 && mechanism == ZMQ_CURVE);
  zmq_close(s);
  zmq_ctx_term(ctx);
}

/* docs/c-abi.md: options ringmq has not got. Multicast tuning is stored without effect, as
 * in libzmq without multicast traffic; missing features read their default, accept only the
 * default, and refuse anything else with EINVAL; the rest is EINVAL. */
static void options_ringmq_has_not_got(void) {
  if (!on_ringmq()) return;
  void* ctx = zmq_ctx_new();
  void* s = zmq_socket(ctx, ZMQ_SUB);
  int v = 0;
  const int zero = 0, one = 1, many = 200;
  CHECK(get_int(s, ZMQ_RATE, &v) == 0 && v == 100);
  CHECK(zmq_setsockopt(s, ZMQ_RATE, &many, sizeof many) == 0);
  CHECK(get_int(s, ZMQ_RATE, &v) == 0 && v == 200);
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_RATE, &zero, sizeof zero), EINVAL);

  CHECK(get_int(s, ZMQ_USE_FD, &v) == 0 && v == -1);
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_SOCKS_PROXY, "host:1080", 9), EINVAL);
  char text[8];
  size_t size = sizeof text;
  CHECK(zmq_getsockopt(s, ZMQ_SOCKS_PROXY, text, &size) == 0 && size == 1 && text[0] == '\0');

  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_GSSAPI_SERVER, &one, sizeof one), EINVAL);
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_ROUTER_RAW, &one, sizeof one), EINVAL);
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_VMCI_CONNECT_TIMEOUT, &one, sizeof one), EINVAL);
  /* STREAM_NOTIFY is STREAM's alone: EINVAL on this SUB, a 0/1 flag on a STREAM socket. */
  CHECK_ERRNO(zmq_setsockopt(s, ZMQ_STREAM_NOTIFY, &zero, sizeof zero), EINVAL);
  void* st = zmq_socket(ctx, ZMQ_STREAM);
  CHECK(st != NULL);
  CHECK(zmq_setsockopt(st, ZMQ_STREAM_NOTIFY, &zero, sizeof zero) == 0);
  CHECK(zmq_setsockopt(st, ZMQ_STREAM_NOTIFY, &one, sizeof one) == 0);
  v = 2;
  CHECK_ERRNO(zmq_setsockopt(st, ZMQ_STREAM_NOTIFY, &v, sizeof v), EINVAL);
  zmq_close(st);
  zmq_close(s);
  zmq_ctx_term(ctx);
}

/* The options libzmq adds to the patterns, as both libraries take them. */
static void pattern_options(void) {
  void* ctx = zmq_ctx_new();
  const int one = 1;
  int v = -1;
  void* sub = zmq_socket(ctx, ZMQ_SUB);
  CHECK(get_int(sub, ZMQ_INVERT_MATCHING, &v) == 0 && v == 0);
  CHECK(zmq_setsockopt(sub, ZMQ_INVERT_MATCHING, &one, sizeof one) == 0);
  CHECK(get_int(sub, ZMQ_INVERT_MATCHING, &v) == 0 && v == 1);
  CHECK_ERRNO(zmq_setsockopt(sub, ZMQ_XPUB_WELCOME_MSG, "hi", 2), EINVAL);
  CHECK_ERRNO(zmq_setsockopt(sub, ZMQ_PROBE_ROUTER, &one, sizeof one), EINVAL);
  void* xpub = zmq_socket(ctx, ZMQ_XPUB);
  CHECK(zmq_setsockopt(xpub, ZMQ_XPUB_WELCOME_MSG, "hi", 2) == 0);
  CHECK(zmq_setsockopt(xpub, ZMQ_XPUB_MANUAL, &one, sizeof one) == 0);
  CHECK(zmq_setsockopt(xpub, ZMQ_SUBSCRIBE, "A", 1) == 0); /* manual: no peer yet, no effect */
  void* dealer = zmq_socket(ctx, ZMQ_DEALER);
  CHECK(zmq_setsockopt(dealer, ZMQ_PROBE_ROUTER, &one, sizeof one) == 0);
  void* router = zmq_socket(ctx, ZMQ_ROUTER);
  CHECK(zmq_setsockopt(router, ZMQ_PROBE_ROUTER, &one, sizeof one) == 0);
  if (on_ringmq()) { /* a draft option in libzmq 4.3, absent from Debian's build */
    const int both = 3;
    CHECK(zmq_setsockopt(router, 97 /* ZMQ_ROUTER_NOTIFY */, &both, sizeof both) == 0);
    CHECK(get_int(router, 97, &v) == 0 && v == 3);
  }
  zmq_close(sub);
  zmq_close(xpub);
  zmq_close(dealer);
  zmq_close(router);
  zmq_ctx_term(ctx);
}

/* ZMQ_CONFLATE on a receiving socket: recv returns the newest message, and nothing older
 * after it (over inproc every send has reached the queue when it returns). libzmq takes the
 * setting from the connecting side of an inproc connection, so its binding PULL here gets
 * every message (checked: 1, 2, 3, ...); the behaviour is checked on ringmq only. ringmq
 * refuses CONFLATE on PUSH (libzmq conflates the outbound queue there). */
static void conflate(void) {
  void* ctx = zmq_ctx_new();
  void* pull = zmq_socket(ctx, ZMQ_PULL);
  void* push = zmq_socket(ctx, ZMQ_PUSH);
  const int one = 1;
  int v = -1;
  CHECK(get_int(pull, ZMQ_CONFLATE, &v) == 0 && v == 0);
  CHECK(zmq_setsockopt(pull, ZMQ_CONFLATE, &one, sizeof one) == 0);
  CHECK(get_int(pull, ZMQ_CONFLATE, &v) == 0 && v == 1);
  if (on_ringmq()) {
    CHECK(zmq_bind(pull, "inproc://conflate") == 0);
    CHECK(zmq_connect(push, "inproc://conflate") == 0);
    char text[16];
    for (int i = 1; i <= 100; ++i) {
      const int n = snprintf(text, sizeof text, "%d", i);
      CHECK(zmq_send(push, text, (size_t)n, 0) == n);
    }
    char got[16] = {0};
    CHECK(zmq_recv(pull, got, sizeof got - 1, ZMQ_DONTWAIT) == 3 && strcmp(got, "100") == 0);
    CHECK_ERRNO(zmq_recv(pull, got, sizeof got, ZMQ_DONTWAIT), EAGAIN);
    CHECK_ERRNO(zmq_setsockopt(push, ZMQ_CONFLATE, &one, sizeof one), EINVAL);
  }
  zmq_close(push);
  zmq_close(pull);
  zmq_ctx_term(ctx);
}

/* ZMQ_AFFINITY (uint64): which I/O threads serve a socket's later binds and connects; a
 * mask naming no thread of the context makes them fail with EMTHREAD. Checked on libzmq. */
static void affinity(void) {
  void* ctx = zmq_ctx_new();
  CHECK(zmq_ctx_set(ctx, ZMQ_IO_THREADS, 2) == 0);
  void* pull = test_socket(ctx, ZMQ_PULL);
  void* push = test_socket(ctx, ZMQ_PUSH);
  uint64_t mask = 7;
  size_t size = sizeof mask;
  CHECK(zmq_getsockopt(pull, ZMQ_AFFINITY, &mask, &size) == 0 && size == sizeof mask && mask == 0);
  CHECK_ERRNO(zmq_setsockopt(pull, ZMQ_AFFINITY, &size, sizeof(int)), EINVAL); /* not a uint64 */
  mask = 4; /* a third thread the context has not got */
  CHECK(zmq_setsockopt(pull, ZMQ_AFFINITY, &mask, sizeof mask) == 0);
  CHECK_ERRNO(zmq_bind(pull, "tcp://127.0.0.1:*"), EMTHREAD);
  mask = 2;
  CHECK(zmq_setsockopt(pull, ZMQ_AFFINITY, &mask, sizeof mask) == 0);
  CHECK(zmq_getsockopt(pull, ZMQ_AFFINITY, &mask, &size) == 0 && mask == 2);
  CHECK(zmq_bind(pull, "tcp://127.0.0.1:*") == 0);
  char endpoint[256];
  size = sizeof endpoint;
  CHECK(zmq_getsockopt(pull, ZMQ_LAST_ENDPOINT, endpoint, &size) == 0);
  mask = 1;
  CHECK(zmq_setsockopt(push, ZMQ_AFFINITY, &mask, sizeof mask) == 0);
  CHECK(zmq_connect(push, endpoint) == 0);
  CHECK(zmq_send(push, "hi", 2, 0) == 2);
  char got[4];
  CHECK(zmq_recv(pull, got, sizeof got, 0) == 2 && memcmp(got, "hi", 2) == 0);
  zmq_close(push);
  zmq_close(pull);
  zmq_ctx_term(ctx);
}

int main(void) {
  RUN(unknown_and_misplaced_options);
  RUN(integer_options);
  RUN(text_and_binary_options);
  RUN(pattern_options);
  RUN(curve_keys);
  RUN(options_ringmq_has_not_got);
  RUN(conflate);
  RUN(affinity);
  return check_exit();
}
