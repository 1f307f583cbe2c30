"""Proxy devices: a device with a third, capture socket ("mon") that gets a copy of every
message (pyzmq's zmq.devices.proxydevice)."""

from typing import Any, Tuple

from ringmq._device import proxy
from ringmq.constants import PUB
from ringmq.devices.basedevice import Device, ProcessDevice, ThreadDevice, _SocketPlan
from ringmq.socket import Socket


class ProxyBase:
    """Adds the mon socket (default PUB) and its bind_mon/connect_mon/setsockopt_mon."""

    def __init__(self, in_type: int, out_type: int, mon_type: int = PUB) -> None:
        Device.__init__(self, in_type=in_type, out_type=out_type)  # type: ignore[arg-type]
        self.mon_type = mon_type
        self._mon = _SocketPlan()

    def bind_mon(self, addr: str) -> None:
        self._mon.binds.append(addr)

    def connect_mon(self, addr: str) -> None:
        self._mon.connects.append(addr)

    def setsockopt_mon(self, opt: int, value: Any) -> None:
        self._mon.sockopts.append((opt, value))

    def bind_mon_to_random_port(self, addr: str, *args: Any, **kwargs: Any) -> int:
        port: int = self._reserve_random_port(addr, *args, **kwargs)  # type: ignore[attr-defined]
        self.bind_mon(f"{addr}:{port}")
        return port

    def _setup_sockets(self) -> Tuple[Socket, Socket, Socket]:
        ins, outs = Device._setup_sockets(self)  # type: ignore[arg-type]
        mons: Socket = self._new_socket(self.mon_type)  # type: ignore[attr-defined]
        self._mon.apply(mons)
        return ins, outs, mons

    def run_device(self) -> None:
        ins, outs, mons = self._setup_sockets()
        proxy(ins, outs, mons)


class Proxy(ProxyBase, Device):
    """A QUEUE-like device that copies each message to its mon socket, run by start()."""


class ThreadProxy(ProxyBase, ThreadDevice):
    """Proxy in a daemon thread."""


class ProcessProxy(ProxyBase, ProcessDevice):
    """Proxy in a child process."""


__all__ = ["Proxy", "ThreadProxy", "ProcessProxy"]
