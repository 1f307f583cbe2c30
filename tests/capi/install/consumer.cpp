// A cppzmq program built with CMake against an installed ringmq libzmq, found the way
// cppzmq's own package finds libzmq (find_package(ZeroMQ), target libzmq): it must build
// unchanged and run on ringmq (install_test.py).
#include <zmq.hpp>

#include <dlfcn.h>

#include <cstdio>
#include <string>

int main() {
  if (dlsym(RTLD_DEFAULT, "ringmq_version") == nullptr) {
    std::fprintf(stderr, "not running on ringmq's libzmq\n");
    return 1;
  }
  zmq::context_t ctx;
  zmq::socket_t pull(ctx, zmq::socket_type::pull);
  zmq::socket_t push(ctx, zmq::socket_type::push);
  pull.bind("inproc://consumer");
  push.connect("inproc://consumer");
  push.send(zmq::str_buffer("hello"), zmq::send_flags::none);
  zmq::message_t msg;
  const bool ok = pull.recv(msg, zmq::recv_flags::none) && msg.to_string() == "hello";
  std::printf("cppzmq program via find_package(cppzmq): %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
