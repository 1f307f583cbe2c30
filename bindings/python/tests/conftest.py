"""Shared fixtures and helpers of the Python tests.

Waiting rules (house style): nothing sleeps to wait for a peer. Tests wait for monitor events
(HANDSHAKE_SUCCEEDED), poll with timeouts, or retry an action until a deadline; every wait is
bounded by DEADLINE, which is generous because CI runs these on a loaded 2-core machine and
under ASan.
"""

import itertools
import os
import shutil
import tempfile
import time
from typing import Any, Callable, Iterator, List, Optional

import pytest

import ringmq

# Seconds any single wait may take before the test fails.
DEADLINE = float(os.environ.get("RINGMQ_TEST_DEADLINE", "20"))

TRANSPORTS = ("inproc", "ipc", "tcp")
_names = itertools.count()


class Deadline:
    """A point in time DEADLINE (or `seconds`) from now."""

    def __init__(self, seconds: float = DEADLINE) -> None:
        self.at = time.monotonic() + seconds

    def left_ms(self) -> int:
        return max(0, int((self.at - time.monotonic()) * 1000))

    def passed(self) -> bool:
        return time.monotonic() >= self.at


@pytest.fixture
def ctx() -> Iterator[ringmq.Context]:
    c = ringmq.Context()
    yield c
    c.destroy(linger=0)


@pytest.fixture
def pyzmq_ctx() -> Iterator[Any]:
    zmq = pytest.importorskip("zmq", reason="python3-zmq (the pyzmq interop peer) is not installed")
    c = zmq.Context()
    yield c
    c.destroy(linger=0)


@pytest.fixture(scope="session")
def ipc_dir() -> Iterator[str]:
    # Short path: sun_path holds 107 bytes, and pytest's tmp_path can be longer.
    d = tempfile.mkdtemp(prefix="rmq-py-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def bind_address(transport: str, ipc_dir: str) -> str:
    """An address to bind: tcp lets the kernel pick the port (read last_endpoint after)."""
    n = next(_names)
    if transport == "tcp":
        return "tcp://127.0.0.1:*"
    if transport == "ipc":
        return f"ipc://{ipc_dir}/{os.getpid()}-{n}.sock"
    return f"inproc://test-{os.getpid()}-{n}"


def last_endpoint(sock: Any) -> str:
    ep = sock.getsockopt(ringmq.LAST_ENDPOINT)
    return ep.decode() if isinstance(ep, bytes) else str(ep)


def wait_event(mon: Any, wanted: int, deadline: Optional[Deadline] = None) -> dict:
    """The first event of kind `wanted` from a ringmq monitor socket; fails at the deadline."""
    deadline = deadline or Deadline()
    seen: List[Any] = []
    while not deadline.passed():
        try:
            event = mon.recv_event(timeout=max(1, deadline.left_ms()))
        except ringmq.Again:
            break
        seen.append(event["event"])
        if event["event"] == wanted:
            return event
    raise AssertionError(f"no {ringmq.Event(wanted)!r} within the deadline; saw {seen}")


def connect_pair(binder: Any, connector: Any, transport: str, ipc_dir: str, watch: Any = None) -> str:
    """Binds `binder`, connects `connector` and waits until the ZMTP handshake succeeded, as
    reported by the monitor of `watch` (a ringmq socket among the two; by default the binder
    if it is a ringmq socket, else the connector). inproc connects synchronously."""
    if transport == "inproc":
        binder.bind(bind_address(transport, ipc_dir))
        endpoint = last_endpoint(binder)
        connector.connect(endpoint)
        return endpoint
    if watch is None:
        watch = binder if isinstance(binder, ringmq.Socket) else connector
    mon = watch.get_monitor_socket()
    try:
        binder.bind(bind_address(transport, ipc_dir))
        endpoint = last_endpoint(binder)
        connector.connect(endpoint)
        wait_event(mon, ringmq.EVENT_HANDSHAKE_SUCCEEDED)
    finally:
        watch.disable_monitor()
    return endpoint


def recv_within(sock: Any, multipart: bool = False, seconds: float = DEADLINE) -> Any:
    """The next message of `sock` (ringmq or pyzmq), failing the test after `seconds`."""
    if not sock.poll(int(seconds * 1000)):
        raise AssertionError(f"nothing received within {seconds} s")
    return sock.recv_multipart() if multipart else sock.recv()


def assert_nothing_pending(sock: Any) -> None:
    assert sock.poll(0) == 0, "unexpected message"


def retry_until_received(send: Callable[[int], None], sock: Any, matches: Callable[[Any], Optional[int]],
                         deadline: Optional[Deadline] = None, multipart: bool = False) -> int:
    """For subscriptions that travel asynchronously (PUB/SUB): calls send(k) for k = 0, 1, ...
    polling `sock` briefly after each, until a message for which matches() returns a number
    arrives (None: not ours, ignored); then drains the later numbered messages already sent, so none is left behind.
    Returns the first number received."""
    deadline = deadline or Deadline()
    k = 0
    first = None
    while first is None:
        if deadline.passed():
            raise AssertionError("the subscription never took effect")
        send(k)
        if sock.poll(20):
            got = sock.recv_multipart() if multipart else sock.recv()
            first = matches(got)
        k += 1
    last = first
    while last < k - 1:  # everything sent after the first delivered one arrives, in order
        n = matches(recv_within(sock, multipart))
        if n is not None:  # None: a message that is not one of ours (another test's probe)
            last = n
    return first
