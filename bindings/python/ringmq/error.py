"""The exceptions of ringmq, under pyzmq's names. Failures are ZMQError carrying an errno
number (libzmq's: POSIX errno values, plus EFSM, ENOCOMPATPROTO and ETERM); would-block is
Again, a terminated context ContextTerminated."""

import errno as _os_errno
from typing import Optional, Tuple

_ETERM = 156384712 + 53


def _message(number: int) -> str:
    from ringmq._core import strerror

    return strerror(number)  # type: ignore[no-any-return]


class ZMQBaseError(Exception):
    """Root of every ringmq exception."""


class ZMQError(ZMQBaseError):
    """A failed call. ``errno`` is the error number, ``strerror`` its text."""

    errno: Optional[int]
    strerror: str

    def __init__(self, errno: Optional[int] = None, msg: Optional[str] = None) -> None:
        number = _os_errno.EINVAL if errno is None else int(errno)
        text = _message(number) if msg is None else msg
        super().__init__(number, text)
        self.errno = number
        self.strerror = text

    def __str__(self) -> str:
        return self.strerror

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.strerror!r})"


class Again(ZMQError):
    """EAGAIN: nothing could be done without blocking (DONTWAIT, or RCVTIMEO/SNDTIMEO)."""

    def __init__(self, errno: Optional[int] = None, msg: Optional[str] = None) -> None:
        super().__init__(_os_errno.EAGAIN, msg)


class ContextTerminated(ZMQError):
    """ETERM: the socket's context was terminated."""

    def __init__(self, errno: Optional[int] = None, msg: Optional[str] = None) -> None:
        super().__init__(_ETERM, msg)


class InterruptedSystemCall(ZMQError, InterruptedError):
    """EINTR. ringmq resumes interrupted waits itself and raises KeyboardInterrupt (or what a
    signal handler raised) instead; the class exists for code that catches it."""

    def __init__(self, errno: Optional[int] = None, msg: Optional[str] = None) -> None:
        super().__init__(_os_errno.EINTR, msg)


class ZMQBindError(ZMQBaseError):
    """bind_to_random_port found no free port in its range."""


class NotDone(ZMQBaseError):
    """MessageTracker.wait timed out: the library still holds the buffer."""


class ZMQVersionError(NotImplementedError):
    """A feature that needs a newer libzmq API level than ringmq's (4.3)."""

    def __init__(self, min_version: str, msg: str = "Feature") -> None:
        self.min_version = min_version
        self.msg = msg
        super().__init__(f"{msg} requires libzmq >= {min_version}; ringmq implements the 4.3 API")


def require_api(level: Tuple[int, ...], what: str = "Feature") -> None:
    """Raises ZMQVersionError if `what` needs a libzmq API level above 4.3.4."""
    if tuple(level) > (4, 3, 4):
        raise ZMQVersionError(".".join(map(str, level)), what)


__all__ = ["Again", "ContextTerminated", "InterruptedSystemCall", "NotDone", "ZMQBaseError", "ZMQBindError",
           "ZMQError", "ZMQVersionError"]
