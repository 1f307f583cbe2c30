"""zmq.sugar.version: version functions and the pyzmq API level's numbers.

VERSION_MAJOR/MINOR/PATCH are the pyzmq API level this package follows (what
pyzmq_version_info() says, 24.0.1); __version__ is ringmq's own version (ringmq.__version__).
No development suffix: VERSION_EXTRA is empty and version_info has three numbers.
"""

from typing import Tuple

from ringmq import __version__, pyzmq_version, pyzmq_version_info, zmq_version, zmq_version_info

VERSION_MAJOR, VERSION_MINOR, VERSION_PATCH = pyzmq_version_info()
VERSION_EXTRA = ""
version_info: Tuple[int, int, int] = (VERSION_MAJOR, VERSION_MINOR, VERSION_PATCH)
__revision__ = ""

__all__ = ["zmq_version", "zmq_version_info", "pyzmq_version", "pyzmq_version_info", "__version__",
           "__revision__"]
