"""Errors: ZMQError with libzmq's errno numbers, Again for would-block, ContextTerminated,
and the messages that say what failed."""

import errno

import pytest

import ringmq


def test_again_is_a_zmq_error(ctx):
    s = ctx.socket(ringmq.PULL)
    s.bind("inproc://again")
    with pytest.raises(ringmq.Again) as e:
        s.recv(ringmq.NOBLOCK)
    assert isinstance(e.value, ringmq.ZMQError)
    assert e.value.errno == errno.EAGAIN == ringmq.EAGAIN
    with pytest.raises(ringmq.Again):
        s.recv_multipart(ringmq.DONTWAIT)
    out = ctx.socket(ringmq.PUSH)  # no peer: nothing can be sent without blocking
    with pytest.raises(ringmq.Again):
        out.send(b"x", ringmq.DONTWAIT)
    out.sndtimeo = 10
    with pytest.raises(ringmq.Again):
        out.send(b"x")


def test_endpoint_errors(ctx):
    s = ctx.socket(ringmq.PULL)
    with pytest.raises(ringmq.ZMQError) as e:
        s.bind("tcp://nonsense")
    assert e.value.errno == errno.EINVAL
    assert "tcp://nonsense" in str(e.value)
    with pytest.raises(ringmq.ZMQError) as e:
        s.bind("udp://127.0.0.1:5555")
    assert e.value.errno == errno.EPROTONOSUPPORT
    s.bind("tcp://127.0.0.1:*")
    other = ctx.socket(ringmq.PULL)
    with pytest.raises(ringmq.ZMQError) as e:
        other.bind(s.last_endpoint.decode())
    assert e.value.errno == errno.EADDRINUSE
    with pytest.raises(ringmq.ZMQError) as e:
        s.unbind("tcp://127.0.0.1:1")
    assert e.value.errno == errno.ENOENT
    with pytest.raises(ringmq.ZMQError):
        s.disconnect("tcp://127.0.0.1:1")
    with pytest.raises(ringmq.ZMQBindError):
        s.bind_to_random_port("tcp://127.0.0.1", min_port=int(s.last_endpoint.rsplit(b":", 1)[1]),
                              max_port=int(s.last_endpoint.rsplit(b":", 1)[1]) + 1, max_tries=3)


def test_wrong_operation_for_socket_type(ctx):
    push = ctx.socket(ringmq.PUSH)
    with pytest.raises(ringmq.ZMQError) as e:
        push.recv(ringmq.DONTWAIT)
    assert e.value.errno == errno.ENOTSUP
    pull = ctx.socket(ringmq.PULL)
    with pytest.raises(ringmq.ZMQError) as e:
        pull.send(b"x")
    assert e.value.errno == errno.ENOTSUP


def test_req_state_machine(ctx):
    req = ctx.socket(ringmq.REQ)
    rep = ctx.socket(ringmq.REP)
    rep.bind("inproc://efsm")
    req.connect("inproc://efsm")
    with pytest.raises(ringmq.ZMQError) as e:
        req.recv(ringmq.DONTWAIT)  # must send first
    assert e.value.errno == ringmq.EFSM
    req.send(b"q")
    with pytest.raises(ringmq.ZMQError) as e:
        req.send(b"again")  # must receive first
    assert e.value.errno == ringmq.EFSM
    assert "current state" in ringmq.strerror(ringmq.EFSM)
    with pytest.raises(ringmq.ZMQError) as e:
        rep.send(b"no request yet")
    assert e.value.errno == ringmq.EFSM


def test_router_mandatory(ctx):
    r = ctx.socket(ringmq.ROUTER)
    r.router_mandatory = 1
    with pytest.raises(ringmq.ZMQError) as e:
        r.send_multipart([b"nobody", b"x"])
    assert e.value.errno == errno.EHOSTUNREACH


def test_closed_socket(ctx):
    s = ctx.socket(ringmq.PAIR)
    s.close()
    s.close()  # idempotent
    assert s.closed
    for call in (lambda: s.send(b"x"), lambda: s.recv(), lambda: s.bind("inproc://x"), lambda: s.linger,
                 lambda: s.poll(0)):
        with pytest.raises(ringmq.ZMQError) as e:
            call()
        assert e.value.errno == errno.ENOTSOCK


def test_terminated_context(ctx):
    s = ctx.socket(ringmq.PULL)
    s.bind("inproc://terminated")
    ctx.term()
    with pytest.raises(ringmq.ContextTerminated) as e:
        s.recv()
    assert e.value.errno == ringmq.ETERM
    s.close()
    with pytest.raises(ringmq.ZMQError):
        ctx.socket(ringmq.PUSH)


def test_send_multipart_validates_before_sending(ctx):
    a = ctx.socket(ringmq.PAIR)
    b = ctx.socket(ringmq.PAIR)
    a.bind("inproc://validate")
    b.connect("inproc://validate")
    with pytest.raises(TypeError):
        a.send_multipart([b"ok", "not bytes"])
    with pytest.raises(TypeError):
        a.send_multipart(b"a single buffer")
    assert b.poll(0) == 0  # nothing of the bad message was sent
    with pytest.raises(TypeError):
        a.send(12345)


def test_error_objects():
    e = ringmq.ZMQError(errno.EINVAL)
    assert e.errno == errno.EINVAL and str(e) == ringmq.strerror(errno.EINVAL)
    assert isinstance(ringmq.Again(), ringmq.ZMQError) and ringmq.Again().errno == errno.EAGAIN
    assert isinstance(ringmq.ContextTerminated(), ringmq.ZMQError)
    assert ringmq.ZMQError(errno.EINVAL, "custom").strerror == "custom"
    assert issubclass(ringmq.ZMQError, ringmq.ZMQBaseError)
    assert repr(ringmq.Again()).startswith("Again(")
