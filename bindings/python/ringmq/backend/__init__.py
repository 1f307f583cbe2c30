"""pyzmq's zmq.backend: the low-level names (pyzmq's `public_api` of its Cython backend).

ringmq has one backend, its C++ extension; these are the objects pyzmq's backend offers
under those names. zmq_poll is ringmq's poll over (socket or fd, flags) pairs, timeout in ms.
"""

from ringmq import (
    IPC_PATH_MAX_LEN,
    Context,
    Frame,
    Message,
    Socket,
    curve_keypair,
    curve_public,
    device,
    has,
    proxy,
    proxy_steerable,
    strerror,
    zmq_errno,
    zmq_version_info,
)
from ringmq._core import poll as zmq_poll

__all__ = ["Context", "Socket", "Frame", "Message", "device", "proxy", "proxy_steerable", "zmq_poll", "strerror",
           "zmq_errno", "has", "curve_keypair", "curve_public", "zmq_version_info", "IPC_PATH_MAX_LEN"]
