"""zmq.sugar.frame: Frame, also called Message (the extension's type)."""

from ringmq import Frame, Message

__all__ = ["Frame", "Message"]
