"""One end of a mixed pair for mixed_test.py: pyzmq in this process, on whichever libzmq.so.5
the dynamic loader gave it (the test runs it with LD_LIBRARY_PATH=<build>/capi: ringmq's).

usage: mixed_peer.py <role> <endpoint> <count> [curve keys...]
  rep-bind / rep-connect     answer <count> requests (each echoed with a suffix)
  req-bind / req-connect     send <count> multipart requests and check the answers
  pub-bind                   publish "topic n" until told to stop on stdin
  pull-bind                  receive <count> messages, print their sum
Curve: "server <secret>" or "client <server public> <public> <secret>".
Prints the libzmq it loaded, then (for *-bind) the endpoint it bound, then "done".
"""
import sys

import zmq


def loaded_libzmq():
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "libzmq.so" in line:
                return line.split()[-1]
    return "?"


def main():
    role, endpoint, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    curve = sys.argv[4:]
    print("lib", loaded_libzmq(), flush=True)
    ctx = zmq.Context()
    kind = {"rep": zmq.REP, "req": zmq.REQ, "pub": zmq.PUB, "pull": zmq.PULL}[role.split("-")[0]]
    s = ctx.socket(kind)
    s.linger = 1000
    s.rcvtimeo = 10000
    s.sndtimeo = 10000
    if curve and curve[0] == "server":
        s.curve_server = True
        s.curve_secretkey = curve[1].encode()
    elif curve and curve[0] == "client":
        s.curve_serverkey, s.curve_publickey, s.curve_secretkey = (k.encode() for k in curve[1:4])
    if role.endswith("bind"):
        s.bind(endpoint)
        print("endpoint", s.last_endpoint.decode(), flush=True)
    else:
        s.connect(endpoint)

    if kind == zmq.REP:
        for _ in range(count):
            parts = s.recv_multipart()
            s.send_multipart(parts + [b"from " + role.encode()])
    elif kind == zmq.REQ:
        for i in range(count):
            s.send_multipart([b"request", str(i).encode()])
            reply = s.recv_multipart()
            assert reply[:2] == [b"request", str(i).encode()], reply
    elif kind == zmq.PUB:
        poller = zmq.Poller()
        poller.register(sys.stdin.fileno(), zmq.POLLIN)
        n = 0
        while not poller.poll(1):
            s.send_multipart([b"topic", str(n).encode()])
            n += 1
    elif kind == zmq.PULL:
        total = 0
        for _ in range(count):
            total += int(s.recv())
        print("sum", total, flush=True)
    s.close()
    ctx.term()
    print("done", flush=True)


if __name__ == "__main__":
    main()
