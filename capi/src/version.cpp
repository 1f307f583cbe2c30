// zmq_version (the libzmq API this library implements), ringmq_version and zmq_has.
#include "handles.hpp"

#include <cstring>

extern "C" {

void zmq_version(int* major, int* minor, int* patch) {
  *major = ZMQ_VERSION_MAJOR;
  *minor = ZMQ_VERSION_MINOR;
  *patch = ZMQ_VERSION_PATCH;
}

void ringmq_version(int* major, int* minor, int* patch) {
  const ringmq::version_info v = ringmq::version();
  *major = v.major;
  *minor = v.minor;
  *patch = v.patch;
}

int zmq_has(const char* capability) {
  // The names libzmq answers to. ringmq always has ipc, and CURVE (it is built with
  // libsodium); it has no pgm, epgm, norm, tipc, vmci, ws/wss or gssapi, and no draft API
  // (draft socket types). "tcp" and "inproc" are not capabilities in libzmq either.
  if (capability == nullptr) return 0;
  return std::strcmp(capability, "ipc") == 0 || std::strcmp(capability, "curve") == 0 ? 1 : 0;
}

}  // extern "C"
