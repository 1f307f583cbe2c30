"""Tornado integration (pyzmq's zmq.eventloop): ioloop (IOLoop, ZMQIOLoop,
PeriodicCallback) and zmqstream.ZMQStream, on Debian's python3-tornado (6.x, which runs on
asyncio; ringmq sockets need no special loop)."""

from ringmq.eventloop.ioloop import IOLoop

__all__ = ["IOLoop"]
