"""zmq.proxy, zmq.proxy_steerable and zmq.device: the library's proxy loop (include/ringmq/
proxy.hpp), run with the GIL released. Each returns only by raising -- ContextTerminated when
the context is terminated, KeyboardInterrupt on Ctrl-C -- except proxy_steerable after a
TERMINATE command, which returns None."""

from typing import Optional

from ringmq import _core
from ringmq.socket import Socket


def proxy(frontend: Socket, backend: Socket, capture: Optional[Socket] = None) -> None:
    """Moves every message arriving on either socket to the other (copying each to `capture`
    if given) until the context is terminated, like zmq_proxy."""
    _core.proxy(frontend, backend, capture)


def proxy_steerable(frontend: Socket, backend: Socket, capture: Optional[Socket] = None,
                    control: Optional[Socket] = None) -> None:
    """proxy(), steered by commands on `control`: PAUSE, RESUME, TERMINATE (returns), and
    STATISTICS (replies with 8 64-bit counters), like zmq_proxy_steerable."""
    _core.proxy_steerable(frontend, backend, capture, control)


def device(device_type: int, frontend: Socket, backend: Socket) -> None:
    """zmq_device: proxy(frontend, backend) whatever the type (QUEUE, FORWARDER, STREAMER),
    as libzmq 3+ does."""
    del device_type  # the socket types say what moves where
    _core.proxy(frontend, backend, None)


__all__ = ["proxy", "proxy_steerable", "device"]
