"""zmq.sugar.tracker: MessageTracker and the tracker of a message already done with."""

from ringmq.tracker import _FINISHED_TRACKER, MessageTracker

__all__ = ["MessageTracker", "_FINISHED_TRACKER"]
