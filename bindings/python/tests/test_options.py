"""Socket and context options: attributes, setsockopt/getsockopt, strings, defaults set on
a context, and the values options read back."""

import errno
import os

import pytest

import ringmq


def test_attributes_and_setsockopt_agree(ctx):
    s = ctx.socket(ringmq.DEALER)
    s.linger = 0
    assert s.linger == 0 == s.getsockopt(ringmq.LINGER)
    s.setsockopt(ringmq.RCVTIMEO, 250)
    assert s.rcvtimeo == 250
    s.sndtimeo = -1
    assert s.sndtimeo == -1
    s.sndhwm = 10
    s.rcvhwm = 20
    assert (s.sndhwm, s.rcvhwm) == (10, 20)
    s.hwm = 30
    assert (s.sndhwm, s.rcvhwm, s.hwm) == (30, 30, 30)
    s.identity = b"me"
    assert s.routing_id == b"me" == s.getsockopt(ringmq.IDENTITY)
    s.setsockopt_string(ringmq.ROUTING_ID, "text-id")
    assert s.getsockopt_string(ringmq.ROUTING_ID) == "text-id"
    s.reconnect_ivl = 50
    assert s.reconnect_ivl == 50
    s.maxmsgsize = 1 << 40
    assert s.maxmsgsize == 1 << 40
    s.immediate = 1
    assert s.immediate == 1
    # Names are case-insensitive, as in pyzmq.
    s.LINGER = 5
    assert s.Linger == 5


def test_xpub_max_subscriptions(ctx):
    """ringmq's own option: the distinct topics one peer of a PUB/XPUB may subscribe to before
    it is disconnected with a LIMIT_EXCEEDED event; -1 lifts the limit, as libzmq has none."""
    s = ctx.socket(ringmq.XPUB)
    assert s.xpub_max_subscriptions == 65536
    s.xpub_max_subscriptions = -1
    assert s.getsockopt(ringmq.XPUB_MAX_SUBSCRIPTIONS) == -1
    with pytest.raises(ringmq.ZMQError):
        s.xpub_max_subscriptions = 0
    assert ringmq.Event.LIMIT_EXCEEDED == ringmq.EVENT_LIMIT_EXCEEDED == 0x8000
    assert ringmq.EVENT_LIMIT_EXCEEDED & ringmq.EVENT_ALL


def test_read_only_options(ctx):
    s = ctx.socket(ringmq.PUSH)
    assert s.type == ringmq.PUSH == s.socket_type
    assert s.getsockopt(ringmq.TYPE) == ringmq.PUSH
    assert isinstance(s.fd, int) and s.fd == s.fileno() >= 0
    assert s.events == ringmq.POLLOUT or s.events == 0
    assert s.rcvmore == 0
    assert s.mechanism == ringmq.NULL
    s.bind("tcp://127.0.0.1:*")
    assert s.last_endpoint.startswith(b"tcp://127.0.0.1:")


def test_subscribe_attribute_takes_str_or_bytes(ctx):
    pub = ctx.socket(ringmq.PUB)
    sub = ctx.socket(ringmq.SUB)
    pub.bind("inproc://sub-attr")
    sub.connect("inproc://sub-attr")
    sub.subscribe = "a"
    sub.subscribe = b"b"
    sub.setsockopt(ringmq.SUBSCRIBE, b"c")
    from conftest import retry_until_received
    retry_until_received(lambda k: pub.send(b"a %d" % k), sub, lambda m: int(m.split()[1]))
    pub.send(b"z")
    pub.send(b"b1")
    pub.send(b"c1")
    assert [sub.recv(), sub.recv()] == [b"b1", b"c1"]
    with pytest.raises(AttributeError):
        sub.subscribe_nothing = 1
    assert callable(sub.subscribe)  # reading gives the method, as in pyzmq


def test_curve_options_read_back_as_z85(ctx):
    public, secret = ringmq.curve_keypair()
    s = ctx.socket(ringmq.REP)
    s.curve_server = True
    s.curve_secretkey = secret
    s.curve_publickey = public
    assert s.curve_server == 1
    assert s.curve_publickey == public
    assert s.mechanism == ringmq.CURVE
    raw = ringmq.utils.z85.decode(public)
    c = ctx.socket(ringmq.REQ)
    c.curve_serverkey = raw  # 32 raw bytes work too
    assert c.curve_serverkey == public


def test_plain_options(ctx):
    s = ctx.socket(ringmq.REP)
    s.plain_server = 1
    assert s.plain_server == 1 and s.mechanism == ringmq.PLAIN
    c = ctx.socket(ringmq.REQ)
    c.plain_username = b"user"
    assert c.plain_username == b"user"


def test_bad_options(ctx):
    s = ctx.socket(ringmq.PUSH)
    with pytest.raises(AttributeError):
        s.no_such_option = 1
    with pytest.raises(AttributeError):
        s.no_such_option
    with pytest.raises(ringmq.ZMQError) as e:
        s.setsockopt(ringmq.RATE, 10)  # a libzmq option ringmq does not implement (PGM)
    assert e.value.errno == ringmq.EINVAL
    with pytest.raises(ringmq.ZMQError):
        s.setsockopt(ringmq.SUBSCRIBE, b"x")  # PUSH has no subscriptions
    with pytest.raises(TypeError):
        s.setsockopt(ringmq.LINGER, "zero")
    with pytest.raises(TypeError):
        s.setsockopt(ringmq.ROUTING_ID, "text")  # bytes options want bytes
    with pytest.raises(ringmq.ZMQError):
        s.sndhwm = -5


def test_context_defaults_apply_to_new_sockets(ctx):
    ctx.linger = 0
    ctx.setsockopt(ringmq.SNDHWM, 7)
    ctx.subscribe = b""  # skipped for socket types without it
    assert ctx.linger == 0 and ctx.getsockopt(ringmq.SNDHWM) == 7
    s = ctx.socket(ringmq.PUSH)
    assert s.linger == 0 and s.sndhwm == 7
    del ctx.linger
    assert ctx.socket(ringmq.PUSH).linger != 0


def test_context_options(ctx):
    assert ctx.io_threads == 1
    ctx.io_threads = 2
    assert ctx.get(ringmq.IO_THREADS) == 2
    assert ctx.io_backend() in ("io_uring", "epoll")


def test_context_thread_and_socket_options_have_libzmqs_meaning(ctx):
    assert ctx.get(ringmq.MAX_SOCKETS) == 1023
    assert ctx.get(ringmq.SOCKET_LIMIT) == 65535
    assert ctx.get(ringmq.THREAD_SCHED_POLICY) == -1
    assert ctx.get(ringmq.MAX_MSGSZ) == 2**31 - 1
    ctx.set(ringmq.MAX_SOCKETS, 2)
    assert ctx.get(ringmq.THREAD_PRIORITY) == 65535  # 3 reads the limit (and sets the priority)
    ctx.set(ringmq.THREAD_SCHED_POLICY, os.SCHED_BATCH)
    ctx.set(ringmq.THREAD_NAME_PREFIX, 1234)
    assert ctx.get(ringmq.THREAD_NAME_PREFIX) == 1234
    with pytest.raises(ringmq.ZMQError) as refused:
        ctx.set(ringmq.THREAD_AFFINITY_CPU_REMOVE, 0)  # never added
    assert refused.value.errno == errno.EINVAL
    first = ctx.socket(ringmq.PULL)
    first.linger = 0
    first.bind("tcp://127.0.0.1:*")
    named = {}
    for tid in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{tid}/comm") as comm:
            name = comm.read().strip()
        if name.startswith("1234/"):
            named[int(tid)] = name
    assert list(named.values()) == ["1234/ringmq-io-"]
    assert all(os.sched_getscheduler(tid) == os.SCHED_BATCH for tid in named)
    second = ctx.socket(ringmq.PUSH)
    with pytest.raises(ringmq.ZMQError) as too_many:
        ctx.socket(ringmq.PUSH)
    assert too_many.value.errno == errno.EMFILE
    with pytest.raises(ringmq.ZMQError):
        ctx.set(ringmq.THREAD_NAME_PREFIX, 5)  # the threads run already
    first.close()
    second.close()


def test_context_manager_and_instance():
    with ringmq.Context() as c:
        with c.socket(ringmq.PAIR) as s:
            assert not s.closed
        assert s.closed
    assert c.closed
    inst = ringmq.Context.instance()
    assert ringmq.Context.instance() is inst
    inst.term()
    assert ringmq.Context.instance() is not inst  # a new one once the old one is closed
    ringmq.Context.instance().term()


def test_constants_match_libzmq():
    assert (ringmq.PAIR, ringmq.PUB, ringmq.SUB, ringmq.REQ, ringmq.REP, ringmq.DEALER, ringmq.ROUTER,
            ringmq.PULL, ringmq.PUSH, ringmq.XPUB, ringmq.XSUB) == tuple(range(11))
    assert ringmq.NOBLOCK == ringmq.DONTWAIT == 1 and ringmq.SNDMORE == 2
    assert (ringmq.POLLIN, ringmq.POLLOUT, ringmq.POLLERR) == (1, 2, 4)
    assert ringmq.XREQ == ringmq.DEALER and ringmq.XREP == ringmq.ROUTER
    assert ringmq.IDENTITY == ringmq.ROUTING_ID == 5
    assert ringmq.ETERM == 156384712 + 53
    assert ringmq.EVENT_HANDSHAKE_SUCCEEDED == 0x1000
    zmq = pytest.importorskip("zmq")
    for name in ("LINGER", "RCVTIMEO", "SNDHWM", "CURVE_SERVER", "ROUTER_MANDATORY", "EVENT_ALL",
                 "EFSM", "ENOTSUP", "HEARTBEAT_IVL", "CONNECT_TIMEOUT", "ZAP_DOMAIN"):
        assert getattr(ringmq, name) == getattr(zmq, name), name
