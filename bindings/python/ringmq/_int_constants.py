"""ringmq.constants as plain ints, for the package's own per-message code.

``events & POLLIN`` with an IntFlag member runs the enum's Python-level operator (about 35
times an int's cost), so the hot paths (send/recv wrappers, Poller, asyncio, ZMQStream)
import their constants from here. The values are the same as ringmq.constants'.
"""

from ringmq.constants import _values

globals().update({name: int(value) for name, value in _values.items()})
