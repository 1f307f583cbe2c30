"""Poller and select: waiting on several sockets and file descriptors at once."""

from typing import Any, Dict, List, Optional, Tuple

from ringmq import _core
from ringmq.constants import POLLERR, POLLIN, POLLOUT


class Poller:
    """A reusable set of (socket or fd, events), like select.poll.

    Anything with a fileno() (Python sockets, monitor sockets) or an int fd may be registered
    next to ringmq sockets. The wait releases the GIL and can be interrupted with Ctrl-C.
    """

    sockets: List[Tuple[Any, int]]
    _map: Dict[Any, int]

    def __init__(self) -> None:
        self.sockets = []
        self._map = {}

    def __contains__(self, socket: Any) -> bool:
        return socket in self._map

    def register(self, socket: Any, flags: int = POLLIN | POLLOUT) -> None:
        """Watches `socket` for `flags`; flags=0 unregisters it."""
        if flags:
            if socket in self._map:
                self.sockets[self._map[socket]] = (socket, flags)
            else:
                self._map[socket] = len(self.sockets)
                self.sockets.append((socket, flags))
        elif socket in self._map:
            self.unregister(socket)

    def modify(self, socket: Any, flags: int = POLLIN | POLLOUT) -> None:
        """Changes the flags of a registered socket."""
        self.register(socket, flags)

    def unregister(self, socket: Any) -> None:
        """Stops watching `socket` (KeyError if it was not registered)."""
        idx = self._map.pop(socket)
        self.sockets.pop(idx)
        for s, _ in self.sockets[idx:]:
            self._map[s] -= 1

    def poll(self, timeout: Optional[float] = None) -> List[Tuple[Any, int]]:
        """Waits up to `timeout` ms (None or negative: forever) and returns the ready
        (socket, events) pairs; ``dict(poller.poll())`` maps socket to events."""
        if timeout is None or timeout < 0:
            timeout = -1
        return _core.poll(self.sockets, int(timeout))  # type: ignore[no-any-return]


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
