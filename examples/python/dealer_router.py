"""DEALER/ROUTER: asynchronous request/reply. A ROUTER receives each message with the
sender's routing id as its first part and sends a reply to whichever peer a routing id
names; DEALERs send without waiting for replies. Two clients with routing ids of their own
each send three requests at once, and the server answers them last request first, which
REQ/REP could not do.
"""
import sys

import ringmq as zmq


def main() -> int:
    ctx = zmq.Context()
    server = ctx.socket(zmq.ROUTER)
    server.bind("tcp://127.0.0.1:*")  # "*": the kernel picks a free port
    endpoint = server.getsockopt_string(zmq.LAST_ENDPOINT)

    clients = {}
    for name in (b"alice", b"bob"):
        client = ctx.socket(zmq.DEALER)
        client.setsockopt(zmq.ROUTING_ID, name)  # otherwise the ROUTER makes one up
        client.connect(endpoint)
        for i in range(1, 4):
            client.send(b"%s request %d" % (name, i))
        clients[name] = client

    pending = {}
    for _ in range(6):
        routing_id, body = server.recv_multipart()
        pending.setdefault(routing_id, []).append(body)
    for routing_id, requests in pending.items():
        for body in reversed(requests):
            server.send_multipart([routing_id, b"re: " + body])

    ok = True
    for name, client in clients.items():
        for _ in range(3):
            reply = client.recv()
            print(f"{name.decode():<5} got {reply.decode()!r}")
            ok = ok and reply.startswith(b"re: " + name)  # only its own replies
    ctx.destroy(linger=0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
