"""Devices: a proxy between two sockets that the device makes itself, in the thread (or
process) that runs it (pyzmq's zmq.devices.basedevice).

The caller describes the sockets -- types, options, binds, connects -- and start() runs the
device; the sockets are created where they are used, so no socket crosses threads. A device
ends when its context is terminated (ThreadDevice: the shared Context.instance()).
"""

import threading
from multiprocessing import Process
from typing import Any, Callable, List, Optional, Tuple

from ringmq.constants import ENOTSOCK, ETERM, PUSH, QUEUE
from ringmq.context import Context
from ringmq.error import ZMQBindError, ZMQError
from ringmq._device import device
from ringmq.socket import Socket


class _SocketPlan:
    """What to do to one of a device's sockets once it exists."""

    def __init__(self) -> None:
        self.binds: List[str] = []
        self.connects: List[str] = []
        self.sockopts: List[Tuple[int, Any]] = []

    def apply(self, sock: Socket) -> None:
        """Options, then binds, then connects (pyzmq's order)."""
        for opt, value in self.sockopts:
            sock.setsockopt(opt, value)
        for addr in self.binds:
            sock.bind(addr)
        for addr in self.connects:
            sock.connect(addr)


class Device:
    """A device run in the calling thread by start() (which returns when it ends).

    ``Device(device_type, in_type, out_type)``: socket types, not sockets; an out_type < 0
    uses the in socket for both sides. bind_in/connect_in/setsockopt_in (and _out) record what
    to do to each socket when the device starts.
    """

    # Makes the device's context: the shared instance in threads, a new one in processes.
    context_factory: Callable[[], Context] = Context.instance

    def __init__(self, device_type: int = QUEUE, in_type: Optional[int] = None, out_type: Optional[int] = None) -> None:
        if in_type is None:
            raise TypeError("in_type must be specified")
        if out_type is None:
            raise TypeError("out_type must be specified")
        self.device_type = device_type
        self.in_type = in_type
        self.out_type = out_type
        self._in = _SocketPlan()
        self._out = _SocketPlan()
        self._random_addrs: List[str] = []
        self._sockets: List[Socket] = []
        self.daemon = True
        self._ended = threading.Event()

    @property
    def done(self) -> bool:
        """Whether the device has ended (its sockets are closed)."""
        return self._ended.is_set()

    # pyzmq's attribute names, for code that inspects them.
    @property
    def _in_binds(self) -> List[str]:
        return self._in.binds

    @property
    def _out_binds(self) -> List[str]:
        return self._out.binds

    def bind_in(self, addr: str) -> None:
        self._in.binds.append(addr)

    def connect_in(self, addr: str) -> None:
        self._in.connects.append(addr)

    def setsockopt_in(self, opt: int, value: Any) -> None:
        self._in.sockopts.append((opt, value))

    def bind_in_to_random_port(self, addr: str, *args: Any, **kwargs: Any) -> int:
        """Picks a free port now and records a bind of the in socket to it; returns the port."""
        port = self._reserve_random_port(addr, *args, **kwargs)
        self.bind_in(f"{addr}:{port}")
        return port

    def bind_out(self, addr: str) -> None:
        self._out.binds.append(addr)

    def connect_out(self, addr: str) -> None:
        self._out.connects.append(addr)

    def setsockopt_out(self, opt: int, value: Any) -> None:
        self._out.sockopts.append((opt, value))

    def bind_out_to_random_port(self, addr: str, *args: Any, **kwargs: Any) -> int:
        port = self._reserve_random_port(addr, *args, **kwargs)
        self.bind_out(f"{addr}:{port}")
        return port

    def _reserve_random_port(self, addr: str, *args: Any, **kwargs: Any) -> int:
        # The port is bound and released at once, so another program may take it before the
        # device binds it (as in pyzmq); the device at least never picks one port twice.
        with Context() as ctx, ctx.socket(PUSH) as probe:
            for _ in range(5):
                port = probe.bind_to_random_port(addr, *args, **kwargs)
                probe.unbind(f"{addr}:{port}")
                if f"{addr}:{port}" not in self._random_addrs:
                    self._random_addrs.append(f"{addr}:{port}")
                    return port
        raise ZMQBindError("Could not reserve random port.")

    def _new_socket(self, socket_type: int) -> Socket:
        sock = self._context.socket(socket_type)
        self._sockets.append(sock)
        return sock

    def _setup_sockets(self) -> Tuple[Socket, Socket]:
        self._context = self.context_factory()
        ins = self._new_socket(self.in_type)
        outs = ins if self.out_type < 0 else self._new_socket(self.out_type)
        # pyzmq's order: all options, then all binds, then all connects.
        for opt, value in self._in.sockopts:
            ins.setsockopt(opt, value)
        for opt, value in self._out.sockopts:
            outs.setsockopt(opt, value)
        for addr in self._in.binds:
            ins.bind(addr)
        for addr in self._out.binds:
            outs.bind(addr)
        for addr in self._in.connects:
            ins.connect(addr)
        for addr in self._out.connects:
            outs.connect(addr)
        return ins, outs

    def run_device(self) -> None:
        """Makes the sockets and runs the proxy (call start(), not this)."""
        ins, outs = self._setup_sockets()
        device(self.device_type, ins, outs)

    def _close_sockets(self) -> None:
        for sock in self._sockets:
            if not sock.closed:
                sock.close()

    def run(self) -> None:
        """Runs the device until its context is terminated (or its sockets closed), then
        closes its sockets."""
        try:
            self.run_device()
        except ZMQError as e:
            if e.errno not in (ETERM, ENOTSOCK):
                raise
        finally:
            self._close_sockets()
            self._ended.set()

    def start(self) -> None:
        return self.run()

    def join(self, timeout: Optional[float] = None) -> None:
        """Waits up to `timeout` seconds (None: forever) for the device to end. A Device runs
        in start(), so this only matters when another thread called start()."""
        self._ended.wait(timeout)


class BackgroundDevice(Device):
    """A device that start() launches in a _launch_class (Thread or Process)."""

    launcher: Any = None
    _launch_class: Any = None

    def start(self) -> None:
        self.launcher = self._launch_class(target=self.run)
        self.launcher.daemon = self.daemon
        return self.launcher.start()  # type: ignore[no-any-return]

    def join(self, timeout: Optional[float] = None) -> None:
        return self.launcher.join(timeout=timeout)  # type: ignore[no-any-return]


class ThreadDevice(BackgroundDevice):
    """A device in a daemon thread, in Context.instance()."""

    _launch_class = threading.Thread


class ProcessDevice(BackgroundDevice):
    """A device in a child process, in a new Context of its own (never the parent's)."""

    _launch_class = Process
    context_factory = Context


__all__ = ["Device", "ThreadDevice", "ProcessDevice"]
