"""MessageTracker: says when the library no longer holds buffers sent with copy=False.

Every lent buffer has a threading.Event that the ringmq._gc thread sets after releasing the
buffer (the library returns buffers on whichever thread drops them, often an I/O thread,
which never takes the GIL). A tracker is the set of Events of the buffers it watches;
combining trackers unions their sets.
"""

import threading
import time
from typing import Any, FrozenSet, Optional

from ringmq.error import NotDone


class MessageTracker:
    """MessageTracker(*watched): done once every watched buffer is released. `watched` are
    threading.Events, other MessageTrackers or tracked Frames."""

    def __init__(self, *watched: Any) -> None:
        events = set()
        for item in watched:
            if isinstance(item, threading.Event):
                events.add(item)
                continue
            tracker = item if isinstance(item, MessageTracker) else getattr(item, "tracker", False)
            if tracker is False:
                raise TypeError(f"MessageTracker watches Events, trackers and Frames, not {type(item).__name__}")
            if tracker is None:
                raise ValueError("this Frame was not created with track=True")
            events |= tracker.events
        self.events: FrozenSet[threading.Event] = frozenset(events)

    @property
    def done(self) -> bool:
        """True once the library released every watched buffer."""
        return all(e.is_set() for e in self.events)

    def wait(self, timeout: Optional[float] = -1) -> None:
        """Blocks until done, at most `timeout` seconds (None or negative: no limit); raises
        NotDone if the time runs out first."""
        limit = None if timeout is None or timeout < 0 else time.monotonic() + timeout
        for event in self.events:
            left = None if limit is None else max(0.0, limit - time.monotonic())
            if not event.wait(left):
                raise NotDone(f"the library still holds a buffer after {timeout} s")

    def __repr__(self) -> str:
        return f"<MessageTracker {'done' if self.done else 'pending'} ({len(self.events)} buffers)>"


# The tracker of a copied message: nothing to wait for.
_FINISHED_TRACKER = MessageTracker()

__all__ = ["MessageTracker"]
