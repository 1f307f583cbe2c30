"""pyzmq's zmq.eventloop.ioloop (deprecated there since pyzmq 17): tornado's IOLoop under
the names old programs import.

ZMQIOLoop is tornado's default IOLoop class (AsyncIOLoop with tornado 6); its instance() and
current() make it tornado's configured class, as pyzmq's do, and return tornado's loops.
Constructing one or calling those warns (DeprecationWarning) once, as pyzmq.
"""

import warnings
from typing import Any, Callable, Optional

from tornado import ioloop
from tornado.log import gen_log

PeriodicCallback = ioloop.PeriodicCallback

_warned = False


def _deprecated() -> None:
    global _warned
    if _warned:
        return
    _warned = True
    warnings.warn("zmq.eventloop.ioloop is deprecated in pyzmq 17: ringmq sockets work with tornado's and "
                  "asyncio's own event loops", DeprecationWarning, stacklevel=3)


def _default_loop_class() -> Any:
    # tornado's IOLoop is a Configurable: follow configurable_default() to the class it makes.
    cls = ioloop.IOLoop
    while cls.configurable_default() is not cls:
        cls = cls.configurable_default()
    return cls


class ZMQIOLoop(_default_loop_class()):  # type: ignore[misc]
    """tornado's default IOLoop, under pyzmq's deprecated name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # tornado's Configurable passes the arguments to initialize(), not here.
        _deprecated()
        super().__init__()

    @classmethod
    def instance(cls, *args: Any, **kwargs: Any) -> Any:
        """tornado's IOLoop.instance() (the main thread's loop), with ZMQIOLoop configured."""
        ioloop.IOLoop.configure(cls)
        _deprecated()
        return ioloop.IOLoop.instance(*args, **kwargs)

    @classmethod
    def current(cls, *args: Any, **kwargs: Any) -> Any:
        """tornado's IOLoop.current(), with ZMQIOLoop configured."""
        ioloop.IOLoop.configure(cls)
        _deprecated()
        return ioloop.IOLoop.current(*args, **kwargs)


IOLoop = ZMQIOLoop


def install() -> None:
    """Makes ZMQIOLoop tornado's configured IOLoop class (deprecated, as in pyzmq)."""
    _deprecated()
    ioloop.IOLoop.configure(ZMQIOLoop)


class DelayedCallback(PeriodicCallback):  # type: ignore[misc]
    """Calls `callback` once, `callback_time` ms after start() (deprecated in pyzmq: use
    loop.call_later)."""

    def __init__(self, callback: Callable[[], Any], callback_time: float, io_loop: Optional[Any] = None) -> None:
        warnings.warn("DelayedCallback is deprecated: use loop.call_later", DeprecationWarning, stacklevel=2)
        super().__init__(callback, max(callback_time, 1e-3))
        self._handle: Any = None

    def start(self) -> None:
        self._running = True
        self.io_loop = ioloop.IOLoop.current()
        self._handle = self.io_loop.call_at(self.io_loop.time() + self.callback_time / 1000.0, self._run_once)

    def stop(self) -> None:
        self._running = False
        if self._handle is not None:
            self.io_loop.remove_timeout(self._handle)
            self._handle = None

    def _run_once(self) -> None:
        if not self._running:
            return
        self._running = False
        self._handle = None
        try:
            self.callback()
        except Exception:  # as PeriodicCallback: logged, the loop goes on
            gen_log.error("Error in delayed callback", exc_info=True)


__all__ = ["IOLoop", "ZMQIOLoop", "PeriodicCallback", "DelayedCallback", "install"]
