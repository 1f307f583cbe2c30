"""pyzmq's zmq.eventloop.future: sockets whose calls return Futures for tornado coroutines.

With tornado 6, tornado's Future is asyncio's and its IOLoop runs on asyncio, so these are
ringmq.asyncio's classes under the names this module has in pyzmq (with a Context.instance()
of their own).
"""

import asyncio

from ringmq import asyncio as _asyncio
from ringmq.eventloop.ioloop import IOLoop as IOLoop  # noqa: F401 - pyzmq's module has it


# What awaiting a cancelled call raises (pyzmq defines its own class, for tornado < 5).
CancelledError = asyncio.CancelledError


class Socket(_asyncio.Socket):
    """A socket whose send/recv/poll return awaitable Futures (see ringmq.asyncio)."""


class Poller(_asyncio.Poller):
    """A Poller whose poll() returns an awaitable Future (see ringmq.asyncio)."""


class Context(_asyncio.Context):
    """A context whose sockets are ringmq.eventloop.future.Sockets."""

    _socket_class = Socket
    _instance = None


__all__ = ["Context", "Socket", "Poller", "CancelledError"]
