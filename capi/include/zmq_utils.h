/* zmq_utils.h: kept for programs that include it; everything it once declared is in zmq.h
 * (as in libzmq 4.3). */
#ifndef RINGMQ_CAPI_ZMQ_UTILS_H
#define RINGMQ_CAPI_ZMQ_UTILS_H
#include <zmq.h>
#endif
