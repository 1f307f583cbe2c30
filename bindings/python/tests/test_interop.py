"""ringmq sockets talking to pyzmq (libzmq 4.3) sockets over tcp and ipc: every compatible
socket pair, with ringmq on either side, binding or connecting; and CURVE between the two
libraries in both roles, including a client with the wrong server key being refused."""

import pytest

import ringmq
from _patterns import PAIRS, pair_id
from conftest import Deadline, connect_pair, recv_within, wait_event

zmq = pytest.importorskip("zmq", reason="python3-zmq (the pyzmq interop peer) is not installed")


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
@pytest.mark.parametrize("ringmq_side", ["first", "second"])
@pytest.mark.parametrize("pair", list(PAIRS), ids=pair_id)
def test_pattern_with_pyzmq(ctx, pyzmq_ctx, ipc_dir, pair, ringmq_side, transport):
    exchange, setup = PAIRS[pair]
    first_ctx, second_ctx = (ctx, pyzmq_ctx) if ringmq_side == "first" else (pyzmq_ctx, ctx)
    a = first_ctx.socket(pair[0])
    b = second_ctx.socket(pair[1])
    try:
        if setup:
            setup(a, b)
        connect_pair(a, b, transport, ipc_dir)  # the first type binds
        exchange(a, b)
    finally:
        a.close(linger=0)
        b.close(linger=0)


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_pyzmq_binds_ringmq_connects(ctx, pyzmq_ctx, ipc_dir, transport):
    # The other direction of connecting, for the pattern most programs start with.
    a = pyzmq_ctx.socket(zmq.DEALER)
    b = ctx.socket(ringmq.ROUTER)
    try:
        connect_pair(a, b, transport, ipc_dir, watch=b)
        PAIRS[(ringmq.DEALER, ringmq.ROUTER)][0](a, b)
    finally:
        a.close(linger=0)
        b.close(linger=0)


def test_large_and_many_part_messages_with_pyzmq(ctx, pyzmq_ctx, ipc_dir):
    a = ctx.socket(ringmq.DEALER)
    b = pyzmq_ctx.socket(zmq.DEALER)
    try:
        connect_pair(a, b, "tcp", ipc_dir)
        big = bytes(range(256)) * 4096  # 1 MiB: several reads on the receiving side
        parts = [b"", b"x" * 255, b"y" * 256, big] + [b"%d" % i for i in range(100)]
        a.send_multipart(parts, copy=False)
        assert recv_within(b, multipart=True) == parts
        b.send_multipart(parts)
        assert recv_within(a, multipart=True) == parts
    finally:
        a.close(linger=0)
        b.close(linger=0)


# ---- CURVE ------------------------------------------------------------------------------------


def _curve_server(sock, secret):
    sock.curve_server = True
    sock.curve_secretkey = secret


def _curve_client(sock, server_public):
    public, secret = ringmq.curve_keypair()
    sock.curve_serverkey = server_public
    sock.curve_publickey = public
    sock.curve_secretkey = secret
    return public


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
@pytest.mark.parametrize("server_lib", ["ringmq", "pyzmq"])
def test_curve_with_pyzmq(ctx, pyzmq_ctx, ipc_dir, server_lib, transport):
    server_public, server_secret = ringmq.curve_keypair()
    server_ctx, client_ctx = (ctx, pyzmq_ctx) if server_lib == "ringmq" else (pyzmq_ctx, ctx)
    server = server_ctx.socket(zmq.REP)
    client = client_ctx.socket(zmq.REQ)
    try:
        _curve_server(server, server_secret)
        _curve_client(client, server_public)
        connect_pair(server, client, transport, ipc_dir)
        client.send(b"secret question")
        assert recv_within(server) == b"secret question"
        server.send(b"secret answer")
        assert recv_within(client) == b"secret answer"
        ours = server if server_lib == "ringmq" else client
        assert ours.mechanism == ringmq.CURVE
    finally:
        server.close(linger=0)
        client.close(linger=0)


@pytest.mark.parametrize("server_lib", ["ringmq", "pyzmq"])
def test_curve_wrong_server_key_is_refused(ctx, pyzmq_ctx, ipc_dir, server_lib):
    _, server_secret = ringmq.curve_keypair()
    wrong_public, _ = ringmq.curve_keypair()
    server_ctx, client_ctx = (ctx, pyzmq_ctx) if server_lib == "ringmq" else (pyzmq_ctx, ctx)
    server = server_ctx.socket(zmq.PULL)
    client = client_ctx.socket(zmq.PUSH)
    server_mon = server.get_monitor_socket()
    try:
        _curve_server(server, server_secret)
        _curve_client(client, wrong_public)
        server.bind("tcp://127.0.0.1:*")
        client.connect(server.getsockopt(zmq.LAST_ENDPOINT).decode())
        client.send(b"must not arrive")  # queued for the connection being set up
        # The server cannot open the client's HELLO: it reports a failed handshake.
        deadline = Deadline()
        failures = (zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL, zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL)
        while True:
            assert not deadline.passed(), "the server never refused the client"
            if server_lib == "ringmq":
                event = server_mon.recv_event(timeout=deadline.left_ms())
            else:
                assert server_mon.poll(deadline.left_ms()), "no monitor event"
                from zmq.utils.monitor import recv_monitor_message
                event = recv_monitor_message(server_mon)
            assert event["event"] != zmq.EVENT_HANDSHAKE_SUCCEEDED
            if event["event"] in failures:
                break
        # The queued message never crosses a connection whose handshake failed.
        assert server.poll(200) == 0
    finally:
        server.disable_monitor()
        server.close(linger=0)
        client.close(linger=0)


def test_ringmq_authenticator_refuses_unknown_pyzmq_client(ctx, pyzmq_ctx):
    from ringmq.auth import ThreadAuthenticator

    server_public, server_secret = ringmq.curve_keypair()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    try:
        server = ctx.socket(ringmq.PULL)
        _curve_server(server, server_secret)
        mon = server.get_monitor_socket()
        server.bind("tcp://127.0.0.1:*")
        endpoint = server.last_endpoint.decode()

        allowed = pyzmq_ctx.socket(zmq.PUSH)
        allowed_key = _curve_client(allowed, server_public)
        auth.allow_curve_keys("*", [allowed_key])
        stranger = pyzmq_ctx.socket(zmq.PUSH)
        _curve_client(stranger, server_public)
        stranger_mon = stranger.get_monitor_socket()
        stranger.connect(endpoint)
        from zmq.utils.monitor import recv_monitor_message

        deadline = Deadline()
        while True:
            assert stranger_mon.poll(deadline.left_ms()), "the stranger was never refused"
            event = recv_monitor_message(stranger_mon)
            assert event["event"] != zmq.EVENT_HANDSHAKE_SUCCEEDED
            if event["event"] == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
                assert event["value"] == 400
                break
        allowed.connect(endpoint)
        wait_event(mon, ringmq.EVENT_HANDSHAKE_SUCCEEDED)
        allowed.send(b"let in")
        frame = server.recv(copy=False) if server.poll(20000) else None
        assert frame is not None and frame.bytes == b"let in"
        assert frame.get("User-Id") == allowed_key.decode()
        requests, accepted = auth.stats()
        assert accepted >= 1 and requests >= 2
        stranger.disable_monitor()
        for s in (allowed, stranger):
            s.close(linger=0)
    finally:
        auth.stop()
