"""JSON to and from UTF-8 bytes (pyzmq's zmq.utils.jsonapi), on the standard library's json."""

import json
from typing import Any, Union

# pyzmq keeps this name for programs that reached for the JSON module it picked.
jsonmod = json


def dumps(o: Any, **kwargs: Any) -> bytes:
    """`o` as JSON in UTF-8 bytes; keyword arguments go to json.dumps."""
    return json.dumps(o, **kwargs).encode("utf8")


def loads(s: Union[bytes, bytearray, memoryview, str], **kwargs: Any) -> Any:
    """The object a JSON text (bytes are read as UTF-8) holds; keyword arguments go to json.loads."""
    if not isinstance(s, str):
        s = bytes(s).decode("utf8")
    return json.loads(s, **kwargs)


__all__ = ["dumps", "loads"]
