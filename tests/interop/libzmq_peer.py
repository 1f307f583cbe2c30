"""A libzmq peer in its own process, for interop tests that kill and restart it.

usage: libzmq_peer.py pull|rep|pub ENDPOINT

Binds a PULL, REP or PUB socket (python3-zmq, i.e. libzmq) at ENDPOINT and prints
"bound <endpoint>". A PULL then prints "got <part>|<part>..." for every message; a REP
answers every request with its parts reversed; a PUB publishes "A-<pid>-<n>" and
"B-<pid>-<n>" every 20 ms, <pid> being its process id (a test tells a restarted publisher's
messages from its predecessor's by it). Exits when stdin reaches end-of-file (the test process went away) or on a signal.
"""
import os
import sys

import zmq


def main():
    mode, endpoint = sys.argv[1], sys.argv[2]
    ctx = zmq.Context()
    sock = ctx.socket({"pull": zmq.PULL, "rep": zmq.REP, "pub": zmq.PUB}[mode])
    sock.linger = 0
    sock.bind(endpoint)
    print("bound " + sock.getsockopt_string(zmq.LAST_ENDPOINT), flush=True)

    poller = zmq.Poller()
    if mode != "pub":
        poller.register(sock, zmq.POLLIN)
    poller.register(sys.stdin.fileno(), zmq.POLLIN)
    ticks = 0
    while True:
        ready = poller.poll(20 if mode == "pub" else None)
        if mode == "pub":
            ticks += 1
            sock.send(b"A-%d-%d" % (os.getpid(), ticks))
            sock.send(b"B-%d-%d" % (os.getpid(), ticks))
        for item, _ in ready:
            if item is sock:
                parts = sock.recv_multipart()
                if mode == "pull":
                    print("got " + "|".join(p.decode("latin-1") for p in parts), flush=True)
                else:
                    sock.send_multipart(list(reversed(parts)))
            elif not sys.stdin.buffer.read1(4096):
                sock.close()
                ctx.term()
                return


if __name__ == "__main__":
    main()
