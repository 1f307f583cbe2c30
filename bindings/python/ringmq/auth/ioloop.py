"""IOLoopAuthenticator (pyzmq's zmq.auth.ioloop): the same handler as the others, which
never needs the tornado IOLoop since it answers on a thread of its own; the loop given (or
current) is kept as `io_loop`, as pyzmq's has it."""

from typing import Any, Optional

from ringmq.auth.base import Authenticator


class IOLoopAuthenticator(Authenticator):
    """ZAP authentication for tornado programs."""

    def __init__(self, context: Any = None, encoding: str = "utf-8", log: Any = None,
                 io_loop: Optional[Any] = None) -> None:
        super().__init__(context, encoding, log)
        if io_loop is None:
            from tornado.ioloop import IOLoop

            io_loop = IOLoop.current()
        self.io_loop = io_loop


__all__ = ["IOLoopAuthenticator"]
