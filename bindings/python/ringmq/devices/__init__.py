"""Devices: proxies that make their own sockets and run in a thread or a process (pyzmq's
zmq.devices)."""

from ringmq._device import device
from ringmq.devices import basedevice, monitoredqueue, monitoredqueuedevice, proxydevice, proxysteerabledevice
from ringmq.devices.basedevice import *  # noqa: F401,F403
from ringmq.devices.monitoredqueue import *  # noqa: F401,F403
from ringmq.devices.monitoredqueuedevice import *  # noqa: F401,F403
from ringmq.devices.proxydevice import *  # noqa: F401,F403
from ringmq.devices.proxysteerabledevice import *  # noqa: F401,F403

__all__ = ["device"]
for _module in (basedevice, proxydevice, proxysteerabledevice, monitoredqueue, monitoredqueuedevice):
    __all__ += _module.__all__
