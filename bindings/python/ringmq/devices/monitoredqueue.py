"""monitored_queue: a queue between two sockets that publishes every message, prefixed by
the direction it went, on a third (pyzmq's zmq.devices.monitoredqueue)."""

from typing import List

from ringmq._int_constants import POLLIN, ROUTER
from ringmq.poll import Poller
from ringmq.socket import Socket


def _move(source: Socket, dest: Socket, mon: Socket, prefix: bytes, swap_ids: bool) -> None:
    msg: List[bytes] = source.recv_multipart()
    if swap_ids:
        # ROUTER to ROUTER: a message arrives as [sender, receiver, ...] and must leave as
        # [receiver, sender, ...] so the other ROUTER routes it and its receiver sees who
        # sent it (pyzmq's convention).
        msg[0], msg[1] = msg[1], msg[0]
    dest.send_multipart(msg)
    mon.send_multipart([prefix] + msg)


def monitored_queue(in_socket: Socket, out_socket: Socket, mon_socket: Socket, in_prefix: bytes = b"in",
                    out_prefix: bytes = b"out") -> None:
    """Moves messages both ways between in_socket and out_socket and copies each, after
    `in_prefix` or `out_prefix` (the side it arrived on), to mon_socket. Runs until the
    context is terminated (ContextTerminated). Unlike proxy(), ROUTER may be on both sides."""
    swap_ids = in_socket.type == ROUTER and out_socket.type == ROUTER
    poller = Poller()
    poller.register(in_socket, POLLIN)
    poller.register(out_socket, POLLIN)
    while True:
        ready = dict(poller.poll())
        if in_socket in ready:
            _move(in_socket, out_socket, mon_socket, in_prefix, swap_ids)
        if out_socket in ready:
            _move(out_socket, in_socket, mon_socket, out_prefix, swap_ids)


__all__ = ["monitored_queue"]
