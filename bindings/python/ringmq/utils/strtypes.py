"""pyzmq's zmq.utils.strtypes (deprecated there since pyzmq 23): str/bytes casts."""

import warnings
from typing import Union

bytes = bytes  # noqa: A001 - re-exported names of pyzmq's module
unicode = str
basestring = (str,)


def _deprecated() -> None:
    warnings.warn("zmq.utils.strtypes is deprecated in pyzmq 23.", DeprecationWarning, stacklevel=3)


def cast_bytes(s: Union[str, bytes], encoding: str = "utf8", errors: str = "strict") -> bytes:
    """`s` as bytes (str is encoded); TypeError for anything else."""
    _deprecated()
    if isinstance(s, bytes):
        return s
    if isinstance(s, str):
        return s.encode(encoding, errors)
    raise TypeError(f"Expected unicode or bytes, got {s!r}")


def cast_unicode(s: Union[str, bytes], encoding: str = "utf8", errors: str = "strict") -> str:
    """`s` as str (bytes are decoded); TypeError for anything else."""
    _deprecated()
    if isinstance(s, bytes):
        return s.decode(encoding, errors)
    if isinstance(s, str):
        return s
    raise TypeError(f"Expected unicode or bytes, got {s!r}")


b = asbytes = cast_bytes
u = cast_unicode

__all__ = ["asbytes", "bytes", "unicode", "basestring", "b", "u", "cast_bytes", "cast_unicode"]
