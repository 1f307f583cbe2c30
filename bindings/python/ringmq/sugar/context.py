"""zmq.sugar.context: the Context class (ringmq.context)."""

from ringmq.context import Context

__all__ = ["Context"]
