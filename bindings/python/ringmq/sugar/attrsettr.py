"""zmq.sugar.attrsettr: the mixin that maps option attributes to get/set (ringmq._options)."""

from ringmq._options import OptionAttributes as AttributeSetter
from ringmq._options import OptionValue as OptValT

__all__ = ["AttributeSetter", "OptValT"]
