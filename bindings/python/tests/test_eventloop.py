"""ringmq.eventloop (pyzmq's zmq.eventloop) on tornado: ZMQStream with real traffic between
ringmq and pyzmq sockets, and the deprecated IOLoop names."""

import asyncio
import warnings

import pytest
from conftest import DEADLINE, Deadline, recv_within

import ringmq

tornado_ioloop = pytest.importorskip("tornado.ioloop", reason="python3-tornado is not installed")
from ringmq.eventloop import ioloop, zmqstream  # noqa: E402


@pytest.fixture
def loop():
    lp = tornado_ioloop.IOLoop(make_current=False)
    yield lp
    lp.close(all_fds=True)


def _run(loop, until: "asyncio.Future[object]"):
    """Runs the loop until `until` is done (a Future made on that loop); fails at the deadline."""
    async def wait():
        return await asyncio.wait_for(until, DEADLINE)

    return loop.run_sync(wait)


def _in_loop(loop, fn):
    """fn() called on the loop (streams and Futures are made there)."""
    async def call():
        return fn()

    return loop.run_sync(call)


def test_stream_receives_what_a_pyzmq_peer_sends(loop, ctx, pyzmq_ctx):
    zmq = pytest.importorskip("zmq")
    pull = _in_loop(loop, lambda: zmqstream.ZMQStream(ctx.socket(ringmq.PULL)))
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    push = pyzmq_ctx.socket(zmq.PUSH)
    push.connect(f"tcp://127.0.0.1:{port}")
    for i in range(20):
        push.send_multipart([b"part", b"%d" % i])
    got = []
    done = _in_loop(loop, lambda: asyncio.get_event_loop().create_future())

    def on_msg(msg):
        got.append(msg)
        if len(got) == 20:
            done.set_result(None)

    pull.on_recv(on_msg)
    _run(loop, done)
    assert got == [[b"part", b"%d" % i] for i in range(20)]
    assert pull.receiving() and not pull.sending()


def test_stream_sends_queued_messages_once_a_peer_connects(loop, ctx, pyzmq_ctx):
    zmq = pytest.importorskip("zmq")
    push = _in_loop(loop, lambda: zmqstream.ZMQStream(ctx.socket(ringmq.PUSH)))
    port = push.bind_to_random_port("tcp://127.0.0.1")
    sent = []
    done = _in_loop(loop, lambda: asyncio.get_event_loop().create_future())

    def on_sent(msg, status):
        sent.append((msg, status))
        if len(sent) == 3:
            done.set_result(None)

    push.on_send(on_sent)
    # Queued before any peer exists: PUSH cannot send yet, so the stream must wait.
    push.send(b"one")
    push.send_string("two")
    push.send_json({"n": 3})
    assert push.sending()
    pull = pyzmq_ctx.socket(zmq.PULL)
    pull.connect(f"tcp://127.0.0.1:{port}")
    _run(loop, done)
    assert [m for m, _ in sent] == [[b"one"], [b"two"], [b'{"n": 3}']]
    assert all(status is None for _, status in sent)
    assert [recv_within(pull) for _ in range(3)] == [b"one", b"two", b'{"n": 3}']
    assert not push.sending()


def test_stream_echo_server_for_a_pyzmq_dealer(loop, ctx, pyzmq_ctx):
    zmq = pytest.importorskip("zmq")
    router = _in_loop(loop, lambda: zmqstream.ZMQStream(ctx.socket(ringmq.ROUTER)))
    port = router.bind_to_random_port("tcp://127.0.0.1")
    router.on_recv_stream(lambda stream, msg: stream.send_multipart(msg))  # [id, payload] back
    dealer = pyzmq_ctx.socket(zmq.DEALER)
    dealer.connect(f"tcp://127.0.0.1:{port}")
    for i in range(50):
        dealer.send(b"%d" % i)
    got = []
    done = _in_loop(loop, lambda: asyncio.get_event_loop().create_future())

    def poll_dealer():
        while dealer.poll(0):
            got.append(dealer.recv())
        if len(got) == 50:
            done.set_result(None)
        else:
            loop.call_later(0.001, poll_dealer)  # the pyzmq side is not on this loop

    loop.add_callback(poll_dealer)
    _run(loop, done)
    assert got == [b"%d" % i for i in range(50)]


def test_flush_stop_and_close(loop, ctx):
    pull = _in_loop(loop, lambda: zmqstream.ZMQStream(ctx.socket(ringmq.PULL)))
    pull.bind("inproc://stream-flush")
    push = ctx.socket(ringmq.PUSH)
    push.connect("inproc://stream-flush")
    for i in range(5):
        push.send(b"%d" % i)
    assert pull.socket.poll(Deadline().left_ms())
    got = []
    pull.on_recv(got.append, copy=False)
    assert pull.flush(limit=2) == 2  # no loop turn needed
    assert [bytes(m[0]) for m in got] == [b"0", b"1"]
    assert isinstance(got[0][0], ringmq.Frame)
    pull.stop_on_recv()
    assert not pull.receiving()
    assert pull.flush() == 3  # POLLIN without a callback: taken and dropped (pyzmq)
    assert len(got) == 2
    closed = []
    pull.set_close_callback(lambda: closed.append(True))
    sock = pull.socket
    pull.close(linger=0)
    assert closed == [True] and pull.closed() and sock.closed
    with pytest.raises(OSError):
        pull.send(b"x")


def test_callbacks_must_be_callable(loop, ctx):
    stream = _in_loop(loop, lambda: zmqstream.ZMQStream(ctx.socket(ringmq.PUSH)))
    with pytest.raises(AssertionError):
        stream.on_recv(1)
    with pytest.raises(AssertionError):
        stream.on_send("not callable")
    stream.close()


def test_periodic_callback_and_deprecated_ioloop_names(ctx):
    assert ioloop.PeriodicCallback is tornado_ioloop.PeriodicCallback
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ioloop._warned = False
        lp = ioloop.ZMQIOLoop(make_current=False)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    assert isinstance(lp, tornado_ioloop.IOLoop)
    ticks = []
    done = _in_loop(lp, lambda: asyncio.get_event_loop().create_future())

    def tick():
        ticks.append(1)
        if len(ticks) == 3:
            periodic.stop()
            done.set_result(None)

    periodic = _in_loop(lp, lambda: ioloop.PeriodicCallback(tick, 1))
    _in_loop(lp, periodic.start)
    _run(lp, done)
    assert ticks == [1, 1, 1]
    lp.close()


def test_ioloop_authenticator_guards_a_stream(loop, ctx):
    from ringmq.auth.ioloop import IOLoopAuthenticator

    auth = _in_loop(loop, lambda: IOLoopAuthenticator(ctx))
    assert auth.io_loop is loop
    auth.start()
    try:
        auth.configure_plain(domain="*", passwords={"admin": "secret"})
        server = ctx.socket(ringmq.PUSH)
        server.plain_server = True
        port = server.bind_to_random_port("tcp://127.0.0.1")
        client = ctx.socket(ringmq.PULL)
        client.plain_username = b"admin"
        client.plain_password = b"secret"
        client.connect(f"tcp://127.0.0.1:{port}")
        push = _in_loop(loop, lambda: zmqstream.ZMQStream(server))
        pull = _in_loop(loop, lambda: zmqstream.ZMQStream(client))
        done = _in_loop(loop, lambda: asyncio.get_event_loop().create_future())
        pull.on_recv(done.set_result)
        push.send_multipart([b"Hello", b"World"])
        assert _run(loop, done) == [b"Hello", b"World"]
        assert auth.stats() == (1, 1)  # the handler answered the connection, and accepted it
    finally:
        auth.stop()
