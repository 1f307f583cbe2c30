"""ThreadAuthenticator (pyzmq's zmq.auth.thread): the authenticator on a background thread.

ringmq's handler always runs on a thread of its own, so this is the Authenticator itself.
"""

from ringmq.auth.base import Authenticator


class ThreadAuthenticator(Authenticator):
    """Run ZAP authentication in a background thread."""


__all__ = ["ThreadAuthenticator"]
