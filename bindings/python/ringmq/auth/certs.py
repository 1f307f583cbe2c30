"""CURVE certificate files in czmq's zcert format (pyzmq's zmq.auth.certs)."""

import os
from typing import Dict, Optional, Tuple, Union

from ringmq import _core

PathLike = Union[str, "os.PathLike[str]"]


def create_certificates(key_dir: PathLike, name: str, metadata: Optional[Dict[str, str]] = None) -> Tuple[str, str]:
    """Writes a new key pair as <name>.key (public) and <name>.key_secret (both keys, mode
    0600) in `key_dir`; returns the two paths."""
    return _core.create_certificates(os.fspath(key_dir), name, metadata or {})  # type: ignore[no-any-return]


def load_certificate(filename: PathLike) -> Tuple[bytes, Optional[bytes]]:
    """(public_key, secret_key or None) of a certificate file, as Z85 bytes."""
    return _core.load_certificate(os.fspath(filename))  # type: ignore[no-any-return]


def load_certificates(directory: PathLike = ".") -> Dict[bytes, bool]:
    """{public_key: True} for every *.key file in `directory`."""
    return _core.load_certificates(os.fspath(directory))  # type: ignore[no-any-return]


__all__ = ["create_certificates", "load_certificate", "load_certificates"]
