"""ringmq.Socket: pyzmq's zmq.Socket over ringmq.

The message calls (send, recv, send_multipart, recv_multipart, poll) are the extension's own
methods, with no Python layer in between; this class adds pyzmq's conveniences: options as
attributes, bind/connect context managers, string/JSON/pickle helpers, the monitor helper.
"""

import json
import pickle
import random
from typing import Any, Callable, Dict, Generic, List, Optional, Sequence, Type, TypeVar, Union, cast
from warnings import warn
from weakref import WeakValueDictionary

from ringmq import _core
from ringmq._options import OptionAttributes
from ringmq.constants import (
    EADDRINUSE,
    EFAULT,
    EINVAL,
    EVENT_ALL,
    FD,
    IPC_PATH_MAX_LEN,
    PAIR,
    POLLIN,
    RCVHWM,
    RCVMORE,
    SNDHWM,
    SUBSCRIBE,
    TYPE,
    UNSUBSCRIBE,
    SocketOption,
    SocketType,
    is_bytes_option,
)
from ringmq.error import ZMQBindError, ZMQError

T = TypeVar("T", bound="Socket")
ST = TypeVar("ST")


class _SocketContext(Generic[T]):
    """What bind/connect return: a context manager that unbinds/disconnects on exit."""

    def __init__(self, socket: T, kind: str, addr: str) -> None:
        self.socket = socket
        self.kind = kind
        self.addr = addr

    def __repr__(self) -> str:
        return f"<SocketContext({self.kind}={self.addr!r})>"

    def __enter__(self) -> T:
        return self.socket

    def __exit__(self, *args: Any) -> None:
        if self.socket.closed:
            return
        if self.kind == "bind":
            self.socket.unbind(self.addr)
        else:
            self.socket.disconnect(self.addr)


# Every open Socket by its `underlying` address, for Socket.shadow(address).
_sockets: "WeakValueDictionary[int, Any]" = WeakValueDictionary()


def _live(table: "WeakValueDictionary[int, Any]", address: Any, what: str) -> Any:
    """The open object at `address` (an int, or an object with `underlying`) in `table`.
    Unlike libzmq's handles these are not raw pointers: an address that names no live
    ringmq object is ZMQError(EFAULT), not a crash."""
    key = getattr(address, "underlying", address)
    found = table.get(key) if isinstance(key, int) else None
    if found is None or found.closed:
        raise ZMQError(EFAULT, f"no open ringmq {what} at address {address!r}")
    return found


def _explain_ipc_path(e: ZMQError, addr: str) -> None:
    """Says why an ipc endpoint was refused when its path is too long, as pyzmq does (the
    message names the limit)."""
    if e.errno == EINVAL and addr.startswith("ipc://") and len(addr) - len("ipc://") > IPC_PATH_MAX_LEN:
        e.strerror = (f"{e.strerror} (ipc path {addr[len('ipc://'):]!r} is longer than {IPC_PATH_MAX_LEN} "
                      "characters, sizeof(sockaddr_un.sun_path) less its NUL)")


class Socket(_core.Socket, OptionAttributes, Generic[ST]):
    """A messaging socket: ``ctx.socket(ringmq.PUSH)``.

    Not thread-safe, as in libzmq: one thread at a time. Blocking calls release the GIL and
    can be interrupted with Ctrl-C.
    """

    _monitor_socket: Any = None
    _type_name = "UNKNOWN"
    type: Any

    def __new__(cls, *args: Any, **kwargs: Any) -> "Socket[Any]":
        # The C++ part is made here, closed, by a constructor that cannot fail: whatever
        # __init__ raises, the object stays valid (a closed socket; see objects.hpp).
        self = super().__new__(cls)
        _core.Socket.__init__(self)
        return self

    def __init__(self, context: Any = None, socket_type: int = -1, *, shadow: Any = 0,
                 copy_threshold: Optional[int] = None) -> None:
        if shadow:
            _core.Socket._shadow(self, _live(_sockets, shadow, "socket"))
            self.__dict__["_shadow"] = True
            socket_type = self.get(TYPE)
        else:
            if context is None:
                from ringmq.context import Context

                context = Context.instance()
            self._open(context, socket_type)
        _sockets.setdefault(self.underlying, self)
        try:
            stype: Any = SocketType(socket_type)
            self.__dict__["_type_name"] = stype.name
        except ValueError:
            stype = int(socket_type)
        self.__dict__["type"] = stype
        if copy_threshold is not None:
            try:
                self.copy_threshold = copy_threshold
            except BaseException:
                self.close(linger=0)  # the caller never gets this socket: do not leak it
                raise

    # A shadow (Socket.shadow, copy.copy) is another handle on a socket that some other Socket
    # object owns: it sends, receives and can close it, but dropping it leaves the socket
    # open (pyzmq's shadows). Options and the busy count are shared.
    _shadow = False

    @classmethod
    def shadow(cls: Type[T], address: Any) -> T:
        """A new `cls` using the socket at `address` (another Socket's `underlying`)."""
        return cls(shadow=address)

    def __copy__(self: T, memo: Any = None) -> T:
        """A copy is a shadow of the same socket, as in pyzmq."""
        return type(self).shadow(self.underlying)

    __deepcopy__ = __copy__

    def __del__(self) -> None:
        if self.closed or self._shadow:
            return
        if warn is not None:
            warn(f"Unclosed socket {self!r}", ResourceWarning, stacklevel=2, source=self)
        try:
            self.close()
        except Exception:  # another thread is blocked in it: leave it to that thread
            pass

    # What repr() calls this exact class (not inherited), as pyzmq: the package is pyzmq's
    # API, imported as zmq; subclasses say module.Name. Types read zmq.PUSH, as in pyzmq.
    _repr_cls = "zmq.Socket"

    def __repr__(self) -> str:
        cls = type(self)
        name = cls.__dict__.get("_repr_cls") or f"{cls.__module__}.{cls.__name__}"
        closed = " closed" if self.closed else ""
        return f"<{name}(zmq.{self._type_name}) at {hex(id(self))}{closed}>"

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()

    def __dir__(self) -> List[str]:
        return sorted(set(dir(type(self))) | set(SocketOption.__members__))

    def close(self, linger: Optional[int] = None) -> None:
        """Closes the socket without waiting for delivery; unsent messages linger up to
        LINGER (or `linger` ms) in the background. A tcp or ipc bind is released before
        this returns (a brief wait for the I/O thread, at most 10 s)."""
        if self.closed:
            return
        ctx = self.context
        if ctx is not None and hasattr(ctx, "_rm_socket"):
            ctx._rm_socket(self)
        mon = self.__dict__.get("_monitor_socket")
        if mon is not None:
            mon.close()
        super().close(linger)

    # ---- endpoints --------------------------------------------------------------------------

    def bind(self: T, addr: str) -> _SocketContext[T]:  # type: ignore[override]
        """Binds to `addr` ("tcp://*:5555", "tcp://127.0.0.1:*", "ipc:///tmp/x", "inproc://x").
        Returns a context manager that unbinds on exit."""
        try:
            super().bind(addr)
        except ZMQError as e:
            _explain_ipc_path(e, addr)
            raise
        return _SocketContext(self, "bind", addr)

    def connect(self: T, addr: str) -> _SocketContext[T]:  # type: ignore[override]
        """Connects to `addr`; returns a context manager that disconnects on exit."""
        try:
            super().connect(addr)
        except ZMQError as e:
            _explain_ipc_path(e, addr)
            raise
        return _SocketContext(self, "connect", addr)

    def bind_to_random_port(
        self, addr: str, min_port: int = 49152, max_port: int = 65536, max_tries: int = 100
    ) -> int:
        """Binds to a free port of `addr` (without the port) and returns it. Without a range
        the kernel picks the port."""
        if min_port == 49152 and max_port == 65536:
            self.bind(f"{addr}:*")
            return int(cast(bytes, self.get(SocketOption.LAST_ENDPOINT)).decode().rsplit(":", 1)[1])
        for _ in range(max_tries):
            port = random.randrange(min_port, max_port)
            try:
                self.bind(f"{addr}:{port}")
            except ZMQError as e:
                if e.errno == EADDRINUSE:
                    continue
                raise
            return port
        raise ZMQBindError("Could not bind socket to random port.")

    # ---- options ----------------------------------------------------------------------------

    setsockopt = _core.Socket.set
    getsockopt = _core.Socket.get

    def __setattr__(self, key: str, value: Any) -> None:
        lower = key.lower()
        if lower in ("subscribe", "unsubscribe") and key not in self.__dict__:
            if isinstance(value, str):
                value = value.encode("utf8")
            self.set(SUBSCRIBE if lower == "subscribe" else UNSUBSCRIBE, value)
            return
        super().__setattr__(key, value)

    def _set_option_attr(self, name: str, number: int, value: Any) -> None:
        self.set(number, value)

    def _get_option_attr(self, name: str, number: int) -> Any:
        try:
            return self.get(number)
        except ZMQError as e:
            # An option this socket cannot read (write-only, or not implemented) is a missing
            # attribute, so that hasattr() and getattr(s, name, default) work.
            if e.errno == EINVAL:
                raise AttributeError(f"socket option {name} cannot be read: {e}") from None
            raise

    def fileno(self) -> int:
        """The socket's file descriptor: readable while a message can be received or the
        socket's state changed (level-triggered; see `events`)."""
        return cast(int, self.get(FD))

    def subscribe(self, topic: Union[str, bytes]) -> None:
        """SUB: receive messages starting with `topic`."""
        if isinstance(topic, str):
            topic = topic.encode("utf8")
        self.set(SUBSCRIBE, topic)

    def unsubscribe(self, topic: Union[str, bytes]) -> None:
        """SUB: stop receiving `topic`."""
        if isinstance(topic, str):
            topic = topic.encode("utf8")
        self.set(UNSUBSCRIBE, topic)

    def set_string(self, option: int, optval: str, encoding: str = "utf-8") -> None:
        """Sets a bytes option from a str."""
        if not isinstance(optval, str):
            raise TypeError(f"strings only, not {type(optval)}: {optval!r}")
        self.set(option, optval.encode(encoding))

    setsockopt_unicode = setsockopt_string = set_string

    def get_string(self, option: int, encoding: str = "utf-8") -> str:
        """Reads a bytes option as a str."""
        if not is_bytes_option(option):
            raise TypeError(f"option {option} will not return a string to be decoded")
        return cast(bytes, self.get(option)).decode(encoding)

    getsockopt_unicode = getsockopt_string = get_string

    @property
    def hwm(self) -> int:
        """SNDHWM (setting it sets SNDHWM and RCVHWM)."""
        return cast(int, self.get(SNDHWM))

    @hwm.setter
    def hwm(self, value: int) -> None:
        self.set(SNDHWM, value)
        self.set(RCVHWM, value)

    def get_hwm(self) -> int:
        return self.hwm

    def set_hwm(self, value: int) -> None:
        self.hwm = value

    @property
    def socket_type(self) -> int:
        return cast(int, self.get(TYPE))

    @property
    def rcvmore(self) -> bool:
        """Whether more parts of the last received message follow."""
        return bool(self.get(RCVMORE))

    # ---- typed send and receive --------------------------------------------------------------

    def _deserialize(self, recvd: Any, load: Callable[[Any], Any]) -> Any:
        """Applies `load` to what a recv call returned (ringmq.asyncio chains it instead)."""
        return load(recvd)

    def send_string(self, u: str, flags: int = 0, copy: bool = True, encoding: str = "utf-8", **kwargs: Any) -> Any:
        """Sends a str, encoded."""
        if not isinstance(u, str):
            raise TypeError("str objects only")
        return self.send(u.encode(encoding), flags, copy, **kwargs)

    send_unicode = send_string

    def recv_string(self, flags: int = 0, encoding: str = "utf-8") -> Any:
        """Receives a str sent with send_string."""
        return self._deserialize(self.recv(flags), lambda buf: buf.decode(encoding))

    recv_unicode = recv_string

    def send_pyobj(self, obj: Any, flags: int = 0, protocol: int = pickle.DEFAULT_PROTOCOL, **kwargs: Any) -> Any:
        """Sends a pickled object (only ever unpickle data from peers you trust)."""
        return self.send(pickle.dumps(obj, protocol), flags, **kwargs)

    def recv_pyobj(self, flags: int = 0) -> Any:
        """Receives an object sent with send_pyobj."""
        return self._deserialize(self.recv(flags), pickle.loads)

    def send_json(self, obj: Any, flags: int = 0, **kwargs: Any) -> Any:
        """Sends `obj` as JSON; keyword arguments go to json.dumps."""
        return self.send(json.dumps(obj, **kwargs).encode("utf8"), flags)

    def recv_json(self, flags: int = 0, **kwargs: Any) -> Any:
        """Receives JSON; keyword arguments go to json.loads."""
        return self._deserialize(self.recv(flags), lambda buf: json.loads(buf, **kwargs))

    def send_serialized(self, msg: Any, serialize: Callable[[Any], Sequence[Any]], flags: int = 0,
                        copy: bool = True, **kwargs: Any) -> Any:
        """Sends the frames `serialize(msg)` returns."""
        return self.send_multipart(serialize(msg), flags, copy, **kwargs)

    def recv_serialized(self, deserialize: Callable[[List[Any]], Any], flags: int = 0, copy: bool = True) -> Any:
        """Returns `deserialize(frames)` of the next multipart message."""
        return self._deserialize(self.recv_multipart(flags, copy), deserialize)

    # ---- monitor ----------------------------------------------------------------------------

    def get_monitor_socket(self, events: Optional[int] = None, addr: Optional[str] = None) -> Any:
        """A socket-like object delivering this socket's connection events.

        Use ``ringmq.utils.monitor.recv_monitor_message(mon)`` (a dict: event, value, endpoint,
        and ringmq's peer_address and dropped_before), ``mon.recv_event()``, iterate over it, or
        ``mon.recv_multipart()`` for libzmq's two-frame encoding. It works with Poller. `addr`
        is accepted for compatibility and ignored: no inproc socket is involved.
        """
        mon = self.__dict__.get("_monitor_socket")
        if mon is not None and not mon.closed:
            return mon
        pair = self.__dict__.pop("_pair_monitor", None)
        if pair is not None:  # one monitor per socket: this one replaces monitor(addr)'s
            pair.stop()
        mon = self._make_monitor_socket(self._monitor(EVENT_ALL if events is None else events))
        self.__dict__["_monitor_socket"] = mon
        return mon

    def _make_monitor_socket(self, monitor: Any) -> Any:
        from ringmq.monitor import MonitorSocket

        return MonitorSocket(monitor, self.context)

    def disable_monitor(self) -> None:
        """Stops this socket's monitor. A get_monitor_socket() reader stays readable until it
        has given the queued events and then MONITOR_STOPPED (as pyzmq's PAIR does); a
        monitor(addr) PAIR gets MONITOR_STOPPED, then closes."""
        mon = self.__dict__.pop("_monitor_socket", None)
        if mon is not None and not mon.closed:
            mon.stop()
        pair = self.__dict__.pop("_pair_monitor", None)
        if pair is not None:
            pair.stop()

    def monitor(self, addr: Optional[str], events: int = EVENT_ALL) -> None:
        """libzmq's zmq_socket_monitor: publishes this socket's `events` on a PAIR socket
        bound to `addr` (inproc://...) in this socket's context, each event as two frames
        (ringmq.utils.monitor.parse_monitor_message reads them); connect a PAIR to `addr` to
        read them. Replaces an earlier monitor; monitor(None) stops it (disable_monitor)."""
        self.disable_monitor()
        if addr is None:
            return
        from ringmq.monitor import PairMonitor

        # A plain (blocking) socket whatever the context's socket class: only the monitor's
        # thread uses it, outside any event loop.
        pair = Socket(self.context, PAIR)
        try:
            pair.bind(addr)
        except BaseException:
            pair.close(linger=0)
            raise
        self.__dict__["_pair_monitor"] = PairMonitor(self._monitor(events), pair)


__all__ = ["Socket"]
