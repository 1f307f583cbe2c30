"""AsyncioAuthenticator (pyzmq's zmq.auth.asyncio): the same handler, which never needs the
event loop since it answers on a thread of its own."""

from typing import Any, Optional

from ringmq.auth.base import Authenticator


class AsyncioAuthenticator(Authenticator):
    """ZAP authentication for asyncio programs."""

    def __init__(self, context: Any = None, loop: Optional[Any] = None, **kwargs: Any) -> None:
        super().__init__(context, **kwargs)


__all__ = ["AsyncioAuthenticator"]
