/* The helpers: timers, atomic counters, stopwatch, threads, Z85 and CURVE keys. Runs on
 * ringmq's libzmq.so.5 and on Debian's libzmq. */
#define _GNU_SOURCE
#include "check.h"

#include <stdint.h>

static int fired[4];
static void on_timer(int id, void* arg) {
  (void)id;
  ++*(int*)arg;
}

static void timers(void) {
  void* t = zmq_timers_new();
  CHECK(t != NULL);
  CHECK(zmq_timers_timeout(t) == -1); /* none */
  const int a = zmq_timers_add(t, 30, on_timer, &fired[0]);
  const int b = zmq_timers_add(t, 100000, on_timer, &fired[1]);
  CHECK(a > 0 && b > 0 && a != b);
  CHECK_ERRNO(zmq_timers_add(t, 10, NULL, NULL), EFAULT);
  const long wait = zmq_timers_timeout(t);
  CHECK(wait >= 0 && wait <= 30);
  CHECK(zmq_timers_execute(t) == 0);
  CHECK(fired[0] == 0); /* not due yet */
  /* Wait as an event loop would (zmq_poll on nothing sleeps), then run what is due. */
  for (int i = 0; i < 100 && fired[0] == 0; ++i) {
    zmq_poll(NULL, 0, zmq_timers_timeout(t));
    CHECK(zmq_timers_execute(t) == 0);
  }
  CHECK(fired[0] == 1 && fired[1] == 0);
  CHECK(zmq_timers_timeout(t) <= 30); /* it repeats */
  CHECK(zmq_timers_set_interval(t, b, 10) == 0);
  CHECK(zmq_timers_reset(t, a) == 0);
  CHECK(zmq_timers_cancel(t, a) == 0);
  CHECK_ERRNO(zmq_timers_cancel(t, a), EINVAL);
  CHECK_ERRNO(zmq_timers_reset(t, 12345), EINVAL);
  for (int i = 0; i < 100 && fired[1] == 0; ++i) {
    zmq_poll(NULL, 0, zmq_timers_timeout(t));
    CHECK(zmq_timers_execute(t) == 0);
  }
  CHECK(fired[1] == 1 && fired[0] == 1);
  CHECK(zmq_timers_destroy(&t) == 0 && t == NULL);
  CHECK_ERRNO(zmq_timers_destroy(&t), EFAULT);
}

static void atomic_counters(void) {
  void* c = zmq_atomic_counter_new();
  CHECK(zmq_atomic_counter_value(c) == 0);
  CHECK(zmq_atomic_counter_inc(c) == 0); /* returns the value before */
  CHECK(zmq_atomic_counter_inc(c) == 1);
  CHECK(zmq_atomic_counter_dec(c) == 1); /* still not zero */
  CHECK(zmq_atomic_counter_dec(c) == 0); /* zero */
  zmq_atomic_counter_set(c, 5);
  CHECK(zmq_atomic_counter_value(c) == 5);
  zmq_atomic_counter_destroy(&c);
  CHECK(c == NULL);
}

static void run_thread(void* arg) { *(int*)arg = 42; }

static void stopwatch_and_threads(void) {
  void* watch = zmq_stopwatch_start();
  int result = 0;
  void* thread = zmq_threadstart(run_thread, &result);
  zmq_threadclose(thread);
  CHECK(result == 42);
  const unsigned long mid = zmq_stopwatch_intermediate(watch);
  zmq_poll(NULL, 0, 10);
  const unsigned long end = zmq_stopwatch_stop(watch);
  CHECK(end >= mid + 9000); /* microseconds */
  zmq_sleep(0);
}

static void z85_and_keys(void) {
  /* rfc 32's test vector. */
  const uint8_t data[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
  char text[11];
  CHECK(zmq_z85_encode(text, data, 8) == text && strcmp(text, "HelloWorld") == 0);
  uint8_t back[8];
  CHECK(zmq_z85_decode(back, "HelloWorld") == back && memcmp(back, data, 8) == 0);
  CHECK(zmq_z85_encode(text, data, 7) == NULL); /* not a multiple of 4 */
  CHECK(zmq_z85_decode(back, "Hello") != NULL); /* 5 characters: 4 bytes */
  CHECK(zmq_z85_decode(back, "Hell") == NULL);  /* not a multiple of 5 */

  char public_key[41], secret_key[41], derived[41];
  CHECK(zmq_curve_keypair(public_key, secret_key) == 0);
  CHECK(strlen(public_key) == 40 && strlen(secret_key) == 40);
  CHECK(zmq_curve_public(derived, secret_key) == 0 && strcmp(derived, public_key) == 0);
}

int main(void) {
  RUN(timers);
  RUN(atomic_counters);
  RUN(stopwatch_and_threads);
  RUN(z85_and_keys);
  return check_exit();
}
