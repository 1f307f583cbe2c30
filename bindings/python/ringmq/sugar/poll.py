"""zmq.sugar.poll: Poller and select (ringmq.poll)."""

from ringmq.poll import Poller, select

__all__ = ["Poller", "select"]
