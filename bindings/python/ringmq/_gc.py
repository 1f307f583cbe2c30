"""The thread that gives lent buffers (send with copy=False) back to Python.

The library returns a lent buffer on whatever thread drops its last reference, often an I/O
thread, where taking the GIL could stall I/O or deadlock. So the extension only queues the
buffer there; this daemon thread waits for the queue with the GIL released and releases the
buffers with the GIL held. It starts with the first lent buffer of a process and stops at
interpreter exit, after which buffers still lent are left alone (Python may be gone).
"""

import atexit
import os
import threading
from typing import Optional

from ringmq import _core

_lock = threading.Lock()
_thread: Optional[threading.Thread] = None
_pid: Optional[int] = None
_stopped = False


def start() -> None:
    """Starts the thread in this process unless it runs already (called by the extension)."""
    global _thread, _pid
    with _lock:
        if _stopped or (_pid == os.getpid() and _thread is not None and _thread.is_alive()):
            return
        _thread = threading.Thread(target=_core._gc_run, name="ringmq-gc", daemon=True)
        _pid = os.getpid()
        _thread.start()


def _stop() -> None:
    global _stopped
    with _lock:
        _stopped = True
        thread = _thread if _pid == os.getpid() else None
    _core._gc_stop()
    if thread is not None:
        thread.join(timeout=5)
    _core._gc_drain()


atexit.register(_stop)
