"""The monitor helper (events as dicts), Poller and select, Z85 and CURVE keys, certificate
files and the authenticator between ringmq sockets."""

import os
import socket as pysocket

import pytest

import ringmq
from ringmq.auth import CURVE_ALLOW_ANY, ThreadAuthenticator, create_certificates, load_certificate, load_certificates
from ringmq.utils import z85
from ringmq.utils.monitor import parse_monitor_message, recv_monitor_message
from conftest import DEADLINE, Deadline, recv_within, wait_event


# ---- monitor -----------------------------------------------------------------------------------


def test_monitor_events_as_dicts(ctx, ipc_dir):
    server = ctx.socket(ringmq.REP)
    mon = server.get_monitor_socket()
    assert server.get_monitor_socket() is mon
    server.bind(f"ipc://{ipc_dir}/mon.sock")
    event = recv_monitor_message(mon)
    assert event["event"] == ringmq.EVENT_LISTENING
    assert event["endpoint"] == f"ipc://{ipc_dir}/mon.sock".encode()
    assert set(event) >= {"event", "value", "endpoint"}
    client = ctx.socket(ringmq.REQ)
    client.connect(f"ipc://{ipc_dir}/mon.sock")
    accepted = wait_event(mon, ringmq.EVENT_ACCEPTED)
    assert accepted["value"] >= 0
    wait_event(mon, ringmq.EVENT_HANDSHAKE_SUCCEEDED)
    client.close(linger=0)
    wait_event(mon, ringmq.EVENT_DISCONNECTED)
    # libzmq's two-frame encoding, for code that parses monitor messages itself
    server.unbind(f"ipc://{ipc_dir}/mon.sock")
    frames = mon.recv_multipart() if mon.poll(int(DEADLINE * 1000)) else None
    parsed = parse_monitor_message(frames)
    assert parsed["event"] == ringmq.EVENT_CLOSED
    # As pyzmq's: disabling ends the stream with MONITOR_STOPPED, which the reader still gets.
    server.disable_monitor()
    assert recv_monitor_message(mon)["event"] == ringmq.EVENT_MONITOR_STOPPED
    mon.close()
    assert mon.closed


def test_monitor_iteration_ends_with_monitor_stopped(ctx):
    s = ctx.socket(ringmq.PUB)
    mon = s.get_monitor_socket(ringmq.EVENT_LISTENING | ringmq.EVENT_MONITOR_STOPPED)
    s.bind("tcp://127.0.0.1:*")
    mon.rcvtimeo = int(DEADLINE * 1000)
    events = []
    for event in mon:
        events.append(event["event"])
        if event["event"] == ringmq.EVENT_LISTENING:
            s._monitor_socket._monitor.stop()
    assert events == [ringmq.EVENT_LISTENING, ringmq.EVENT_MONITOR_STOPPED]


def test_monitor_timeout_and_dontwait(ctx):
    s = ctx.socket(ringmq.PUB)
    mon = s.get_monitor_socket()
    with pytest.raises(ringmq.Again):
        mon.recv_event(ringmq.DONTWAIT)
    with pytest.raises(ringmq.Again):
        mon.recv_event(timeout=10)
    assert mon.dropped == 0


# ---- poll --------------------------------------------------------------------------------------


def test_poller_register_modify_unregister(ctx):
    a = ctx.socket(ringmq.PAIR)
    b = ctx.socket(ringmq.PAIR)
    a.bind("inproc://poller")
    b.connect("inproc://poller")
    poller = ringmq.Poller()
    poller.register(b, ringmq.POLLIN)
    assert b in poller
    assert poller.poll(10) == []
    a.send(b"x")
    assert dict(poller.poll(int(DEADLINE * 1000))) == {b: ringmq.POLLIN}
    poller.modify(b, ringmq.POLLIN | ringmq.POLLOUT)
    assert dict(poller.poll(0)) == {b: ringmq.POLLIN | ringmq.POLLOUT}
    poller.unregister(b)
    assert b not in poller and poller.poll(0) == []
    with pytest.raises(KeyError):
        poller.unregister(b)
    poller.register(a, 0)  # flags 0 means "not registered"
    assert a not in poller


def test_poller_mixes_sockets_and_file_descriptors(ctx):
    s = ctx.socket(ringmq.PULL)
    s.bind("inproc://mixed")
    left, right = pysocket.socketpair()
    try:
        poller = ringmq.Poller()
        poller.register(s, ringmq.POLLIN)
        poller.register(left, ringmq.POLLIN)
        poller.register(right.fileno(), ringmq.POLLOUT)
        assert dict(poller.poll(int(DEADLINE * 1000))) == {right.fileno(): ringmq.POLLOUT}
        right.send(b"x")
        poller.unregister(right.fileno())
        # A raw object is reported by its fd number, as pyzmq's Poller does.
        assert dict(poller.poll(int(DEADLINE * 1000))) == {left.fileno(): ringmq.POLLIN}
        r, w, x = ringmq.select([s, left], [], [], DEADLINE)
        assert r == [left] and w == [] and x == []
    finally:
        left.close()
        right.close()


def test_socket_poll(ctx):
    a = ctx.socket(ringmq.PAIR)
    b = ctx.socket(ringmq.PAIR)
    a.bind("inproc://spoll")
    b.connect("inproc://spoll")
    assert b.poll(0) == 0
    assert b.poll(10, ringmq.POLLOUT) == ringmq.POLLOUT
    a.send(b"x")
    assert b.poll(int(DEADLINE * 1000)) == ringmq.POLLIN
    assert b.poll(None) == ringmq.POLLIN


# ---- Z85 and keys ------------------------------------------------------------------------------


def test_z85_rfc32_vector():
    raw = bytes([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
    assert z85.encode(raw) == b"HelloWorld"
    assert z85.decode(b"HelloWorld") == raw
    assert z85.decode("HelloWorld") == raw
    with pytest.raises(ValueError):
        z85.encode(b"abc")
    with pytest.raises(ValueError):
        z85.decode(b"abcd")


def test_curve_keys():
    public, secret = ringmq.curve_keypair()
    assert len(public) == len(secret) == 40
    assert ringmq.curve_public(secret) == public
    assert ringmq.curve_public(z85.decode(secret)) == public
    assert ringmq.curve_keypair() != (public, secret)
    with pytest.raises(ringmq.ZMQError):
        ringmq.curve_public(b"too short")
    zmq = pytest.importorskip("zmq")
    assert zmq.curve_public(secret) == public  # the same derivation as libzmq


def test_certificates(tmp_path):
    pub_file, sec_file = create_certificates(tmp_path, "server", metadata={"name": "test"})
    assert os.path.basename(pub_file) == "server.key" and os.path.basename(sec_file) == "server.key_secret"
    assert os.stat(sec_file).st_mode & 0o077 == 0
    public, secret = load_certificate(sec_file)
    assert ringmq.curve_public(secret) == public
    assert load_certificate(pub_file) == (public, None)
    assert load_certificates(tmp_path) == {public: True}
    zmq = pytest.importorskip("zmq")
    import zmq.auth

    assert zmq.auth.load_certificate(sec_file) == (public, secret)  # pyzmq reads our files
    zpub, _ = zmq.auth.create_certificates(str(tmp_path), "pyzmq")
    assert load_certificate(zpub)[0] == zmq.auth.load_certificate(zpub)[0]  # and we read its files
    with pytest.raises(OSError):
        load_certificate(tmp_path / "missing.key")


# ---- CURVE and the authenticator between ringmq sockets ----------------------------------------


def _curve_pair(ctx, server_secret, server_public, client_keys):
    server = ctx.socket(ringmq.PULL)
    server.curve_server = True
    server.curve_secretkey = server_secret
    client = ctx.socket(ringmq.PUSH)
    client.curve_serverkey = server_public
    client.curve_publickey, client.curve_secretkey = client_keys
    return server, client


def test_authenticator_curve_directory_and_refusal(ctx, tmp_path):
    server_public, server_secret = ringmq.curve_keypair()
    allowed_dir = tmp_path / "allowed"
    allowed_dir.mkdir()
    pub_file, sec_file = create_certificates(allowed_dir, "client")
    allowed_keys = load_certificate(sec_file)
    auth = ThreadAuthenticator(ctx)
    auth.start()
    try:
        auth.configure_curve(domain="*", location=allowed_dir)
        server, good = _curve_pair(ctx, server_secret, server_public, allowed_keys)
        server.bind("tcp://127.0.0.1:*")
        endpoint = server.last_endpoint.decode()
        _, bad = _curve_pair(ctx, server_secret, server_public, ringmq.curve_keypair())
        bad_mon = bad.get_monitor_socket()
        bad.connect(endpoint)
        event = wait_event(bad_mon, ringmq.EVENT_HANDSHAKE_FAILED_AUTH)
        assert event["value"] == 400
        good.connect(endpoint)
        good.send(b"welcome")
        frame = server.recv(copy=False) if server.poll(int(DEADLINE * 1000)) else pytest.fail("nothing")
        assert frame.bytes == b"welcome"
        assert frame["User-Id"] == allowed_keys[0].decode()
        # allow any key from now on
        auth.configure_curve(domain="*", location=CURVE_ALLOW_ANY)
        _, anyone = _curve_pair(ctx, server_secret, server_public, ringmq.curve_keypair())
        anyone.connect(endpoint)
        anyone.send(b"anyone")
        assert recv_within(server) == b"anyone"
    finally:
        auth.stop()
    assert not auth.is_alive()


def test_authenticator_callback_and_address_deny(ctx):
    server_public, server_secret = ringmq.curve_keypair()
    asked = []

    class Provider:
        def callback(self, domain, key):
            asked.append((domain, key))
            return False

    auth = ThreadAuthenticator(ctx)
    auth.configure_curve_callback("*", Provider())
    auth.start()
    try:
        server, client = _curve_pair(ctx, server_secret, server_public, ringmq.curve_keypair())
        server.bind("tcp://127.0.0.1:*")
        mon = client.get_monitor_socket()
        client.connect(server.last_endpoint.decode())
        wait_event(mon, ringmq.EVENT_HANDSHAKE_FAILED_AUTH)
        assert asked and asked[0][1] == client.curve_publickey
        client.disable_monitor()
    finally:
        auth.stop()

    auth = ThreadAuthenticator(ctx)
    auth.start()
    try:
        auth.deny("127.0.0.1")
        with pytest.raises(ValueError):
            auth.allow("127.0.0.1")
        server = ctx.socket(ringmq.PULL)
        server.zap_domain = b"global"  # NULL mechanism, but authenticated by address
        server.bind("tcp://127.0.0.1:*")
        client = ctx.socket(ringmq.PUSH)
        mon = client.get_monitor_socket()
        client.connect(server.last_endpoint.decode())
        wait_event(mon, ringmq.EVENT_HANDSHAKE_FAILED_AUTH)
    finally:
        auth.stop()


def test_plain_with_authenticator(ctx):
    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.configure_plain(domain="*", passwords={"admin": "secret"})
    try:
        server = ctx.socket(ringmq.PULL)
        server.plain_server = True
        server.bind("tcp://127.0.0.1:*")
        good = ctx.socket(ringmq.PUSH)
        good.plain_username = b"admin"
        good.plain_password = b"secret"
        bad = ctx.socket(ringmq.PUSH)
        bad.plain_username = b"admin"
        bad.plain_password = b"wrong"
        mon = bad.get_monitor_socket()
        bad.connect(server.last_endpoint.decode())
        wait_event(mon, ringmq.EVENT_HANDSHAKE_FAILED_AUTH)
        good.connect(server.last_endpoint.decode())
        good.send(b"plain")
        assert recv_within(server) == b"plain"
    finally:
        auth.stop()
