"""Request/reply: a REP server answers each request of a REQ client. REQ strictly
alternates send and recv, and REP answers the peer the request came from, so neither side
handles addresses. Over tcp on loopback, with the server on its own thread.
"""
import sys
import threading

import ringmq as zmq


def serve(server: zmq.Socket) -> None:
    """Upper-cases each request until b"quit"."""
    while (request := server.recv()) != b"quit":
        server.send(request.upper())
    server.send(b"bye")


def main() -> int:
    ctx = zmq.Context()
    server = ctx.socket(zmq.REP)
    server.bind("tcp://127.0.0.1:*")  # "*": the kernel picks a free port
    endpoint = server.getsockopt_string(zmq.LAST_ENDPOINT)
    thread = threading.Thread(target=serve, args=(server,))
    thread.start()

    client = ctx.socket(zmq.REQ)
    client.connect(endpoint)  # may complete later: the first send waits for the connection
    replies = []
    for request in (b"hello", b"ringmq", b"quit"):
        client.send(request)
        replies.append(client.recv())
        print(f"client: sent {request.decode()!r}, got {replies[-1].decode()!r} (over {endpoint})")
    thread.join()
    ctx.destroy(linger=0)
    return 0 if replies == [b"HELLO", b"RINGMQ", b"bye"] else 1


if __name__ == "__main__":
    sys.exit(main())
