"""Monitor events as dicts (pyzmq's zmq.utils.monitor)."""

import struct
from typing import Any, Awaitable, Dict, List, Union

from ringmq.constants import Event

MonitorMessage = Dict[str, Any]


def parse_monitor_message(msg: List[bytes]) -> MonitorMessage:
    """Decodes libzmq's two-frame monitor message: {'event', 'value', 'endpoint'}."""
    if len(msg) != 2 or len(msg[0]) != 6:
        raise RuntimeError(f"Invalid event message format: {msg!r}")
    event_id, value = struct.unpack("=Hi", bytes(msg[0]))
    return {"event": Event(event_id), "value": value, "endpoint": bytes(msg[1])}


async def _parse_async(awaitable: Awaitable[List[bytes]]) -> MonitorMessage:
    return parse_monitor_message(await awaitable)


def recv_monitor_message(socket: Any, flags: int = 0) -> Union[MonitorMessage, Awaitable[MonitorMessage]]:
    """The next event of a monitor socket as a dict (awaitable for an asyncio one).

    With a ringmq monitor socket the dict also has 'peer_address' and 'dropped_before'; any
    other socket (a pyzmq PAIR monitor socket, say) is read as libzmq's two frames.
    """
    recv_event = getattr(socket, "recv_event", None)
    if recv_event is not None:
        return recv_event(flags)  # type: ignore[no-any-return]
    msg = socket.recv_multipart(flags)
    if hasattr(msg, "__await__"):
        return _parse_async(msg)
    return parse_monitor_message(msg)


__all__ = ["parse_monitor_message", "recv_monitor_message"]
