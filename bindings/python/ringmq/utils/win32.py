"""pyzmq's zmq.utils.win32: a console Ctrl-C handler on Windows, nothing elsewhere.

On Linux a blocking ringmq call already ends with KeyboardInterrupt on Ctrl-C, so
allow_interrupt has nothing to install; it stays a context manager so that programs written
for both systems run unchanged.
"""

from typing import Any, Callable, Optional


class allow_interrupt:  # noqa: N801 - pyzmq's name
    """``with allow_interrupt(action): ...`` -- a no-op outside Windows, as in pyzmq."""

    def __init__(self, action: Optional[Callable[[], Any]] = None) -> None:
        self.action = action

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


__all__ = ["allow_interrupt"]
