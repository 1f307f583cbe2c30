"""ringmq.Context: pyzmq's zmq.Context over ringmq::context."""

import atexit
import os
from threading import Lock
from typing import Any, Dict, Generic, List, Optional, Type, TypeVar
from warnings import warn
from weakref import WeakSet, WeakValueDictionary

from ringmq import _core
from ringmq._options import OptionAttributes, OptionValue
from ringmq.constants import EFAULT, EINVAL, ENOTSUP, LINGER, ContextOption, SocketOption
from ringmq.error import ZMQError
from ringmq.socket import Socket, _live

# Every open Context by its `underlying` address, for Context.shadow(address).
_contexts: "WeakValueDictionary[int, Any]" = WeakValueDictionary()

_exiting = False


def _notice_atexit() -> None:
    global _exiting
    _exiting = True


atexit.register(_notice_atexit)

T = TypeVar("T", bound="Context")
ST = TypeVar("ST", bound=Socket, covariant=True)


class Context(_core.Context, OptionAttributes, Generic[ST]):
    """Creates sockets: ``ctx.socket(ringmq.REQ)``; a context manager that destroys itself.

    Socket options set on a context (``ctx.linger = 0``, ``ctx.setsockopt(...)``) are applied
    to the sockets it creates afterwards; options a socket type does not take are skipped.
    """

    sockopts: Dict[int, Any]
    _instance: Any = None
    _instance_lock = Lock()
    _instance_pid: Optional[int] = None
    _sockets: "WeakSet[Any]"
    _socket_class: Type[Any] = Socket
    _option_tables = (ContextOption, SocketOption)

    def __new__(cls, *args: Any, **kwargs: Any) -> "Context[Any]":
        # The C++ part is made here, closed, by a constructor that cannot fail, so that the
        # object is valid whatever __init__ (ours or a subclass's) raises: __del__ and every
        # method see a closed context instead of uninitialized memory (objects.hpp).
        self = super().__new__(cls)
        _core.Context.__init__(self)
        self.__dict__["sockopts"] = {}
        self.__dict__["_sockets"] = WeakSet()
        return self

    def __init__(self, io_threads: int = 1, shadow: Any = 0, **kwargs: Any) -> None:
        if shadow:
            _core.Context._shadow(self, _live(_contexts, shadow, "context"))
            self.__dict__["_shadow"] = True
        else:
            self._open(io_threads)
        _contexts.setdefault(self.underlying, self)

    # A shadow (Context.shadow, copy.copy) is another handle on a context that some other
    # Context object owns: it creates sockets there and term() terminates it, but dropping
    # the shadow leaves it alone (pyzmq's shadows).
    _shadow = False

    @classmethod
    def shadow(cls: Type[T], address: Any) -> T:
        """A new `cls` using the context at `address` (another Context's `underlying`)."""
        return cls(shadow=address)

    def __copy__(self: T, memo: Any = None) -> T:
        """A copy is a shadow of the same context, as in pyzmq."""
        return type(self).shadow(self.underlying)

    __deepcopy__ = __copy__

    def __del__(self) -> None:
        if not self.closed and not _exiting and not self._shadow:
            self.destroy()

    # What repr() calls this exact class (not inherited): the name programs use for it, since
    # this package is pyzmq's API, imported as zmq. Subclasses say module.Name, as pyzmq's do.
    _repr_cls = "zmq.Context"

    def __repr__(self) -> str:
        cls = type(self)
        name = cls.__dict__.get("_repr_cls") or f"{cls.__module__}.{cls.__name__}"
        n = len(self.__dict__.get("_sockets") or ())
        sockets = f"{n} socket{'s' if n != 1 else ''}" if n else ""
        closed = " closed" if self.closed else ""
        return f"<{name}({sockets}) at {hex(id(self))}{closed}>"

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *args: Any) -> None:
        self._destroy(linger=None, warn_open=True)

    def __dir__(self) -> List[str]:
        return sorted(set(dir(type(self))) | set(ContextOption.__members__))

    @classmethod
    def instance(cls: Type[T], io_threads: int = 1) -> T:
        """The process-wide context (a new one after fork or after it was closed)."""
        inst = cls._instance
        if inst is None or cls._instance_pid != os.getpid() or inst.closed:
            with cls._instance_lock:
                inst = cls._instance
                if inst is None or cls._instance_pid != os.getpid() or inst.closed:
                    inst = cls(io_threads=io_threads)
                    cls._instance = inst
                    cls._instance_pid = os.getpid()
        return inst  # type: ignore[no-any-return]

    def socket(self, socket_type: int, **kwargs: Any) -> ST:
        """A new socket of `socket_type` (PUSH, PULL, PUB, SUB, REQ, REP, DEALER, ROUTER, PAIR,
        XPUB, XSUB, STREAM)."""
        if self.closed:
            if self._shadow and not self.__dict__.get("_terminated_here"):
                # libzmq's answer for a context handle that another owner terminated.
                raise ZMQError(EFAULT, "the shadowed context was terminated")
            raise ZMQError(ENOTSUP, "context is closed")
        s = self._socket_class(self, socket_type, **kwargs)
        for opt, value in self.sockopts.items():
            try:
                s.setsockopt(opt, value)
            except ZMQError:
                pass  # an option this socket type does not take (SUBSCRIBE on PUSH, ...)
        self._sockets.add(s)
        return s  # type: ignore[no-any-return]

    def _rm_socket(self, socket: Any) -> None:
        sockets = self.__dict__.get("_sockets")
        if sockets is not None:
            sockets.discard(socket)

    def term(self) -> None:
        """Terminates the context: blocking calls on its sockets raise ContextTerminated
        (later calls too, except close), authenticators stop, and queued messages get up to
        their socket's LINGER to leave. Unlike libzmq this does not wait for open sockets to
        be closed."""
        self.__dict__["_terminated_here"] = True
        super().term()

    def destroy(self, linger: Optional[int] = None) -> None:
        """Closes every socket of this context (setting LINGER first if `linger` is given),
        then terminates it. Like pyzmq's, not safe while other threads use the sockets."""
        self._destroy(linger, warn_open=False)

    def _destroy(self, linger: Optional[int], warn_open: bool) -> None:
        # warn_open: leaving a `with Context()` block with sockets still open is a leak that
        # pyzmq reports (ResourceWarning per socket) before closing them.
        if self.closed:
            return
        for s in list(self.__dict__.get("_sockets") or ()):
            if s is None or s.closed:
                continue
            if warn_open and warn is not None:
                warn(f"Destroying context with unclosed socket {s!r}", ResourceWarning, stacklevel=3, source=s)
            try:
                if linger is not None:
                    s.setsockopt(LINGER, linger)
                s.close()
            except ZMQError:
                pass  # blocked in another thread: term() below wakes it with ContextTerminated
        self.term()

    # ---- socket defaults --------------------------------------------------------------------

    def setsockopt(self, opt: int, value: Any) -> None:
        """Sets a default option for sockets created afterwards."""
        self.sockopts[opt] = value

    def getsockopt(self, opt: int) -> OptionValue:
        """A default option set with setsockopt."""
        return self.sockopts[opt]  # type: ignore[no-any-return]

    def _set_option_attr(self, name: str, opt: int, value: OptionValue) -> None:
        if name in ContextOption.__members__:
            self.set(opt, value)  # type: ignore[arg-type]
        elif name in SocketOption.__members__:
            self.sockopts[opt] = value
        else:
            raise AttributeError(f"No such context or socket option: {name}")

    def _get_option_attr(self, name: str, opt: int) -> OptionValue:
        if name in ContextOption.__members__:
            try:
                return self.get(opt)  # type: ignore[no-any-return]
            except ZMQError as e:
                # An option ringmq does not have (MSG_T_SIZE) is a missing attribute, as in
                # pyzmq, so that hasattr() and mock.Mock(spec=ctx) work.
                if e.errno == EINVAL:
                    raise AttributeError(f"context option {name} cannot be read: {e}") from None
                raise
        if opt not in self.sockopts:
            raise AttributeError(name)
        return self.sockopts[opt]  # type: ignore[no-any-return]

    def __delattr__(self, key: str) -> None:
        opt = getattr(SocketOption, key.upper(), None)
        if opt is None or opt not in self.sockopts:
            raise AttributeError(key)
        del self.sockopts[opt]


__all__ = ["Context"]
