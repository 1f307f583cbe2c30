"""Every socket pattern between two ringmq sockets, over inproc, ipc and tcp, plus the
behaviour each pattern promises beyond a single exchange (load balancing, fair queueing,
filtering, envelopes)."""

import pytest

import ringmq
from _patterns import PAIRS, pair_id
from conftest import Deadline, assert_nothing_pending, connect_pair, recv_within, retry_until_received, TRANSPORTS


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("pair", list(PAIRS), ids=pair_id)
def test_pattern(ctx, ipc_dir, pair, transport):
    exchange, setup = PAIRS[pair]
    with ctx.socket(pair[0]) as a, ctx.socket(pair[1]) as b:
        if setup:
            setup(a, b)
        connect_pair(a, b, transport, ipc_dir)
        exchange(a, b)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_push_load_balances_over_pulls(ctx, ipc_dir, transport):
    push = ctx.socket(ringmq.PUSH)
    pulls = [ctx.socket(ringmq.PULL), ctx.socket(ringmq.PULL)]
    connect_pair(pulls[0], push, transport, ipc_dir, watch=push)
    connect_pair(pulls[1], push, transport, ipc_dir, watch=push)
    for i in range(10):
        push.send(b"%d" % i)
    got = [[], []]
    while len(got[0]) + len(got[1]) < 10:
        ready = dict(_poll_two(pulls))
        for i, p in enumerate(pulls):
            if p in ready:
                got[i].append(int(p.recv()))
    assert sorted(got[0] + got[1]) == list(range(10))
    assert len(got[0]) == 5 and len(got[1]) == 5  # round robin


def _poll_two(socks):
    poller = ringmq.Poller()
    for s in socks:
        poller.register(s, ringmq.POLLIN)
    ready = poller.poll(Deadline().left_ms())
    assert ready, "nothing arrived"
    return ready


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_pull_fair_queues(ctx, ipc_dir, transport):
    pull = ctx.socket(ringmq.PULL)
    pushes = [ctx.socket(ringmq.PUSH), ctx.socket(ringmq.PUSH)]
    for p in pushes:
        connect_pair(pull, p, transport, ipc_dir, watch=pull)
    for i in range(3):
        pushes[0].send(b"a%d" % i)
        pushes[1].send(b"b%d" % i)
    got = [recv_within(pull) for _ in range(6)]
    assert sorted(got) == sorted([b"a0", b"a1", b"a2", b"b0", b"b1", b"b2"])
    assert [m for m in got if m.startswith(b"a")] == [b"a0", b"a1", b"a2"]  # per-peer order kept


def test_pub_fans_out_and_filters(ctx, ipc_dir):
    pub = ctx.socket(ringmq.PUB)
    subs = {topic: ctx.socket(ringmq.SUB) for topic in (b"a", b"b", b"")}
    pub.bind(f"ipc://{ipc_dir}/fanout.sock")
    for topic, sub in subs.items():
        sub.subscribe(topic)
        sub.connect(f"ipc://{ipc_dir}/fanout.sock")
    # Each subscriber is ready once a probe on its topic arrives.
    for topic, sub in subs.items():
        prefix = topic + b"-probe "
        retry_until_received(lambda k, p=prefix: pub.send(p + b"%d" % k), sub,
                             lambda m, p=prefix: int(m[len(p):]) if m.startswith(p) else None)
    for other, sub in subs.items():
        while sub.poll(0):  # probes for the other subscribers that matched this one's filter
            sub.recv()
    pub.send(b"a1")
    pub.send(b"b1")
    assert recv_within(subs[b"a"]) == b"a1"
    assert recv_within(subs[b"b"]) == b"b1"
    assert [recv_within(subs[b""]) for _ in range(2)] == [b"a1", b"b1"]
    for sub in subs.values():
        assert_nothing_pending(sub)


def test_sub_unsubscribe(ctx):
    pub = ctx.socket(ringmq.PUB)
    sub = ctx.socket(ringmq.SUB)
    pub.bind("inproc://unsub")
    sub.connect("inproc://unsub")
    sub.subscribe("x")
    retry_until_received(lambda k: pub.send(b"x %d" % k), sub, lambda m: int(m.split()[1]))
    sub.unsubscribe(b"x")
    sub.subscribe(b"y")
    retry_until_received(lambda k: (pub.send(b"x"), pub.send(b"y %d" % k)), sub, lambda m: int(m.split()[1]))
    assert_nothing_pending(sub)


def test_xpub_verbose_and_unsubscribe_messages(ctx):
    xpub = ctx.socket(ringmq.XPUB)
    xpub.xpub_verbose = 1
    subs = [ctx.socket(ringmq.SUB), ctx.socket(ringmq.SUB)]
    xpub.bind("inproc://xpub")
    for s in subs:
        s.connect("inproc://xpub")
        s.subscribe(b"t")
    assert [recv_within(xpub), recv_within(xpub)] == [b"\x01t", b"\x01t"]  # verbose: both
    subs[0].close()
    subs[1].unsubscribe(b"t")
    assert recv_within(xpub) == b"\x00t"


def test_router_routes_by_identity(ctx):
    router = ctx.socket(ringmq.ROUTER)
    router.bind("inproc://route")
    dealers = []
    for name in (b"one", b"two"):
        d = ctx.socket(ringmq.DEALER)
        d.identity = name
        d.connect("inproc://route")
        d.send(b"hi from " + name)
        dealers.append(d)
    seen = {recv_within(router, multipart=True)[0] for _ in range(2)}
    assert seen == {b"one", b"two"}
    router.send_multipart([b"two", b"for two"])
    router.send_multipart([b"one", b"for one"])
    assert recv_within(dealers[0]) == b"for one"
    assert recv_within(dealers[1]) == b"for two"


def test_req_round_robins_and_rep_keeps_envelope(ctx):
    rep = ctx.socket(ringmq.REP)
    rep.bind("inproc://rr")
    reqs = [ctx.socket(ringmq.REQ) for _ in range(3)]
    for r in reqs:
        r.connect("inproc://rr")
    for i, r in enumerate(reqs):
        r.send_string(f"q{i}")
        assert rep.recv_string() == f"q{i}"
        rep.send_string(f"a{i}")
    assert [r.recv_string() for r in reqs] == ["a0", "a1", "a2"]


def test_typed_helpers(ctx):
    a = ctx.socket(ringmq.PAIR)
    b = ctx.socket(ringmq.PAIR)
    a.bind("inproc://typed")
    b.connect("inproc://typed")
    a.send_string("grüße")
    assert b.recv_string() == "grüße"
    a.send_string("latin", encoding="latin-1")
    assert b.recv() == "latin".encode("latin-1")
    a.send_json({"k": [1, 2, None]})
    assert b.recv_json() == {"k": [1, 2, None]}
    a.send_pyobj({"set": {1, 2}})
    assert b.recv_pyobj() == {"set": {1, 2}}
    a.send_serialized({"x": 1}, lambda o: [b"x", str(o["x"]).encode()])
    assert b.recv_serialized(lambda frames: {frames[0].decode(): int(frames[1])}) == {"x": 1}
    a.send(b"a", ringmq.SNDMORE)
    a.send(b"b")
    assert b.recv() == b"a" and b.rcvmore
    assert b.recv() == b"b" and not b.rcvmore
    with pytest.raises(TypeError):
        a.send("text is not bytes")
    with pytest.raises(TypeError):
        a.send_string(b"bytes are not text")


def test_buffer_protocol_objects_are_sendable(ctx):
    import array

    a = ctx.socket(ringmq.PAIR)
    b = ctx.socket(ringmq.PAIR)
    a.bind("inproc://buffers")
    b.connect("inproc://buffers")
    payloads = [bytearray(b"ba"), memoryview(b"mv"), array.array("i", [1, 2]), ringmq.Frame(b"frame")]
    for p in payloads:
        a.send(p)
    assert [b.recv() for _ in payloads] == [b"ba", b"mv", array.array("i", [1, 2]).tobytes(), b"frame"]
    a.send_multipart(payloads)
    assert b.recv_multipart() == [b"ba", b"mv", array.array("i", [1, 2]).tobytes(), b"frame"]


def test_bind_connect_context_managers_and_unbind(ctx, ipc_dir):
    pull = ctx.socket(ringmq.PULL)
    push = ctx.socket(ringmq.PUSH)
    addr = f"ipc://{ipc_dir}/cm.sock"
    with pull.bind(addr):
        with push.connect(addr):
            push.send(b"inside")
            assert recv_within(pull) == b"inside"
        # disconnected: rebinding elsewhere is possible and the old endpoint is gone
    with pytest.raises(ringmq.ZMQError):
        pull.unbind(addr)  # already unbound by the context manager


def test_bind_to_random_port(ctx):
    s = ctx.socket(ringmq.PULL)
    port = s.bind_to_random_port("tcp://127.0.0.1")
    assert 0 < port < 65536
    assert last_port(s) == port
    s2 = ctx.socket(ringmq.PULL)
    port2 = s2.bind_to_random_port("tcp://127.0.0.1", min_port=40000, max_port=50000)
    assert 40000 <= port2 < 50000


def last_port(s):
    return int(s.last_endpoint.decode().rsplit(":", 1)[1])


def test_proxy_forwards_both_ways(ctx):
    import threading

    front = ctx.socket(ringmq.ROUTER)
    back = ctx.socket(ringmq.DEALER)
    front.bind("inproc://front")
    back.bind("inproc://back")
    t = threading.Thread(target=_run_proxy, args=(front, back), daemon=True)
    t.start()
    client = ctx.socket(ringmq.REQ)
    worker = ctx.socket(ringmq.REP)
    client.connect("inproc://front")
    worker.connect("inproc://back")
    client.send(b"via proxy")
    assert recv_within(worker) == b"via proxy"
    worker.send(b"back")
    assert recv_within(client) == b"back"
    ctx.term()  # ends the proxy with ContextTerminated
    t.join(DEADLINE_S)
    assert not t.is_alive()


DEADLINE_S = 20


def _run_proxy(front, back):
    try:
        ringmq.proxy(front, back)
    except ringmq.ContextTerminated:
        pass
