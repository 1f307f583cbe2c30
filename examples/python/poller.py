"""Poller: one thread waits on several sockets and plain file descriptors at once and serves
whichever is ready. Two producers feed a "high" and a "low" PULL queue over tcp, and a third
thread signals through a pipe, the way another library would wake a ringmq loop.
"""
import os
import sys
import threading

import ringmq as zmq


def produce(ctx: zmq.Context, endpoint: str, name: str) -> None:
    """Sends three numbered messages, then b"done"."""
    out = ctx.socket(zmq.PUSH)
    out.connect(endpoint)
    for i in range(1, 4):
        out.send_string(f"{name} {i}")
    out.send(b"done")
    out.close()


def main() -> int:
    ctx = zmq.Context()
    queues = {}
    for name in ("high", "low"):
        sock = ctx.socket(zmq.PULL)
        sock.bind("tcp://127.0.0.1:*")  # "*": the kernel picks a free port
        queues[sock] = name
    read_fd, write_fd = os.pipe()

    endpoints = [s.getsockopt_string(zmq.LAST_ENDPOINT) for s in queues]
    threads = [
        threading.Thread(target=produce, args=(ctx, endpoints[0], "urgent")),
        threading.Thread(target=produce, args=(ctx, endpoints[1], "routine")),
        threading.Thread(target=os.write, args=(write_fd, b"!")),
    ]
    for t in threads:
        t.start()

    poller = zmq.Poller()
    for sock in queues:
        poller.register(sock, zmq.POLLIN)
    poller.register(read_fd, zmq.POLLIN)

    messages, open_queues, signalled = 0, 2, False
    while open_queues or not signalled:
        ready = dict(poller.poll(timeout=10_000))
        if not ready:
            break  # nothing for 10 s: something is wrong
        if read_fd in ready:
            os.read(read_fd, 1)
            print("poller: the pipe was signalled")
            signalled = True
            poller.unregister(read_fd)
        for sock, name in queues.items():
            if sock in ready:
                text = sock.recv_string()
                if text == "done":
                    print(f"poller: {name} queue done")
                    open_queues -= 1
                else:
                    print(f"poller: {name:<4} queue: {text}")
                    messages += 1
    for t in threads:
        t.join()
    os.close(read_fd)
    os.close(write_fd)
    print(f"poller: {messages} messages from 2 queues, pipe signalled: {signalled}")
    ctx.destroy(linger=0)
    return 0 if messages == 6 and open_queues == 0 and signalled else 1


if __name__ == "__main__":
    sys.exit(main())
