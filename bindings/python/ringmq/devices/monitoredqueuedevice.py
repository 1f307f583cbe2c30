"""MonitoredQueue devices: a Proxy whose mon socket gets each message after a prefix that
says which way it went (pyzmq's zmq.devices.monitoredqueuedevice)."""

from ringmq.constants import PUB
from ringmq.devices.monitoredqueue import monitored_queue
from ringmq.devices.proxydevice import ProcessProxy, Proxy, ProxyBase, ThreadProxy


class MonitoredQueueBase(ProxyBase):
    """The in/out prefixes, and run_device() running monitored_queue."""

    def __init__(self, in_type: int, out_type: int, mon_type: int = PUB, in_prefix: bytes = b"in",
                 out_prefix: bytes = b"out") -> None:
        ProxyBase.__init__(self, in_type=in_type, out_type=out_type, mon_type=mon_type)
        self._in_prefix = in_prefix
        self._out_prefix = out_prefix

    def run_device(self) -> None:
        ins, outs, mons = self._setup_sockets()
        monitored_queue(ins, outs, mons, self._in_prefix, self._out_prefix)


class MonitoredQueue(MonitoredQueueBase, Proxy):
    """A monitored queue run by start(); ROUTER may be on both sides."""


class ThreadMonitoredQueue(MonitoredQueueBase, ThreadProxy):
    """MonitoredQueue in a daemon thread."""


class ProcessMonitoredQueue(MonitoredQueueBase, ProcessProxy):
    """MonitoredQueue in a child process."""


__all__ = ["MonitoredQueue", "ThreadMonitoredQueue", "ProcessMonitoredQueue"]
