"""asyncio support (pyzmq's zmq.asyncio): sockets whose send, recv, send_multipart,
recv_multipart and poll return awaitable asyncio Futures.

How it waits: each socket has a file descriptor that is readable while a message can be
received or the socket's state changed (level-triggered, unlike libzmq's edge-triggered
ZMQ_FD, whose missed edges are a classic source of hangs: pyzmq#1203, #1925). A call first
tries without blocking; only if that would block does it queue a Future and watch the fd
with loop.add_reader. The reader callback completes queued Futures in order, each with a
non-blocking call, so nothing is taken from the socket for a Future that is already done.

Cancellation is safe: a pending Future that is cancelled never receives a message, and if
the task awaiting a recv is cancelled after its message arrived but before it resumed, the
message goes back to the socket's queue of unread messages, which the next recv returns
first. RCVTIMEO and SNDTIMEO apply (the Future fails with Again).

Fairness: awaiting a Future that is already done does not yield to the event loop, so a
task whose socket is always ready would starve every other task. poll() (Socket and Poller,
unless timeout=0) always answers through the loop, as pyzmq's does. recv and send complete
at once (as pyzmq's do) _EAGER_LIMIT times in a row per socket, and the next one waits for
the next loop iteration. DONTWAIT calls always answer at once.

Event loops: a socket follows the loop it is used from. When that changes (asyncio.run
twice, say) its reader moves to the new loop, and waiters left by a closed loop are dropped:
nothing was taken from the socket for them, and their loop can no longer run them.
"""

import asyncio
import warnings
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

import ringmq
from ringmq._int_constants import DONTWAIT, EVENTS, FD, POLLIN, POLLOUT, RCVMORE, RCVTIMEO, SNDTIMEO
from ringmq.error import Again
from ringmq.monitor import MonitorEvent, MonitorSocket


# How many recv/send calls on one socket in a row may complete at once, without going through
# the event loop (see the module docstring). Counted whether or not the caller yielded in
# between: asyncio has no cheap way to tell, and a call_soon per message to find out cost a
# third of the throughput. Other tasks get a turn at least every 65 messages; the count and the
# loop iteration every _EAGER_LIMIT messages cost 0.1-0.25 us per message (1.35 -> 1.5-1.6 us
# on a pre-filled inproc socket; pyzmq's asyncio takes 2.5 us to send, 13 us to receive).
_EAGER_LIMIT = 64


def _current_loop() -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.get_event_loop()


def _done_future(loop: asyncio.AbstractEventLoop, result: Any = None, exc: Optional[BaseException] = None) -> "asyncio.Future[Any]":
    f = loop.create_future()
    if exc is not None:
        f.set_exception(exc)
    else:
        f.set_result(result)
    return f


class _RecvFuture(asyncio.Future):  # type: ignore[type-arg]
    """A receive result that goes back to its socket if the task awaiting it is cancelled
    after the result was set (Task.cancel cannot cancel a done Future; the task then gets
    CancelledError and the result would be lost)."""

    _socket: Any = None
    _frames: Optional[List[Tuple[Any, bool]]] = None  # (part, more) to give back; None: none

    def __await__(self) -> Any:
        try:
            return (yield from super().__await__())
        except asyncio.CancelledError:
            self._give_back()
            raise

    __iter__ = __await__

    def _give_back(self) -> None:
        frames, self._frames = self._frames, None
        sock = self._socket
        if frames and sock is not None and not sock.closed:
            sock._unread.extendleft(reversed(frames))
            if sock._recv_waiters or sock._poll_waiters:
                # Nothing new may come through the fd: serve the waiters from the unread queue.
                self.get_loop().call_soon(sock._serve_soon_callback)


def _frames_of(kind: str, result: Any, more: bool) -> List[Tuple[Any, bool]]:
    if kind == "recv":
        return [(result, more)]
    return [(part, i + 1 < len(result)) for i, part in enumerate(result)]


class Socket(ringmq.Socket):
    """A socket whose message calls return asyncio Futures. Use it from one event loop."""

    _loop: Optional[asyncio.AbstractEventLoop] = None

    def __init__(self, context: Any = None, socket_type: int = -1, io_loop: Any = None, **kwargs: Any) -> None:
        super().__init__(context, socket_type, **kwargs)
        d = self.__dict__
        d["_recv_waiters"] = deque()  # (future, kind, copy)
        d["_send_waiters"] = deque()  # (future, kind, data, flags, copy, track)
        d["_poll_waiters"] = []  # (future, flags)
        d["_unread"] = deque()  # (part, more) given back by cancelled receivers
        d["_fd"] = self.get(FD)
        d["_watching"] = False
        d["_idle"] = False
        d["_eager"] = 0  # calls in a row that completed at once, without going through the loop

    @classmethod
    def from_socket(cls, socket: Any, io_loop: Any = None) -> "Socket":
        """An asyncio shadow of a blocking `socket` (pyzmq's from_socket): same socket, Future
        API. Use one of the two at a time."""
        return cls(shadow=socket.underlying, io_loop=io_loop)

    # ---- event loop plumbing ----------------------------------------------------------------

    def _get_loop(self) -> asyncio.AbstractEventLoop:
        try:  # _current_loop(), inline: this is on every call's path
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = asyncio.get_event_loop()
        if self._loop is not loop:
            self._move_to(loop)
        return loop

    def _move_to(self, loop: asyncio.AbstractEventLoop) -> None:
        """Ties the per-loop state (the fd's reader, the waiters, the eager count) to `loop`."""
        d = self.__dict__
        old = self._loop
        if d["_watching"]:
            d["_watching"] = False
            if old is not None and not old.is_closed():
                old.remove_reader(self._fd)
        d["_idle"] = False
        d["_eager"] = 0
        d["_loop"] = loop

        def alive(waiter: Tuple[Any, ...]) -> bool:
            future = waiter[0]
            return not future.done() and not future.get_loop().is_closed()

        d["_recv_waiters"] = deque(w for w in d["_recv_waiters"] if alive(w))
        d["_send_waiters"] = deque(w for w in d["_send_waiters"] if alive(w))
        d["_poll_waiters"] = [w for w in d["_poll_waiters"] if alive(w)]
        if self._recv_waiters or self._send_waiters or self._poll_waiters:
            self._wait_for_fd()  # waiters of another open loop: serve them from this one

    def _watch(self) -> None:
        self.__dict__["_idle"] = False
        if not self._watching:
            assert self._loop is not None
            self._loop.add_reader(self._fd, self._handle_events)
            self.__dict__["_watching"] = True

    def _unwatch(self) -> None:
        if self._watching:
            self.__dict__["_watching"] = False
            loop = self._loop
            if loop is not None and not loop.is_closed():
                loop.remove_reader(self._fd)

    def _add_timeout(self, future: "asyncio.Future[Any]", timeout_ms: int) -> None:
        if timeout_ms < 0:
            return
        assert self._loop is not None

        def expire() -> None:
            if not future.done():
                future.set_exception(Again())

        handle = self._loop.call_later(timeout_ms / 1000.0, expire)
        future.add_done_callback(lambda _: handle.cancel())

    def _handle_events(self) -> None:
        """Reader callback: the fd says the socket may have something for the waiters."""
        if self.closed:
            self._unwatch()
            return
        if self._serve():
            self._wait_for_fd()
            return
        # Stay registered for one more wake-up: a recv loop re-arms before the next message,
        # saving two epoll_ctl calls per message. An idle wake-up unregisters.
        if self._idle:
            self._unwatch()
        self.__dict__["_idle"] = True

    def _serve_soon_callback(self) -> None:
        """call_soon callback for waiters queued while the socket was ready (answered through
        the loop for fairness, or given back messages): serves them, then waits for the fd
        for any left."""
        if not self.closed and self._serve():
            self._wait_for_fd()

    def _serve(self) -> bool:
        """Completes what the waiters can have now; True if some are left waiting."""
        self._serve_recvs()
        self._serve_sends()
        self._serve_polls()
        return bool(self._recv_waiters or self._send_waiters or self._poll_waiters)

    def _wait_for_fd(self) -> None:
        self._watch()
        if not self._recv_waiters and not any(flags & POLLIN for _, flags in self._poll_waiters):
            # Only waiting to send: stop the fd from signalling queued input, or we would spin.
            self._poll_out_only()

    def _serve_recvs(self) -> None:
        waiters = self._recv_waiters
        while waiters:
            future, kind, copy = waiters[0]
            if future.done():
                waiters.popleft()
                continue
            try:
                result = self._take(kind, copy, nowait=True)
            except Exception as e:
                waiters.popleft()
                future.set_exception(e)
                continue
            if result is None:
                return
            waiters.popleft()
            more = kind == "recv" and bool(self.get(RCVMORE))
            future._frames = _frames_of(kind, result, more)
            future.set_result(result)

    def _serve_sends(self) -> None:
        waiters = self._send_waiters
        while waiters:
            future, kind, data, flags, copy, track = waiters[0]
            if future.done():
                waiters.popleft()
                continue
            try:
                sent = self._try_send(data, flags, copy, track) if kind == "send" else self._try_send_multipart(data, copy, track)
            except Exception as e:
                waiters.popleft()
                future.set_exception(e)
                continue
            if sent is None:
                return
            waiters.popleft()
            future.set_result(None if sent is True else sent)

    def _serve_polls(self) -> None:
        if not self._poll_waiters:
            return
        events = self.get(EVENTS)
        if self._unread:
            events |= POLLIN
        still = []
        for future, flags in self._poll_waiters:
            if future.done():
                continue
            if events & flags:
                future.set_result(events & flags)
            else:
                still.append((future, flags))
        self.__dict__["_poll_waiters"] = still

    # ---- receiving --------------------------------------------------------------------------

    def _take(self, kind: str, copy: bool, nowait: bool) -> Any:
        """A message from the unread queue or the socket without blocking; None if none."""
        unread = self._unread
        if unread:
            return self._take_unread(kind, copy)
        return self._try_recv(copy) if kind == "recv" else self._try_recv_multipart(copy)

    def _take_unread(self, kind: str, copy: bool) -> Any:
        def convert(part: Any) -> Any:
            if copy:
                return part if isinstance(part, bytes) else part.bytes
            return ringmq.Frame(part) if isinstance(part, bytes) else part

        unread = self._unread
        if kind == "recv":
            return convert(unread.popleft()[0])
        parts = []
        more = True
        while unread and more:
            part, more = unread.popleft()
            parts.append(convert(part))
        while more:  # the rest of that message is still in the socket
            part = self._try_recv(copy)
            if part is None:
                break
            parts.append(part)
            more = bool(self.get(RCVMORE))
        return parts

    def _add_recv(self, kind: str, flags: int, copy: bool) -> "asyncio.Future[Any]":
        loop = self._get_loop()
        if self.closed:
            return _done_future(loop, exc=ringmq.ZMQError(ringmq.ENOTSOCK))
        d = self.__dict__
        queued = bool(d["_recv_waiters"])  # then this call waits its turn
        eager = d["_eager"]
        # Past _EAGER_LIMIT completions in a row, the call goes through the loop (DONTWAIT
        # calls never do).
        at_once = not queued and (eager < _EAGER_LIMIT or bool(flags & DONTWAIT))
        if at_once:
            try:
                result = self._take(kind, copy, nowait=True)
            except Exception as e:
                return _done_future(loop, exc=e)
            if result is not None:
                d["_eager"] = eager + 1
                return _done_future(loop, result)
        timeout = self.get(RCVTIMEO)
        if at_once and (flags & DONTWAIT or timeout == 0):
            return _done_future(loop, exc=Again())
        future = _RecvFuture(loop=loop)
        future._socket = self
        self._recv_waiters.append((future, kind, copy))
        d["_eager"] = 0  # this call goes through the loop
        self._add_timeout(future, timeout)
        if queued or at_once:
            self._watch()
        else:  # over _EAGER_LIMIT: served at the loop's next iteration
            loop.call_soon(self._serve_soon_callback)
        return future

    def recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> "asyncio.Future[Any]":  # type: ignore[override]
        """A Future of the next message part (bytes, or a Frame with copy=False)."""
        return self._add_recv("recv", flags, copy)

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False) -> "asyncio.Future[List[Any]]":  # type: ignore[override]
        """A Future of the next message's parts."""
        return self._add_recv("recv_multipart", flags, copy)

    def _deserialize(self, recvd: Any, load: Callable[[Any], Any]) -> "asyncio.Future[Any]":
        """Chains `load` onto a receive Future, keeping cancellation safe: a message whose
        consumer is gone goes back to the unread queue."""
        loop = self._get_loop()
        future = _RecvFuture(loop=loop)
        future._socket = self

        def chain(_: Any) -> None:
            frames = getattr(recvd, "_frames", None)
            if future.done():  # cancelled meanwhile: give the message back
                if frames and not recvd.cancelled():
                    recvd._give_back()
                return
            if recvd.cancelled():
                future.cancel()
                return
            exc = recvd.exception()
            if exc is not None:
                future.set_exception(exc)
                return
            if isinstance(recvd, _RecvFuture):
                future._frames, recvd._frames = recvd._frames, None
            else:
                future._frames = _frames_of("recv", recvd.result(), False)
            try:
                future.set_result(load(recvd.result()))
            except Exception as e:
                future._frames = None
                future.set_exception(e)

        def chain_cancel(_: Any) -> None:
            if future.cancelled() and not recvd.done():
                recvd.cancel()

        recvd.add_done_callback(chain)
        future.add_done_callback(chain_cancel)
        return future

    # ---- sending ----------------------------------------------------------------------------

    def _add_send(self, kind: str, data: Any, flags: int, copy: bool, track: bool) -> "asyncio.Future[Any]":
        loop = self._get_loop()
        if self.closed:
            return _done_future(loop, exc=ringmq.ZMQError(ringmq.ENOTSOCK))
        d = self.__dict__
        queued = bool(d["_send_waiters"])  # then this call waits its turn
        eager = d["_eager"]
        # Past _EAGER_LIMIT completions in a row, the call goes through the loop (DONTWAIT
        # calls never do).
        at_once = not queued and (eager < _EAGER_LIMIT or bool(flags & DONTWAIT))
        if at_once:
            try:
                sent = self._try_send(data, flags, copy, track) if kind == "send" else self._try_send_multipart(data, copy, track)
            except Exception as e:
                return _done_future(loop, exc=e)
            if sent is not None:
                d["_eager"] = eager + 1
                return _done_future(loop, None if sent is True else sent)
        timeout = self.get(SNDTIMEO)
        if at_once and (flags & DONTWAIT or timeout == 0):
            return _done_future(loop, exc=Again())
        future = loop.create_future()
        self._send_waiters.append((future, kind, data, flags, copy, track))
        d["_eager"] = 0  # this call goes through the loop
        self._add_timeout(future, timeout)
        if queued or at_once:
            self._watch()
        else:  # over _EAGER_LIMIT: served at the loop's next iteration
            loop.call_soon(self._serve_soon_callback)
        return future

    def send(self, data: Any, flags: int = 0, copy: bool = True, track: bool = False, **kwargs: Any) -> "asyncio.Future[Any]":  # type: ignore[override]
        """A Future that completes once the part is queued for sending."""
        return self._add_send("send", data, flags, copy, track)

    def send_multipart(self, msg_parts: Any, flags: int = 0, copy: bool = True, track: bool = False, **kwargs: Any) -> "asyncio.Future[Any]":  # type: ignore[override]
        """A Future that completes once the message is queued for sending."""
        return self._add_send("send_multipart", list(msg_parts), flags, copy, track)

    # ---- polling ----------------------------------------------------------------------------

    def poll(self, timeout: Optional[float] = None, flags: int = POLLIN) -> "asyncio.Future[int]":  # type: ignore[override]
        """A Future of the ready events among `flags`, or 0 after `timeout` ms."""
        loop = self._get_loop()
        if self.closed:
            return _done_future(loop, exc=ringmq.ZMQError(ringmq.ENOTSUP))
        events = self.get(EVENTS) | (POLLIN if self._unread else 0)
        if timeout == 0:
            return _done_future(loop, events & flags)
        future = loop.create_future()
        self._poll_waiters.append((future, flags))
        if timeout is not None and timeout >= 0:
            handle = loop.call_later(timeout / 1000.0, lambda: future.done() or future.set_result(0))
            future.add_done_callback(lambda _: handle.cancel())
        if events & flags:
            # Ready now, answered at the next iteration all the same (as pyzmq does), so that a
            # task looping on poll() lets the others run.
            loop.call_soon(self._serve_soon_callback)
        else:
            self._wait_for_fd()
        return future

    def _make_monitor_socket(self, monitor: Any) -> "AsyncMonitorSocket":
        return AsyncMonitorSocket(monitor, self.context)

    def close(self, linger: Optional[int] = None) -> None:
        """Closes the socket; pending Futures are cancelled."""
        if self.closed:
            return
        waiters: List[Any] = [w[0] for w in self.__dict__.get("_recv_waiters", ())]
        waiters += [w[0] for w in self.__dict__.get("_send_waiters", ())]
        waiters += [w[0] for w in self.__dict__.get("_poll_waiters", ())]
        for future in waiters:
            if not future.done():
                try:
                    future.cancel()
                except RuntimeError:  # loop closed at teardown
                    pass
        if "_watching" in self.__dict__:
            self._unwatch()
        super().close(linger)


class AsyncMonitorSocket(MonitorSocket):
    """The monitor of an asyncio socket: recv_event and recv_multipart return Futures."""

    def _wait_event(self, convert: Callable[[MonitorEvent], Any]) -> "asyncio.Future[Any]":
        loop = _current_loop()
        try:
            event = self._next(0)
        except Exception as e:
            return _done_future(loop, exc=e)
        if event is not None:
            return _done_future(loop, convert(event))
        future = loop.create_future()
        fd = self.fileno()

        def ready() -> None:
            if future.done():
                return
            try:
                ev = self._next(0)
            except Exception as e:
                future.set_exception(e)
                return
            if ev is not None:
                future.set_result(convert(ev))

        loop.add_reader(fd, ready)
        future.add_done_callback(lambda _: loop.is_closed() or loop.remove_reader(fd))
        return future

    def recv_event(self, flags: int = 0, timeout: Optional[int] = None) -> "asyncio.Future[MonitorEvent]":  # type: ignore[override]
        return self._wait_event(lambda e: e)

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False) -> "asyncio.Future[List[Any]]":  # type: ignore[override]
        from ringmq.monitor import _encode

        return self._wait_event(_encode)


class Poller(ringmq.Poller):
    """A Poller whose poll() returns a Future of the ready (socket, events) pairs.

    Unless timeout is 0, the Future is completed by the event loop even when something is
    ready already (as pyzmq's is), so that a task looping on poll() lets the others run.
    """

    def poll(self, timeout: Optional[float] = None) -> "asyncio.Future[List[Tuple[Any, int]]]":  # type: ignore[override]
        loop = _current_loop()
        try:
            ready = super().poll(0)
        except Exception as e:
            return _done_future(loop, exc=e)
        if timeout == 0:
            return _done_future(loop, ready)
        future = loop.create_future()
        cleanups: List[Callable[[], Any]] = []
        watched: Dict[int, "asyncio.Future[Any]"] = {}
        watching = False

        def wake(*_: Any) -> None:
            if future.done():
                return
            try:
                result = ringmq.Poller.poll(self, 0)
            except Exception as e:
                future.set_exception(e)
                return
            if result:
                future.set_result(result)
            elif watching:
                rearm()
            else:
                start_watching()

        def watch_socket(sock: Socket, flags: int) -> None:
            # An asyncio socket's fd belongs to its own reader: wait through its poll().
            f = sock.poll(None, flags)
            watched[id(sock)] = f
            f.add_done_callback(wake)
            cleanups.append(lambda: f.done() or f.cancel())

        def rearm() -> None:
            for sock, flags in self.sockets:
                if isinstance(sock, Socket) and watched.get(id(sock)) is not None and watched[id(sock)].done():
                    watch_socket(sock, flags)

        def start_watching() -> None:
            nonlocal watching
            watching = True
            for sock, flags in self.sockets:
                if isinstance(sock, Socket):
                    watch_socket(sock, flags)
                    continue
                fd = sock if isinstance(sock, int) else sock.fileno()
                # ringmq sockets and monitors signal everything through readability.
                is_ringmq = isinstance(sock, (ringmq.Socket, MonitorSocket))
                if is_ringmq or flags & POLLIN:
                    loop.add_reader(fd, wake)
                    cleanups.append(lambda fd=fd: loop.remove_reader(fd))
                if not is_ringmq and flags & POLLOUT:
                    loop.add_writer(fd, wake)
                    cleanups.append(lambda fd=fd: loop.remove_writer(fd))

        if ready:
            loop.call_soon(wake)  # polls again then: the answer is fresh, or we wait
        else:
            start_watching()
        if timeout is not None and timeout >= 0:
            handle = loop.call_later(timeout / 1000.0, lambda: future.done() or future.set_result([]))
            cleanups.append(handle.cancel)

        def cleanup(_: Any) -> None:
            if loop.is_closed():
                return
            for fn in cleanups:
                fn()

        future.add_done_callback(cleanup)
        return future


class Context(ringmq.Context):  # type: ignore[type-arg]
    """A context whose sockets are ringmq.asyncio.Sockets."""

    _socket_class = Socket
    _instance = None


# pyzmq's map from proactor event loops to the selector threads it adds to them (Windows
# only). ringmq.asyncio needs no selector thread on any loop with add_reader, so it stays
# empty; code and tests that check pyzmq's cleanup through it find nothing left over.
_selectors: Dict[Any, Any] = {}

_warned_deprecated = False


def _deprecated() -> None:
    global _warned_deprecated
    if _warned_deprecated:  # once per process, as pyzmq
        return
    _warned_deprecated = True
    warnings.warn("ZMQEventLoop and zmq.asyncio.install are deprecated in pyzmq 17: ringmq.asyncio sockets work "
                  "with any asyncio event loop that has add_reader", DeprecationWarning, stacklevel=3)


class ZMQEventLoop(asyncio.SelectorEventLoop):
    """pyzmq's deprecated event loop: a plain SelectorEventLoop (ringmq.asyncio sockets need
    nothing more), kept so that programs written for pyzmq < 17 run."""

    def __init__(self, selector: Any = None) -> None:
        _deprecated()
        super().__init__(selector)


def install() -> None:
    """pyzmq's deprecated install(): nothing to install (a DeprecationWarning, as pyzmq)."""
    _deprecated()


__all__ = ["Context", "Socket", "Poller", "ZMQEventLoop", "install"]
