// The smallest program a user of an installed ringmq writes: one PUSH/PULL pair over inproc.
// tests/install/check_install.cmake builds it against an installed tree (with CMake and with
// pkg-config) and checks what it prints, so it proves the headers, the library and its
// run-time dependencies were found from the install prefix alone.
#include <ringmq/ringmq.hpp>

#include <cstdio>

int main() {
  ringmq::context ctx;
  ringmq::socket pull = ctx.socket(ringmq::socket_type::pull);
  ringmq::socket push = ctx.socket(ringmq::socket_type::push);
  pull.bind("inproc://consumer");
  push.connect("inproc://consumer");
  push.send("hello from an installed ringmq");
  const auto msg = pull.recv();
  if (!msg) return 1;
  const auto v = ringmq::version();
  std::printf("consumer: libringmq %d.%d.%d received '%s'\n", v.major, v.minor, v.patch,
              msg->to_string().c_str());
  return 0;
}
