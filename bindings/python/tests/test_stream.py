"""STREAM sockets from Python: raw tcp peers (a plain socket here, pyzmq's STREAM there),
[routing id, data] messages, connect/disconnect notifications and close by empty frame."""

import socket

import ringmq
from conftest import DEADLINE


def _stream(ctx: ringmq.Context) -> ringmq.Socket:
    s = ctx.socket(ringmq.STREAM)
    s.rcvtimeo = int(DEADLINE * 1000)
    s.linger = 1000
    return s


def test_stream_serves_a_plain_tcp_client(ctx):
    server = _stream(ctx)
    server.bind("tcp://127.0.0.1:*")
    port = int(server.last_endpoint.decode().rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as client:
        rid, empty = server.recv_multipart()
        assert len(rid) == 5 and rid[0] == 0 and empty == b""
        client.sendall(b"ping")
        assert server.recv_multipart() == [rid, b"ping"]
        server.send_multipart([rid, b"pong"])
        server.send_multipart([rid, b""])  # closes it once "pong" is written
        got = b""
        while True:
            chunk = client.recv(64)
            if not chunk:
                break
            got += chunk
        assert got == b"pong"


def test_stream_notify_off_and_unknown_ids(ctx):
    s = _stream(ctx)
    s.setsockopt(ringmq.STREAM_NOTIFY, 0)
    s.bind("tcp://127.0.0.1:*")
    port = int(s.last_endpoint.decode().rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as client:
        client.sendall(b"first")
        rid, data = s.recv_multipart()
        assert data == b"first"
    try:
        s.send(b"nobody", ringmq.SNDMORE)
    except ringmq.ZMQError as e:
        assert e.errno == ringmq.EHOSTUNREACH
    else:
        raise AssertionError("an unknown routing id must be EHOSTUNREACH")


def test_stream_talks_to_a_pyzmq_stream(ctx, pyzmq_ctx):
    zmq = __import__("zmq")
    theirs = pyzmq_ctx.socket(zmq.STREAM)
    theirs.rcvtimeo = int(DEADLINE * 1000)
    theirs.bind("tcp://127.0.0.1:*")
    ours = _stream(ctx)
    ours.setsockopt(ringmq.CONNECT_ROUTING_ID, b"pyzmq")
    ours.connect(theirs.last_endpoint.decode())
    assert ours.recv_multipart() == [b"pyzmq", b""]
    their_id, empty = theirs.recv_multipart()
    assert empty == b""
    ours.send_multipart([b"pyzmq", b"hello"])
    assert theirs.recv_multipart() == [their_id, b"hello"]
    theirs.send_multipart([their_id, b"world"])
    assert ours.recv_multipart() == [b"pyzmq", b"world"]
