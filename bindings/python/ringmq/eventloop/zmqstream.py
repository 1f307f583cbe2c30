"""ZMQStream (pyzmq's zmq.eventloop.zmqstream): a socket driven by a tornado IOLoop through
callbacks -- on_recv(callback) gets each incoming multipart message, send_multipart() queues
outgoing ones, sent when the socket can take them (on_send(callback) hears of each).

How it waits: the socket's file descriptor is level-triggered (readable while a message can
be received; see ringmq.asyncio), and is registered with the loop only while the stream has
something to do: a recv callback, or queued sends. With only sends queued, the descriptor is
first switched to signal only sendability (Socket._poll_out_only), or unread input would wake
the loop forever. Each wake-up handles at most one message each way, then returns to the
loop, so a busy stream does not starve the loop's other work (pyzmq's behaviour).
"""

import pickle
import warnings
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional, Sequence, Tuple

from tornado.ioloop import IOLoop
from tornado.log import gen_log

from ringmq._int_constants import EAGAIN, EVENTS, NOBLOCK, POLLIN, POLLOUT
from ringmq.error import ContextTerminated, ZMQError
from ringmq.socket import Socket
from ringmq.utils import jsonapi

RecvCallback = Callable[[List[Any]], Any]
SendCallback = Callable[[Sequence[Any], Any], Any]


def _check_callable(callback: Any) -> None:
    # AssertionError, not TypeError: pyzmq asserts, and its users' tests expect that.
    if callback is not None and not callable(callback):
        raise AssertionError(f"callback must be callable, not {callback!r}")


class ZMQStream:
    """A socket wrapped for tornado's IOLoop (default: IOLoop.current()).

    The stream owns the socket from now on: close the stream, not the socket.
    """

    socket: Socket
    io_loop: IOLoop

    def __init__(self, socket: Socket, io_loop: Optional[IOLoop] = None) -> None:
        self.socket = socket
        self.io_loop = io_loop or IOLoop.current()
        self._fd: int = socket.fileno()
        self._send_queue: Deque[Tuple[Sequence[Any], Dict[str, Any]]] = deque()
        self._recv_callback: Optional[RecvCallback] = None
        self._recv_copy = True
        self._send_callback: Optional[SendCallback] = None
        self._close_callback: Optional[Callable[[], Any]] = None
        self._watching = False  # whether the fd is registered with the loop
        self._scheduled = False  # whether a _handle_events call is queued on the loop
        # flush() handled messages outside the loop; the wake-up already scheduled for them
        # must not take more (pyzmq's _flushed), until the loop's next turn.
        self._flushed = False
        # The socket's methods that pyzmq's stream passes through.
        self.bind = socket.bind
        self.bind_to_random_port = socket.bind_to_random_port
        self.connect = socket.connect
        self.setsockopt = socket.setsockopt
        self.getsockopt = socket.getsockopt
        self.setsockopt_string = socket.setsockopt_string
        self.getsockopt_string = socket.getsockopt_string
        self.setsockopt_unicode = socket.setsockopt_string
        self.getsockopt_unicode = socket.getsockopt_string

    # ---- callbacks ----------------------------------------------------------------------------

    def on_recv(self, callback: Optional[RecvCallback], copy: bool = True) -> None:
        """Calls callback(msg) with each multipart message received (a list of bytes, or of
        Frames with copy=False); None stops receiving (messages stay queued in the socket)."""
        self._check_closed()
        _check_callable(callback)
        self._recv_callback = callback
        self._recv_copy = copy
        self._update_watch()

    def on_recv_stream(self, callback: Optional[Callable[["ZMQStream", List[Any]], Any]], copy: bool = True) -> None:
        """As on_recv, with callback(stream, msg)."""
        if callback is None:
            self.stop_on_recv()
        else:
            self.on_recv(lambda msg: callback(self, msg), copy=copy)

    def on_send(self, callback: Optional[SendCallback]) -> None:
        """Calls callback(msg, status) after each queued message is sent: status is what
        send_multipart returned (None, or a MessageTracker), or the ZMQError it raised."""
        self._check_closed()
        _check_callable(callback)
        self._send_callback = callback

    def on_send_stream(self, callback: Optional[Callable[["ZMQStream", Sequence[Any], Any], Any]]) -> None:
        """As on_send, with callback(stream, msg, status)."""
        if callback is None:
            self.stop_on_send()
        else:
            self.on_send(lambda msg, status: callback(self, msg, status))

    def on_err(self, callback: Callable[..., Any]) -> None:
        """Does nothing (deprecated in pyzmq, which never calls it)."""
        warnings.warn("on_err does nothing, and will be removed", DeprecationWarning, stacklevel=2)

    def stop_on_recv(self) -> None:
        self.on_recv(None)

    def stop_on_send(self) -> None:
        self.on_send(None)

    def stop_on_err(self) -> None:
        warnings.warn("on_err does nothing, and will be removed", DeprecationWarning, stacklevel=2)

    def set_close_callback(self, callback: Optional[Callable[[], Any]]) -> None:
        """Calls callback() when the stream is closed."""
        self._close_callback = callback

    # ---- sending ------------------------------------------------------------------------------

    def send_multipart(self, msg: Sequence[Any], flags: int = 0, copy: bool = True, track: bool = False,
                       callback: Optional[SendCallback] = None, **kwargs: Any) -> None:
        """Queues `msg`; it is sent when the socket can take it. `callback`, if given,
        replaces the on_send callback (pyzmq)."""
        self._check_closed()
        kwargs.update(flags=flags, copy=copy, track=track)
        self._send_queue.append((msg, kwargs))
        if callback is not None:
            self.on_send(callback)
        self._update_watch()

    def send(self, msg: Any, flags: int = 0, copy: bool = True, track: bool = False,
             callback: Optional[SendCallback] = None, **kwargs: Any) -> None:
        """Queues a single-part message (see send_multipart)."""
        self.send_multipart([msg], flags=flags, copy=copy, track=track, callback=callback, **kwargs)

    def send_string(self, u: str, flags: int = 0, encoding: str = "utf-8",
                    callback: Optional[SendCallback] = None, **kwargs: Any) -> None:
        if not isinstance(u, str):
            raise TypeError("unicode/str objects only")
        self.send(u.encode(encoding), flags=flags, callback=callback, **kwargs)

    send_unicode = send_string

    def send_json(self, obj: Any, flags: int = 0, callback: Optional[SendCallback] = None, **kwargs: Any) -> None:
        self.send(jsonapi.dumps(obj), flags=flags, callback=callback, **kwargs)

    def send_pyobj(self, obj: Any, flags: int = 0, protocol: int = -1, callback: Optional[SendCallback] = None,
                   **kwargs: Any) -> None:
        self.send(pickle.dumps(obj, protocol), flags, callback=callback, **kwargs)

    # ---- state --------------------------------------------------------------------------------

    def receiving(self) -> bool:
        """Whether a recv callback is set."""
        return self._recv_callback is not None

    def sending(self) -> bool:
        """Whether messages are queued to send."""
        return bool(self._send_queue)

    def closed(self) -> bool:
        if self.socket is None:
            return True
        if self.socket.closed:  # closed behind the stream's back: let go of the fd too
            self.close()
            return True
        return False

    def close(self, linger: Optional[int] = None) -> None:
        """Stops watching the socket, closes it, then calls the close callback."""
        if self.socket is None:
            return
        self._unwatch()
        if self.socket.closed:
            warnings.warn("ZMQStream: the socket was closed directly; close the stream instead", stacklevel=2)
        else:
            self.socket.close(linger)
        self.socket = None  # type: ignore[assignment]
        if self._close_callback is not None:
            self._run_callback(self._close_callback)

    def flush(self, flag: int = POLLIN | POLLOUT, limit: Optional[int] = None) -> int:
        """Handles what the socket has now, without waiting for the loop: incoming messages
        (given to the recv callback, or dropped if there is none) if flag has POLLIN,
        queued sends if it has POLLOUT, until nothing more is ready or `limit` messages (both
        ways) were handled. Returns how many were handled."""
        self._check_closed()
        already_flushed = self._flushed
        self._flushed = False
        count = 0
        while not limit or count < limit:
            wanted = (flag & POLLIN) | (flag & POLLOUT if self.sending() else 0)
            ready = self.socket.poll(0, wanted) if wanted else 0
            if not ready:
                break
            if ready & POLLIN:
                self._handle_recv()
                count += 1
                if self.socket is None:
                    break
            if ready & POLLOUT and self.sending() and (not limit or count < limit):
                self._handle_send()
                count += 1
                if self.socket is None:
                    break
        if count:
            self._flushed = True
            if not already_flushed:
                self.io_loop.add_callback(self._finish_flush)
        elif already_flushed:
            self._flushed = True
        self._update_watch()
        return count

    # ---- the loop's side -----------------------------------------------------------------------

    def _finish_flush(self) -> None:
        self._flushed = False

    def _check_closed(self) -> None:
        if self.socket is None:
            raise OSError("Stream is closed")

    def _run_callback(self, callback: Callable[..., Any], *args: Any) -> None:
        try:
            callback(*args)
        except Exception:
            gen_log.error("Uncaught exception in ZMQStream callback", exc_info=True)
            raise

    def _update_watch(self) -> None:
        """Registers the fd while there is something to do, and only then (see the module)."""
        if self.socket is None:
            return
        if not (self.receiving() or self.sending()):
            self._unwatch()
            return
        # The fd wakes the loop when something changes, not while a socket stays ready (to
        # send, in particular): what is ready now is handled on the loop's next turn.
        wanted = (POLLIN if self.receiving() else 0) | (POLLOUT if self.sending() else 0)
        if self.receiving():
            ready = self.socket.get(EVENTS) & wanted
        else:
            ready = POLLOUT if self.socket._poll_out_only() else 0
        if ready and not self._scheduled:
            self._scheduled = True
            self.io_loop.add_callback(self._handle_scheduled)
        if not self._watching:
            # The socket itself, not its fd: IOLoop.close(all_fds=True) then closes the
            # socket (as with pyzmq), where it would close the fd under the socket.
            self.io_loop.add_handler(self.socket, self._handle_events, IOLoop.READ)
            self._watching = True

    def _unwatch(self) -> None:
        if self._watching:
            self._watching = False
            # The loop knows the handler by fd number, which a closed socket no longer tells.
            self.io_loop.remove_handler(self._fd)

    def _handle_scheduled(self) -> None:
        self._scheduled = False
        self._handle_events(self._fd, 0)

    def _handle_events(self, fd: Any, events: int) -> None:
        if self.socket is None:
            gen_log.warning("Got events for closed stream %s", self)
            return
        if self._flushed:
            return
        try:
            ready = self.socket.poll(0, (POLLIN if self.receiving() else 0) | (POLLOUT if self.sending() else 0))
        except ContextTerminated:
            gen_log.warning("Got events for stream %s after terminating context", self)
            self._unwatch()
            return
        if ready & POLLIN and self.receiving():
            self._handle_recv()
            if self.socket is None:
                return
        if ready & POLLOUT and self.sending():
            self._handle_send()
            if self.socket is None:
                return
        self._update_watch()

    def _handle_recv(self) -> None:
        try:
            msg = self.socket.recv_multipart(NOBLOCK, copy=self._recv_copy)
        except ZMQError as e:
            if e.errno == EAGAIN:
                return
            raise
        if self._recv_callback is not None:
            self._run_callback(self._recv_callback, msg)

    def _handle_send(self) -> None:
        msg, kwargs = self._send_queue.popleft()
        status: Any
        try:
            status = self.socket.send_multipart(msg, **kwargs)
        except ZMQError as e:
            gen_log.error("SEND Error: %s", e)
            status = e
        if self._send_callback is not None:
            self._run_callback(self._send_callback, msg, status)


__all__ = ["ZMQStream"]
