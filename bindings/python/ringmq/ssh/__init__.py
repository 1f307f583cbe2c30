"""pyzmq's zmq.ssh: reach a socket behind an ssh server through a local tunnel."""

from ringmq.ssh.tunnel import *  # noqa: F401,F403
from ringmq.ssh.tunnel import __all__  # noqa: F401
