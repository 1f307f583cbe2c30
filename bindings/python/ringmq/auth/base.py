"""The authenticator policy (pyzmq's zmq.auth.Authenticator), run by ringmq's built-in ZAP
handler on a thread of its own.

Policy: with an allow list only listed peer addresses get further, with a deny list listed
addresses are refused (one or the other); NULL is accepted unless the address was refused;
PLAIN checks configure_plain()'s passwords for the ZAP domain ("*" when none); CURVE accepts
any key after configure_curve(location=CURVE_ALLOW_ANY), else the keys of the domain's
certificate directory or what configure_curve_callback's provider allows. Changes apply to
connections authenticated afterwards.
"""

import logging
import os
import weakref
from typing import Any, Dict, List, Optional, Tuple, Union

import ringmq
from ringmq import _core
from ringmq.utils import z85

CURVE_ALLOW_ANY = "*"


class Authenticator:
    """ZAP handler for one context. Configure before or after start(); stop() to end it."""

    def __init__(self, context: Optional["ringmq.Context[Any]"] = None, encoding: str = "utf-8",
                 log: Any = None) -> None:
        self.context = context or ringmq.Context.instance()
        self.encoding = encoding
        self.log = log or logging.getLogger("ringmq.auth")
        self._handler: Any = None
        # Settings, replayed by start(): (method name, arguments).
        self._settings: List[Tuple[str, Tuple[Any, ...]]] = []
        self._mode: Optional[str] = None  # "allow" or "deny"
        self.allow_any = False

    def start(self) -> None:
        """Binds the handler at inproc://zeromq.zap.01 of the context and starts answering.
        Raises ZMQError(EADDRINUSE) if another handler is bound there."""
        if self._handler is not None:
            return
        self._handler = _core.Authenticator(self.context)
        for name, args in self._settings:
            getattr(self._handler, name)(*args)
        if self.__dict__.get("_curve_user_id") is not None or type(self).curve_user_id is not Authenticator.curve_user_id:
            self._install_curve_user_id()

    def _install_curve_user_id(self) -> None:
        # Weak: the handler (owned by self) must not keep self alive through its callback.
        me = weakref.ref(self)

        def user_id(key: bytes) -> str:
            auth = me()
            return z85.encode(key).decode("ascii") if auth is None else auth.curve_user_id(key)

        self._handler.set_curve_user_id(user_id)

    def _default_curve_user_id(self, client_public_key: bytes) -> str:
        return z85.encode(client_public_key).decode("ascii")

    @property
    def curve_user_id(self) -> Any:
        """`curve_user_id(client_public_key)`: the User-Id (str) that messages from an accepted
        CURVE client carry; by default the key's Z85 text. Assign a function, or override the
        method in a subclass, to map keys to names, as in pyzmq. It runs on the
        authenticator's thread; if it raises, the client is refused."""
        return self.__dict__.get("_curve_user_id") or self._default_curve_user_id

    @curve_user_id.setter
    def curve_user_id(self, map: Any) -> None:
        self.__dict__["_curve_user_id"] = map
        if self._handler is not None:
            self._install_curve_user_id()

    def stop(self) -> None:
        """Stops answering; CURVE servers then accept any client that knows their key, PLAIN
        servers refuse everyone."""
        handler, self._handler = self._handler, None
        if handler is not None:
            handler.stop()

    def is_alive(self) -> bool:
        return self._handler is not None and self._handler.running

    def _apply(self, name: str, *args: Any) -> None:
        self._settings.append((name, args))
        if self._handler is not None:
            getattr(self._handler, name)(*args)

    def allow(self, *addresses: str) -> None:
        """Accept only these peer addresses ("127.0.0.1"; for ipc, the socket path)."""
        if self._mode == "deny":
            raise ValueError("Only use a whitelist or a blacklist, not both")
        self._mode = "allow"
        for address in addresses:
            self._apply("allow", address)

    def deny(self, *addresses: str) -> None:
        """Refuse these peer addresses."""
        if self._mode == "allow":
            raise ValueError("Only use a whitelist or a blacklist, not both")
        self._mode = "deny"
        for address in addresses:
            self._apply("deny", address)

    def configure_plain(self, domain: str = "*", passwords: Optional[Dict[str, str]] = None) -> None:
        """PLAIN: the username -> password table of `domain`."""
        self._apply("configure_plain", domain, dict(passwords or {}))

    def configure_curve(self, domain: str = "*", location: Union[str, "os.PathLike[str]"] = ".") -> None:
        """CURVE: `location` is a directory of certificates (*.key, read now: call again after
        changing it) or CURVE_ALLOW_ANY."""
        location = os.fspath(location)
        self.allow_any = location == CURVE_ALLOW_ANY
        self._apply("configure_curve", domain, location)

    def configure_curve_callback(self, domain: str = "*", credentials_provider: Any = None) -> None:
        """CURVE: `credentials_provider.callback(domain, z85_key)` decides (True accepts). It
        runs on the authenticator's thread."""
        if credentials_provider is None:
            self.log.error("None credentials_provider provided for domain:%s", domain)
            return
        self.allow_any = False
        self._apply("configure_curve_callback", domain, credentials_provider.callback)

    def allow_curve_keys(self, domain: str, public_keys: List[Union[str, bytes]]) -> None:
        """CURVE (ringmq): accept these client public keys (Z85) in `domain`."""
        keys = [k.decode("ascii") if isinstance(k, bytes) else k for k in public_keys]
        self._apply("allow_curve_keys", domain, keys)

    def configure_gssapi(self, domain: str = "*", location: Optional[str] = None) -> None:
        """GSSAPI is not implemented; accepted and ignored, as pyzmq does."""

    def stats(self) -> Tuple[int, int]:
        """(requests answered, requests accepted) since start()."""
        return (0, 0) if self._handler is None else self._handler.stats()  # type: ignore[no-any-return]

    def __del__(self) -> None:
        try:
            self.stop()
        except Exception:
            pass


__all__ = ["Authenticator", "CURVE_ALLOW_ANY"]
