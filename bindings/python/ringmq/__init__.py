"""ringmq: brokerless ZeroMQ-style messaging, with pyzmq's API.

Programs written for pyzmq's everyday API run with ``import ringmq as zmq``::

    import ringmq as zmq

    ctx = zmq.Context.instance()
    pull = ctx.socket(zmq.PULL)
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    push = ctx.socket(zmq.PUSH)
    push.connect(f"tcp://127.0.0.1:{port}")
    push.send(b"hello")
    assert pull.recv() == b"hello"

ringmq speaks ZMTP 3.1, so its sockets talk to libzmq/pyzmq sockets over tcp and ipc. See
ringmq.asyncio for asyncio, ringmq.auth for CURVE/PLAIN authentication.
"""

from typing import Tuple

from ringmq import _core
from ringmq._device import device, proxy, proxy_steerable
from ringmq.constants import *  # noqa: F401,F403
from ringmq.constants import __all__ as _constants_all
from ringmq.context import Context
from ringmq._install_paths import get_includes, get_library_dirs
from ringmq.error import (
    Again,
    ContextTerminated,
    InterruptedSystemCall,
    NotDone,
    ZMQBaseError,
    ZMQBindError,
    ZMQError,
    ZMQVersionError,
)
from ringmq.poll import Poller, select
from ringmq.socket import Socket
from ringmq.tracker import _FINISHED_TRACKER, MessageTracker  # noqa: F401 - pyzmq's zmq._FINISHED_TRACKER
from ringmq.utils import monitor as _monitor_utils  # noqa: F401 - makes ringmq.utils.monitor importable
from ringmq.utils import jsonapi as _jsonapi  # noqa: F401
from ringmq.utils import z85 as _z85  # noqa: F401

Frame = _core.Frame
Message = _core.Frame
COPY_THRESHOLD: int = _core.COPY_THRESHOLD
DRAFT_API = False
strerror = _core.strerror

__version__ = ".".join(str(v) for v in _core.version())
__revision__ = ""  # pyzmq's source revision suffix; ringmq has none
# The version of this package: it is built with the libringmq it loads, so both agree.
version_info: Tuple[int, int, int] = _core.version()


def ringmq_version_info() -> Tuple[int, int, int]:
    """The version of the loaded libringmq."""
    return _core.version()  # type: ignore[no-any-return]


def ringmq_version() -> str:
    return __version__


# ringmq follows the API of libzmq 4.3 and pyzmq 24; code that checks versions to pick
# features sees those levels.
def zmq_version_info() -> Tuple[int, int, int]:
    """The libzmq API level ringmq implements (4, 3, 4)."""
    return (4, 3, 4)


def zmq_version() -> str:
    return "4.3.4"


def pyzmq_version_info() -> Tuple[int, int, int]:
    """The pyzmq API level this package follows (24, 0, 1)."""
    return (24, 0, 1)


def pyzmq_version() -> str:
    return "24.0.1"


def zmq_errno() -> int:
    """Always 0: ringmq reports errors as exceptions only."""
    return 0


def has(capability: str) -> bool:
    """Whether a libzmq capability is available (``has("curve")``)."""
    return capability in ("ipc", "curve", "plain")


def curve_keypair() -> Tuple[bytes, bytes]:
    """A new CURVE key pair (public, secret), each 40 bytes of Z85."""
    return _core.curve_keypair()  # type: ignore[no-any-return]


def curve_public(secret_key: bytes) -> bytes:
    """The Z85 public key of a CURVE secret key (Z85 or 32 raw bytes)."""
    return _core.curve_public(secret_key)  # type: ignore[no-any-return]


__all__ = [
    "Again",
    "COPY_THRESHOLD",
    "Context",
    "ContextTerminated",
    "DRAFT_API",
    "Frame",
    "InterruptedSystemCall",
    "Message",
    "MessageTracker",
    "NotDone",
    "Poller",
    "Socket",
    "ZMQBaseError",
    "ZMQBindError",
    "ZMQError",
    "ZMQVersionError",
    "curve_keypair",
    "curve_public",
    "device",
    "get_includes",
    "get_library_dirs",
    "has",
    "proxy",
    "proxy_steerable",
    "pyzmq_version",
    "pyzmq_version_info",
    "ringmq_version",
    "ringmq_version_info",
    "select",
    "strerror",
    "zmq_errno",
    "zmq_version",
    "zmq_version_info",
] + _constants_all
