"""A program on ringmq's libzmq.so.5 and a program on real libzmq, in separate processes,
talking over tcp and ipc, with NULL and CURVE security, in both roles.

This process is pyzmq on Debian's libzmq (checked); the peer (mixed_peer.py) is pyzmq run with
LD_LIBRARY_PATH=$CAPI_DIR, so it loads ringmq's library (checked from its /proc/self/maps).
"""
import os
import subprocess
import sys
import tempfile

import pytest
import zmq

CAPI_DIR = os.environ["CAPI_DIR"]
PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mixed_peer.py")
COUNT = 200


def own_libzmq():
    with open("/proc/self/maps") as maps:
        return next(line.split()[-1] for line in maps if "libzmq.so" in line)


class Peer:
    """mixed_peer.py on ringmq's library."""

    def __init__(self, *args):
        env = dict(os.environ, LD_LIBRARY_PATH=CAPI_DIR)
        self.proc = subprocess.Popen([sys.executable, PEER, *map(str, args)], env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        kind, lib = self.proc.stdout.readline().split()
        assert kind == "lib"
        assert os.path.realpath(os.path.dirname(lib)) == os.path.realpath(CAPI_DIR), lib

    def line(self, key):
        words = self.proc.stdout.readline().split()
        assert words and words[0] == key, words
        return words[1] if len(words) > 1 else None

    def finish(self):
        self.proc.stdin.close()
        rest = self.proc.stdout.read()
        assert self.proc.wait(timeout=30) == 0, rest
        return rest


@pytest.fixture
def ctx():
    assert CAPI_DIR not in own_libzmq()  # this side is the real libzmq
    c = zmq.Context()
    yield c
    c.destroy(linger=0)


def endpoints():
    ipc_dir = tempfile.mkdtemp(prefix="ringmq-mixed-")
    return {"tcp": "tcp://127.0.0.1:*", "ipc": f"ipc://{ipc_dir}/peer"}


def curve_args(role):
    server_public, server_secret = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    server = ["server", server_secret.decode()]
    client = ["client", server_public.decode(), client_public.decode(), client_secret.decode()]
    return (server, client) if role == "server" else (client, server)


def configure(sock, args):
    if not args:
        return
    if args[0] == "server":
        sock.curve_server = True
        sock.curve_secretkey = args[1].encode()
    else:
        sock.curve_serverkey, sock.curve_publickey, sock.curve_secretkey = (k.encode() for k in args[1:4])


def timeouts(sock):
    sock.rcvtimeo = 10000
    sock.sndtimeo = 10000
    sock.linger = 0


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
@pytest.mark.parametrize("security", ["null", "curve"])
def test_ringmq_answers_libzmq(ctx, transport, security):
    peer_curve, own_curve = curve_args("server") if security == "curve" else ([], [])
    peer = Peer("rep-bind", endpoints()[transport], COUNT, *peer_curve)
    endpoint = peer.line("endpoint")
    req = ctx.socket(zmq.REQ)
    timeouts(req)
    configure(req, own_curve)
    req.connect(endpoint)
    for i in range(COUNT):
        req.send_multipart([b"hello", str(i).encode()])
        assert req.recv_multipart() == [b"hello", str(i).encode(), b"from rep-bind"]
    assert "done" in peer.finish()


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
@pytest.mark.parametrize("security", ["null", "curve"])
def test_libzmq_answers_ringmq(ctx, transport, security):
    own_curve, peer_curve = curve_args("server") if security == "curve" else ([], [])
    rep = ctx.socket(zmq.REP)
    timeouts(rep)
    configure(rep, own_curve)
    rep.bind(endpoints()[transport])
    peer = Peer("req-connect", rep.last_endpoint.decode(), COUNT, *peer_curve)
    for _ in range(COUNT):
        rep.send_multipart(rep.recv_multipart())
    assert "done" in peer.finish()


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_ringmq_publishes_to_libzmq(ctx, transport):
    peer = Peer("pub-bind", endpoints()[transport], 0)
    sub = ctx.socket(zmq.SUB)
    timeouts(sub)
    sub.subscribe(b"topic")
    sub.connect(peer.line("endpoint"))
    seen = [int(sub.recv_multipart()[1]) for _ in range(100)]
    assert seen == sorted(seen) and len(set(seen)) == 100  # in order, none twice
    assert "done" in peer.finish()


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_libzmq_pushes_to_ringmq(ctx, transport):
    # A CURVE PULL server on ringmq; the libzmq client knows its public key.
    public, secret = zmq.curve_keypair()
    peer = Peer("pull-bind", endpoints()[transport], COUNT, "server", secret.decode())
    push = ctx.socket(zmq.PUSH)
    timeouts(push)
    client_public, client_secret = zmq.curve_keypair()
    push.curve_serverkey, push.curve_publickey, push.curve_secretkey = public, client_public, client_secret
    push.connect(peer.line("endpoint"))
    for i in range(COUNT):
        push.send(str(i).encode())
    assert peer.line("sum") == str(sum(range(COUNT)))
    assert "done" in peer.finish()
