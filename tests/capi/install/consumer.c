/* A libzmq program built against an installed ringmq libzmq (pkg-config libzmq): it must
 * compile and link unchanged, and run on ringmq (install_test.py). */
#define _GNU_SOURCE
#include <zmq.h>

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  if (dlsym(RTLD_DEFAULT, "ringmq_version") == NULL) {
    fprintf(stderr, "not running on ringmq's libzmq\n");
    return 1;
  }
  void* ctx = zmq_ctx_new();
  void* rep = zmq_socket(ctx, ZMQ_REP);
  void* req = zmq_socket(ctx, ZMQ_REQ);
  char buf[16] = {0};
  int ok = zmq_bind(rep, "inproc://consumer") == 0 && zmq_connect(req, "inproc://consumer") == 0 &&
           zmq_send(req, "ping", 4, 0) == 4 && zmq_recv(rep, buf, sizeof buf, 0) == 4 &&
           zmq_send(rep, "pong", 4, 0) == 4 && zmq_recv(req, buf, sizeof buf, 0) == 4 &&
           memcmp(buf, "pong", 4) == 0;
  zmq_close(req);
  zmq_close(rep);
  zmq_ctx_term(ctx);
  int major = 0, minor = 0, patch = 0;
  zmq_version(&major, &minor, &patch);
  printf("C program via pkg-config: %s on ringmq's libzmq %d.%d.%d\n", ok ? "ok" : "FAILED", major, minor,
         patch);
  return ok ? 0 : 1;
}
