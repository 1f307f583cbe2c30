"""zmq.sugar.socket: the Socket class (ringmq.socket)."""

from ringmq.socket import Socket

__all__ = ["Socket"]
