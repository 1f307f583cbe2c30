"""Steerable proxy devices: a Proxy with a control socket that takes PAUSE, RESUME,
TERMINATE and STATISTICS (pyzmq's zmq.devices.proxysteerabledevice)."""

from typing import Any, Optional, Tuple

from ringmq._device import proxy_steerable
from ringmq.constants import PUB
from ringmq.devices.basedevice import _SocketPlan
from ringmq.devices.proxydevice import ProcessProxy, Proxy, ThreadProxy
from ringmq.socket import Socket


class ProxySteerableBase:
    """Adds the ctrl socket (of ctrl_type) and its bind_ctrl/connect_ctrl/setsockopt_ctrl."""

    def __init__(self, in_type: int, out_type: int, mon_type: int = PUB, ctrl_type: Optional[int] = None) -> None:
        super().__init__(in_type=in_type, out_type=out_type, mon_type=mon_type)  # type: ignore[call-arg]
        self.ctrl_type = ctrl_type
        self._ctrl = _SocketPlan()

    def bind_ctrl(self, addr: str) -> None:
        self._ctrl.binds.append(addr)

    def connect_ctrl(self, addr: str) -> None:
        self._ctrl.connects.append(addr)

    def setsockopt_ctrl(self, opt: int, value: Any) -> None:
        self._ctrl.sockopts.append((opt, value))

    def bind_ctrl_to_random_port(self, addr: str, *args: Any, **kwargs: Any) -> int:
        port: int = self._reserve_random_port(addr, *args, **kwargs)  # type: ignore[attr-defined]
        self.bind_ctrl(f"{addr}:{port}")
        return port

    def _setup_sockets(self) -> Tuple[Socket, Socket, Socket, Socket]:
        ins, outs, mons = super()._setup_sockets()  # type: ignore[misc]
        ctrls: Socket = self._new_socket(self.ctrl_type)  # type: ignore[attr-defined]
        self._ctrl.apply(ctrls)
        return ins, outs, mons, ctrls

    def run_device(self) -> None:
        ins, outs, mons, ctrls = self._setup_sockets()
        proxy_steerable(ins, outs, mons, ctrls)


class ProxySteerable(ProxySteerableBase, Proxy):
    """A Proxy steered by commands on its ctrl socket, run by start()."""


class ThreadProxySteerable(ProxySteerableBase, ThreadProxy):
    """ProxySteerable in a daemon thread."""


class ProcessProxySteerable(ProxySteerableBase, ProcessProxy):
    """ProxySteerable in a child process."""


__all__ = ["ProxySteerable", "ThreadProxySteerable", "ProcessProxySteerable"]
