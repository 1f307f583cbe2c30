"""MonitorSocket: what Socket.get_monitor_socket returns.

pyzmq's monitor is a PAIR socket receiving libzmq's two-frame event messages. ringmq's
monitor is a bounded queue filled by the I/O threads without ever waiting for the reader, so
this is a socket-like reader of that queue: recv_multipart() gives libzmq's frames (for code
that parses them), recv_event() and recv_monitor_message() give dicts directly, and its
fileno() is readable while events are queued, so it works with Poller and event loops.
"""

import struct
import threading
from typing import Any, Dict, Iterator, List, Optional

from ringmq import _core
from ringmq._int_constants import DONTWAIT, ENOTSOCK, POLLIN
from ringmq.constants import Event
from ringmq.error import Again, ZMQError

MonitorEvent = Dict[str, Any]


def _as_event(raw: Dict[str, Any]) -> MonitorEvent:
    raw["event"] = Event(raw["event"])
    return raw


def _encode(event: MonitorEvent) -> List[bytes]:
    """libzmq's encoding: 16-bit event id and 32-bit value, then the endpoint."""
    value = int(event["value"])
    value = ((value + 2**31) % 2**32) - 2**31  # as libzmq's int32 (errno, fd, protocol code)
    return [struct.pack("=Hi", int(event["event"]), value), event["endpoint"]]


class MonitorSocket:
    """Connection events of a socket. Not thread-safe; close() stops the monitor."""

    rcvtimeo: int = -1
    linger: int = 0
    _poll_reports_self = True  # Poller reports it as itself, like a socket (ringmq.poll)

    def __init__(self, monitor: Any, context: Any = None) -> None:
        self._monitor = monitor
        # The monitored socket's context, as a pyzmq monitor socket's (code that closes or
        # terminates through it finds the right one).
        self.context = context
        self._fd = monitor.fd
        self._ended = False  # MONITOR_STOPPED was delivered: nothing more will come
        self.closed = False

    def __repr__(self) -> str:
        return f"<ringmq.MonitorSocket at {hex(id(self))}{' closed' if self.closed else ''}>"

    def __enter__(self) -> "MonitorSocket":
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()

    def fileno(self) -> int:
        """Readable while events are queued (level-triggered)."""
        return self._fd  # type: ignore[no-any-return]

    @property
    def FD(self) -> int:  # noqa: N802 - pyzmq's name
        return self.fileno()

    fd = FD

    @property
    def dropped(self) -> int:
        """Events lost so far because the reader fell behind (the queue is bounded)."""
        return self._monitor.dropped  # type: ignore[no-any-return]

    def close(self, linger: Optional[int] = None) -> None:
        """Stops the monitor."""
        if not self.closed:
            self.closed = True
            self._monitor.stop()

    def stop(self) -> None:
        """Stops the monitor but stays readable: the events still queued, then
        MONITOR_STOPPED, can be read (what a pyzmq monitor socket gets from disable_monitor)."""
        self._monitor.stop()

    def _next(self, timeout_ms: int) -> Optional[MonitorEvent]:
        if self.closed:
            raise ZMQError(ENOTSOCK, "monitor socket is closed")
        if self._ended:
            raise ZMQError(ENOTSOCK, "the monitor has stopped (its socket was closed)")
        raw = self._monitor.next(timeout_ms)
        if raw is None:
            return None
        event = _as_event(raw)
        if event["event"] == Event.MONITOR_STOPPED:
            self._ended = True
        return event

    def recv_event(self, flags: int = 0, timeout: Optional[int] = None) -> MonitorEvent:
        """The next event as a dict: event (an Event), value, endpoint (bytes), peer_address,
        dropped_before. Waits up to `timeout` ms (default RCVTIMEO, -1: forever); raises
        Again on timeout or with DONTWAIT."""
        if timeout is None:
            timeout = self.rcvtimeo
        event = self._next(0 if flags & DONTWAIT else timeout)
        if event is None:
            raise Again()
        return event

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False) -> List[Any]:
        """The next event in libzmq's encoding: [struct "=Hi" (event, value), endpoint]."""
        return _encode(self.recv_event(flags))

    def poll(self, timeout: Optional[int] = None, flags: int = POLLIN) -> int:
        """POLLIN once an event is queued, waiting up to `timeout` ms (None: forever)."""
        if not flags & POLLIN:
            return 0
        ready = _core.poll([(self, POLLIN)], -1 if timeout is None else int(timeout))
        return POLLIN if ready else 0

    def __iter__(self) -> Iterator[MonitorEvent]:
        """Events until MONITOR_STOPPED (included)."""
        while True:
            event = self.recv_event()
            yield event
            if event["event"] == Event.MONITOR_STOPPED:
                return


class PairMonitor:
    """Socket.monitor(addr): libzmq's zmq_socket_monitor, events sent in libzmq's two-frame
    encoding on a PAIR socket bound to `addr` (inproc) in the monitored socket's context.

    A daemon thread moves each event from ringmq's monitor queue to the PAIR (waiting with the
    GIL released); it alone uses the PAIR. Events are sent without blocking: while no reader
    is connected they are dropped, as ringmq's bounded queue drops them for a slow reader.
    stop() (or the monitored socket's close) ends the stream with MONITOR_STOPPED, after
    which the PAIR is closed, lingering so that the reader still gets what was sent.
    """

    # How long the closed PAIR keeps unread events for the reader (ms).
    LINGER_MS = 1000

    def __init__(self, monitor: Any, pair: Any) -> None:
        self._monitor = monitor
        self._pair = pair
        self._thread = threading.Thread(target=self._pump, name="ringmq-monitor", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        try:
            while True:
                raw = self._monitor.next(-1)
                if raw is None:  # stopped and drained (MONITOR_STOPPED came before)
                    return
                try:
                    self._pair.send_multipart(_encode(_as_event(raw)), DONTWAIT)
                except Again:
                    pass  # no reader connected: the event is dropped
        except ZMQError:
            return  # the context was terminated
        finally:
            self._pair.close(linger=self.LINGER_MS)

    def stop(self) -> None:
        """Ends the stream (MONITOR_STOPPED, then the PAIR closes)."""
        self._monitor.stop()


__all__ = ["MonitorSocket", "MonitorEvent", "PairMonitor"]
