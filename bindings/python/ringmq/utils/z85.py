"""Z85 (rfc 32) text encoding of binary data, as used for CURVE keys."""

from typing import Union

from ringmq import _core


def encode(rawbytes: bytes) -> bytes:
    """Z85 text of `rawbytes` (length a multiple of 4); ValueError otherwise."""
    return _core.z85_encode(rawbytes)  # type: ignore[no-any-return]


def decode(z85bytes: Union[bytes, str]) -> bytes:
    """The bytes of Z85 text (length a multiple of 5); ValueError otherwise."""
    return _core.z85_decode(z85bytes)  # type: ignore[no-any-return]


__all__ = ["encode", "decode"]
