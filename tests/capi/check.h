/* Minimal checks for the C tests of the C ABI: a failed check prints where and what, and
 * the test program exits non-zero at the end. Blocking calls in these tests carry RCVTIMEO /
 * SNDTIMEO (SAFETY_MS) so that a bug fails a test instead of hanging it. */
#ifndef RINGMQ_TESTS_CAPI_CHECK_H
#define RINGMQ_TESTS_CAPI_CHECK_H

#include <zmq.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAFETY_MS 5000

static int check_failures = 0;

#define CHECK(cond)                                                                                       \
  do {                                                                                                    \
    if (!(cond)) {                                                                                        \
      fprintf(stderr, "%s:%d: check failed: %s (errno %d: %s)\n", __FILE__, __LINE__, #cond, zmq_errno(), \
              zmq_strerror(zmq_errno()));                                                                 \
      ++check_failures;                                                                                   \
    }                                                                                                     \
  } while (0)

/* The call fails (-1 or NULL) with errno `err`. */
#define CHECK_ERRNO(call, err)                                                                            \
  do {                                                                                                    \
    errno = 0;                                                                                            \
    const int failed_ = (call) == -1;                                                                     \
    const int got_ = errno;                                                                               \
    if (!failed_ || got_ != (err)) {                                                                      \
      fprintf(stderr, "%s:%d: %s: expected -1 with errno %d (%s), got %s with errno %d (%s)\n", __FILE__, \
              __LINE__, #call, (err), zmq_strerror(err), failed_ ? "-1" : "success", got_,                \
              zmq_strerror(got_));                                                                        \
      ++check_failures;                                                                                   \
    }                                                                                                     \
  } while (0)

#define RUN(test)                                                                   \
  do {                                                                              \
    const int before_ = check_failures;                                             \
    test();                                                                         \
    fprintf(stderr, "%s %s\n", before_ == check_failures ? "ok  " : "FAIL", #test); \
  } while (0)

static inline int check_exit(void) {
  if (check_failures != 0) fprintf(stderr, "%d check(s) failed\n", check_failures);
  return check_failures == 0 ? 0 : 1;
}

/* A socket with the safety timeouts and LINGER 0. */
static inline void* test_socket(void* ctx, int type) {
  void* s = zmq_socket(ctx, type);
  const int safety = SAFETY_MS, zero = 0;
  if (s == NULL) return NULL;
  zmq_setsockopt(s, ZMQ_RCVTIMEO, &safety, sizeof safety);
  zmq_setsockopt(s, ZMQ_SNDTIMEO, &safety, sizeof safety);
  zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
  return s;
}

/* The endpoint the socket last bound ("tcp://127.0.0.1:41234"). */
static inline void last_endpoint(void* s, char* out, size_t size) {
  zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, out, &size);
}

/* Receives one part as a NUL-terminated string into buf; its size or -1. */
static inline int recv_str(void* s, char* buf, size_t size) {
  const int n = zmq_recv(s, buf, size - 1, 0);
  if (n >= 0) buf[(size_t)n < size - 1 ? (size_t)n : size - 1] = '\0';
  return n;
}

#endif
