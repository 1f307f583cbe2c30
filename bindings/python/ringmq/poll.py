"""Poller and select: waiting on several sockets and file descriptors at once."""

from typing import Any, Dict, List, Optional, Tuple

from ringmq import _core
from ringmq._int_constants import POLLERR, POLLIN, POLLOUT


def _polled(socket: Any) -> Any:
    """What is handed to _core.poll for a registered object, and so what poll() reports it
    as: a ringmq socket (or an object that says it is polled as itself, like MonitorSocket)
    stays itself; any other object with a fileno() (a file, a Python socket) is its fd
    number, as pyzmq's zmq_poll reports raw files."""
    if isinstance(socket, (_core.Socket, int)) or getattr(socket, "_poll_reports_self", False):
        return socket
    return socket.fileno()


class Poller:
    """A reusable set of (socket or fd, events), like select.poll.

    Anything with a fileno() (Python sockets, files) or an int fd may be registered next to
    ringmq sockets; as in pyzmq, poll() reports such a raw object by its fd number (a monitor
    socket is reported as itself). The wait releases the GIL and can be interrupted with Ctrl-C.
    """

    sockets: List[Tuple[Any, int]]
    _map: Dict[Any, int]
    _items: List[Tuple[Any, int]]  # sockets, with raw objects as their fds: what is polled

    def __init__(self) -> None:
        self.sockets = []
        self._items = []
        self._map = {}

    def __contains__(self, socket: Any) -> bool:
        return socket in self._map

    def register(self, socket: Any, flags: int = POLLIN | POLLOUT) -> None:
        """Watches `socket` for `flags`; flags=0 unregisters it."""
        if flags:
            if socket in self._map:
                self.sockets[self._map[socket]] = (socket, flags)
                self._items[self._map[socket]] = (_polled(socket), flags)
            else:
                item = (_polled(socket), flags)
                self._map[socket] = len(self.sockets)
                self.sockets.append((socket, flags))
                self._items.append(item)
        elif socket in self._map:
            self.unregister(socket)

    def modify(self, socket: Any, flags: int = POLLIN | POLLOUT) -> None:
        """Changes the flags of a registered socket."""
        self.register(socket, flags)

    def unregister(self, socket: Any) -> None:
        """Stops watching `socket` (KeyError if it was not registered)."""
        idx = self._map.pop(socket)
        self.sockets.pop(idx)
        self._items.pop(idx)
        for s, _ in self.sockets[idx:]:
            self._map[s] -= 1

    def poll(self, timeout: Optional[float] = None) -> List[Tuple[Any, int]]:
        """Waits up to `timeout` ms (None or negative: forever) and returns the ready
        (socket, events) pairs; ``dict(poller.poll())`` maps socket to events."""
        if timeout is None or timeout < 0:
            timeout = -1
        return _core.poll(self._items, int(timeout))  # type: ignore[no-any-return]


def select(rlist: List[Any], wlist: List[Any], xlist: List[Any],
           timeout: Optional[float] = None) -> Tuple[List[Any], List[Any], List[Any]]:
    """select.select for sockets and fds; `timeout` in seconds (None: forever)."""
    timeout_ms = -1 if timeout is None or timeout < 0 else int(timeout * 1000.0)
    items = []
    for s in set(rlist + wlist + xlist):
        flags = (POLLIN if s in rlist else 0) | (POLLOUT if s in wlist else 0) | (POLLERR if s in xlist else 0)
        items.append((s, flags))
    ready = _core.poll(items, timeout_ms)
    r, w, x = [], [], []
    for s, flags in ready:
        if flags & POLLIN:
            r.append(s)
        if flags & POLLOUT:
            w.append(s)
        if flags & POLLERR:
            x.append(s)
    return r, w, x


__all__ = ["Poller", "select"]
