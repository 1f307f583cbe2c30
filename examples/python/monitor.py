"""Socket monitor: a socket reports its connection events (pyzmq's get_monitor_socket and
zmq.utils.monitor). A client connects to a server, exchanges one message, and the server
goes away: the client's monitor shows the connection being made, the ZMTP handshake
finishing, the peer disconnecting and the client trying again.
"""
import sys

import ringmq as zmq
from ringmq.utils.monitor import recv_monitor_message


def print_until(events: zmq.Socket, wanted: int) -> bool:
    """Prints events until one of type `wanted` (True), or none arrives for 10 s (False)."""
    while True:
        try:
            event = recv_monitor_message(events)
        except zmq.Again:
            return False
        name = zmq.Event(event["event"]).name
        print(f"client monitor: {name:<25} value {event['value']:<5} {event['endpoint'].decode()}")
        if event["event"] == wanted:
            return True


def main() -> int:
    ctx = zmq.Context()
    server = ctx.socket(zmq.PAIR)
    server.bind("tcp://127.0.0.1:*")  # "*": the kernel picks a free port
    endpoint = server.getsockopt_string(zmq.LAST_ENDPOINT)

    client = ctx.socket(zmq.PAIR)
    events = client.get_monitor_socket()  # before connecting, so that no event is missed
    events.rcvtimeo = 10_000
    client.connect(endpoint)

    ok = print_until(events, zmq.EVENT_HANDSHAKE_SUCCEEDED)
    client.send(b"ping")
    ok = ok and server.recv() == b"ping"
    server.close()  # the client sees its peer disconnect, then retries
    ok = ok and print_until(events, zmq.EVENT_DISCONNECTED)
    ok = ok and print_until(events, zmq.EVENT_CONNECT_RETRIED)
    client.disable_monitor()
    ctx.destroy(linger=0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
