"""ringmq.utils: the helper modules pyzmq programs import (zmq.utils.jsonapi, z85, monitor,
win32, strtypes), with pyzmq's behaviour, checked against pyzmq's where both exist."""

import os
import warnings

import pytest
from conftest import Deadline, connect_pair, recv_within

import ringmq
from ringmq.utils import jsonapi, monitor, strtypes, win32, z85


def test_jsonapi_dumps_utf8_bytes_and_loads_any_text():
    doc = {"name": "grüße", "n": [1, 2.5, None]}
    text = jsonapi.dumps(doc)
    assert isinstance(text, bytes)
    assert text.decode("utf8").startswith("{")
    assert jsonapi.loads(text) == doc
    assert jsonapi.loads(text.decode("utf8")) == doc
    assert jsonapi.loads(memoryview(text)) == doc
    assert jsonapi.dumps([1], separators=(",", ":")) == b"[1]"  # keyword arguments reach json


def test_jsonapi_matches_pyzmq():
    pyzmq_jsonapi = pytest.importorskip("zmq.utils.jsonapi")
    doc = {"a": ["b", 3, {"c": "dé"}]}
    assert jsonapi.dumps(doc) == pyzmq_jsonapi.dumps(doc)
    assert pyzmq_jsonapi.loads(jsonapi.dumps(doc)) == doc


def test_jsonapi_text_travels_between_sockets(ctx):
    pull, push = ctx.socket(ringmq.PULL), ctx.socket(ringmq.PUSH)
    pull.bind("inproc://jsonapi")
    push.connect("inproc://jsonapi")
    push.send(jsonapi.dumps({"k": "v"}))
    assert pull.recv_json() == {"k": "v"}


def test_z85_is_rfc32_and_matches_pyzmq():
    # rfc 32's test vector.
    raw = bytes([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
    assert z85.encode(raw) == b"HelloWorld"
    assert z85.decode(b"HelloWorld") == raw
    assert z85.decode("HelloWorld") == raw
    pyzmq_z85 = pytest.importorskip("zmq.utils.z85")
    data = os.urandom(32)
    assert z85.encode(data) == pyzmq_z85.encode(data)
    with pytest.raises(ValueError):
        z85.encode(b"abc")


def test_win32_allow_interrupt_is_a_no_op_context_manager_on_linux():
    calls = []
    with win32.allow_interrupt(lambda: calls.append(1)) as value:
        assert value is None
    with win32.allow_interrupt():
        pass
    assert calls == []


def test_strtypes_casts_and_warns_deprecated():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert strtypes.cast_bytes("é") == "é".encode("utf8")
        assert strtypes.cast_unicode(b"abc") == "abc"
        assert strtypes.b(b"x") == b"x" and strtypes.u("x") == "x"
    assert len(caught) == 4 and all(issubclass(w.category, DeprecationWarning) for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(TypeError):
            strtypes.cast_bytes(5)  # type: ignore[arg-type]


def test_parse_monitor_message_reads_a_pyzmq_monitor_socket(pyzmq_ctx, ctx, ipc_dir):
    zmq = pytest.importorskip("zmq")
    # pyzmq's own monitor socket (libzmq's two-frame events) read with ringmq's helper.
    server = pyzmq_ctx.socket(zmq.REP)
    mon = server.get_monitor_socket()
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = ctx.socket(ringmq.REQ)
    client.connect(f"tcp://127.0.0.1:{port}")
    deadline = Deadline()
    events = []
    while ringmq.EVENT_HANDSHAKE_SUCCEEDED not in events:
        assert not deadline.passed(), f"no handshake event; saw {events}"
        if mon.poll(deadline.left_ms()):
            event = monitor.recv_monitor_message(mon)
            assert set(event) == {"event", "value", "endpoint"}
            events.append(event["event"])
    assert events[0] == ringmq.EVENT_LISTENING and ringmq.EVENT_ACCEPTED in events
    with pytest.raises(RuntimeError):
        monitor.parse_monitor_message([b"short"])
    server.disable_monitor()


def test_recv_monitor_message_reads_a_ringmq_monitor_socket(ctx, ipc_dir):
    rep, req = ctx.socket(ringmq.REP), ctx.socket(ringmq.REQ)
    mon = rep.get_monitor_socket()
    connect_pair(rep, req, "tcp", ipc_dir, watch=req)
    seen = []
    while ringmq.EVENT_ACCEPTED not in seen:
        assert mon.poll(Deadline().left_ms())
        seen.append(monitor.recv_monitor_message(mon)["event"])
    req.send(b"ping")
    assert recv_within(rep) == b"ping"
