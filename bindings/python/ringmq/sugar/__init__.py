"""pyzmq's zmq.sugar: the module names programs reach into (``from zmq.sugar.socket import
Socket``, ``zmq.sugar.version``). Each submodule re-exports ringmq's own objects under
pyzmq's module layout; nothing here is a second implementation."""

from ringmq.error import *  # noqa: F401,F403
from ringmq.error import __all__ as _error_all
from ringmq.sugar import attrsettr, context, frame, poll, socket, tracker, version  # noqa: F401
from ringmq.sugar.context import *  # noqa: F401,F403
from ringmq.sugar.frame import *  # noqa: F401,F403
from ringmq.sugar.poll import *  # noqa: F401,F403
from ringmq.sugar.socket import *  # noqa: F401,F403
from ringmq.sugar.tracker import *  # noqa: F401,F403
from ringmq.sugar.version import *  # noqa: F401,F403

__all__ = list(_error_all)
for _module in (context, frame, poll, socket, tracker, version):
    __all__.extend(_module.__all__)
