"""Socket.monitor(addr, events) (libzmq's zmq_socket_monitor: events on an inproc PAIR) and
disable_monitor() ending a monitor's stream with MONITOR_STOPPED, as pyzmq's do."""

import pytest
from conftest import Deadline, recv_within

import ringmq
from ringmq.utils.monitor import parse_monitor_message, recv_monitor_message


def _events_until(reader, wanted, deadline=None):
    """Events read from a PAIR monitor reader until `wanted` (included)."""
    deadline = deadline or Deadline()
    seen = []
    while wanted not in seen:
        assert reader.poll(deadline.left_ms()), f"no {wanted!r}; saw {seen}"
        seen.append(parse_monitor_message(reader.recv_multipart())["event"])
    return seen


def test_monitor_to_an_inproc_pair_reports_connection_events(ctx, pyzmq_ctx):
    zmq = pytest.importorskip("zmq")
    server = ctx.socket(ringmq.REP)
    server.monitor("inproc://mon-events", ringmq.EVENT_ALL)
    reader = ctx.socket(ringmq.PAIR)
    reader.connect("inproc://mon-events")
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = pyzmq_ctx.socket(zmq.REQ)
    client.connect(f"tcp://127.0.0.1:{port}")
    seen = _events_until(reader, ringmq.EVENT_HANDSHAKE_SUCCEEDED)
    assert seen[0] == ringmq.EVENT_LISTENING and ringmq.EVENT_ACCEPTED in seen
    client.send(b"ping")
    assert recv_within(server) == b"ping"
    # The endpoint frame is the bound address, as libzmq's.
    server.disable_monitor()
    assert _events_until(reader, ringmq.EVENT_MONITOR_STOPPED)[-1] == ringmq.EVENT_MONITOR_STOPPED


def test_monitor_events_mask_and_stop_with_none(ctx):
    sock = ctx.socket(ringmq.PULL)
    sock.monitor("inproc://mon-mask", ringmq.EVENT_LISTENING)
    reader = ctx.socket(ringmq.PAIR)
    reader.connect("inproc://mon-mask")
    sock.bind("tcp://127.0.0.1:*")
    msg = reader.recv_multipart() if reader.poll(Deadline().left_ms()) else None
    event = parse_monitor_message(msg)
    assert event["event"] == ringmq.EVENT_LISTENING
    assert event["endpoint"].startswith(b"tcp://127.0.0.1:")
    sock.monitor(None)
    assert _events_until(reader, ringmq.EVENT_MONITOR_STOPPED) == [ringmq.EVENT_MONITOR_STOPPED]


def test_closing_the_monitored_socket_ends_the_stream(ctx):
    sock = ctx.socket(ringmq.PUSH)
    sock.monitor("inproc://mon-close")
    reader = ctx.socket(ringmq.PAIR)
    reader.connect("inproc://mon-close")
    sock.bind("tcp://127.0.0.1:*")
    sock.close(linger=0)
    assert _events_until(reader, ringmq.EVENT_MONITOR_STOPPED)[-1] == ringmq.EVENT_MONITOR_STOPPED


def test_monitor_address_in_use_raises(ctx):
    a, b = ctx.socket(ringmq.PUSH), ctx.socket(ringmq.PUSH)
    a.monitor("inproc://mon-taken")
    with pytest.raises(ringmq.ZMQError):
        b.monitor("inproc://mon-taken")
    a.disable_monitor()


def test_disable_monitor_delivers_monitor_stopped_to_get_monitor_socket(ctx):
    sock = ctx.socket(ringmq.PULL)
    mon = sock.get_monitor_socket()
    sock.bind("tcp://127.0.0.1:*")
    sock.disable_monitor()
    seen = []
    deadline = Deadline()
    while ringmq.EVENT_MONITOR_STOPPED not in seen:
        assert mon.poll(deadline.left_ms()), f"no MONITOR_STOPPED; saw {seen}"
        seen.append(recv_monitor_message(mon)["event"])
    assert seen[0] == ringmq.EVENT_LISTENING and seen[-1] == ringmq.EVENT_MONITOR_STOPPED
    assert sock.get_monitor_socket() is not mon  # a new monitor after disable


def test_monitor_socket_knows_the_context(ctx):
    sock = ctx.socket(ringmq.PULL)
    assert sock.get_monitor_socket().context is ctx


def test_monitor_of_an_asyncio_socket_feeds_an_asyncio_reader():
    import asyncio

    import ringmq.asyncio

    actx = ringmq.asyncio.Context()
    try:
        rep = actx.socket(ringmq.REP)
        rep.monitor("inproc://mon-asyncio", ringmq.EVENT_LISTENING | ringmq.EVENT_MONITOR_STOPPED)
        reader = actx.socket(ringmq.PAIR)
        reader.connect("inproc://mon-asyncio")
        rep.bind("tcp://127.0.0.1:*")

        async def next_event():
            return parse_monitor_message(await asyncio.wait_for(reader.recv_multipart(), Deadline().left_ms() / 1000))

        async def scenario():
            first = await next_event()
            rep.disable_monitor()
            return first["event"], (await next_event())["event"]

        assert asyncio.run(scenario()) == (ringmq.EVENT_LISTENING, ringmq.EVENT_MONITOR_STOPPED)
    finally:
        actx.destroy(linger=0)
