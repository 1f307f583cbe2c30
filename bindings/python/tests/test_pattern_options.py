"""The options libzmq adds to the patterns (PROBE_ROUTER, ROUTER_NOTIFY, XPUB_WELCOME_MSG,
XPUB_MANUAL, INVERT_MATCHING) from Python, each across the wire to or from a pyzmq (libzmq
4.3) peer, whose build has the stable ones."""

import pytest

import ringmq
from conftest import Deadline, bind_address, last_endpoint, recv_within

zmq = pytest.importorskip("zmq", reason="python3-zmq (the pyzmq interop peer) is not installed")


def test_pyzmq_probe_router_reaches_a_ringmq_router(ctx, pyzmq_ctx, ipc_dir):
    router = ctx.socket(ringmq.ROUTER)
    dealer = pyzmq_ctx.socket(zmq.DEALER)
    try:
        router.bind(bind_address("tcp", ipc_dir))
        dealer.setsockopt(zmq.ROUTING_ID, b"py")
        dealer.setsockopt(zmq.PROBE_ROUTER, 1)
        dealer.connect(last_endpoint(router))
        assert recv_within(router, multipart=True) == [b"py", b""]
    finally:
        router.close(linger=0)
        dealer.close(linger=0)


def test_ringmq_probe_router_reaches_a_pyzmq_router(ctx, pyzmq_ctx, ipc_dir):
    router = pyzmq_ctx.socket(zmq.ROUTER)
    dealer = ctx.socket(ringmq.DEALER)
    try:
        router.bind(bind_address("ipc", ipc_dir))
        dealer.routing_id = b"rq"
        dealer.probe_router = 1
        dealer.connect(router.getsockopt(zmq.LAST_ENDPOINT).decode())
        assert recv_within(router, multipart=True) == [b"rq", b""]
    finally:
        router.close(linger=0)
        dealer.close(linger=0)


def test_router_notify_reports_a_pyzmq_peer_coming_and_going(ctx, pyzmq_ctx, ipc_dir):
    router = ctx.socket(ringmq.ROUTER)
    dealer = pyzmq_ctx.socket(zmq.DEALER)
    try:
        router.setsockopt(ringmq.ROUTER_NOTIFY, ringmq.NOTIFY_CONNECT | ringmq.NOTIFY_DISCONNECT)
        assert router.getsockopt(ringmq.ROUTER_NOTIFY) == 3
        router.bind(bind_address("tcp", ipc_dir))
        dealer.setsockopt(zmq.ROUTING_ID, b"py")
        dealer.connect(last_endpoint(router))
        assert recv_within(router, multipart=True) == [b"py", b""]
        dealer.send(b"bye")
        dealer.close(linger=1000)
        assert recv_within(router, multipart=True) == [b"py", b"bye"]
        assert recv_within(router, multipart=True) == [b"py", b""]
    finally:
        router.close(linger=0)
        dealer.close(linger=0)


def test_xpub_welcome_msg_greets_a_pyzmq_subscriber(ctx, pyzmq_ctx, ipc_dir):
    xpub = ctx.socket(ringmq.XPUB)
    sub = pyzmq_ctx.socket(zmq.SUB)
    try:
        xpub.setsockopt(ringmq.XPUB_WELCOME_MSG, b"W-hello")
        xpub.bind(bind_address("tcp", ipc_dir))
        sub.setsockopt(zmq.SUBSCRIBE, b"W")
        sub.connect(last_endpoint(xpub))
        assert recv_within(xpub) == b"\x01W"
        assert recv_within(sub) == b"W-hello"
    finally:
        xpub.close(linger=0)
        sub.close(linger=0)


def test_xpub_manual_grants_a_pyzmq_subscriber_what_the_application_allows(ctx, pyzmq_ctx, ipc_dir):
    xpub = ctx.socket(ringmq.XPUB)
    sub = pyzmq_ctx.socket(zmq.SUB)
    try:
        xpub.setsockopt(ringmq.XPUB_MANUAL, 1)
        xpub.bind(bind_address("tcp", ipc_dir))
        sub.connect(last_endpoint(xpub))
        sub.setsockopt(zmq.SUBSCRIBE, b"private")
        assert recv_within(xpub) == b"\x01private"
        xpub.send(b"private: before the grant")
        xpub.setsockopt(ringmq.SUBSCRIBE, b"priv")  # the application grants a shorter prefix
        xpub.send(b"private: after the grant")
        assert recv_within(sub) == b"private: after the grant"
    finally:
        xpub.close(linger=0)
        sub.close(linger=0)


def test_invert_matching_between_a_pyzmq_pub_and_a_ringmq_sub(ctx, pyzmq_ctx, ipc_dir):
    pub = pyzmq_ctx.socket(zmq.PUB)
    sub = ctx.socket(ringmq.SUB)
    try:
        pub.setsockopt(zmq.INVERT_MATCHING, 1)
        sub.invert_matching = 1
        assert sub.invert_matching == 1
        pub.bind("tcp://127.0.0.1:*")
        sub.connect(pub.getsockopt(zmq.LAST_ENDPOINT).decode())
        sub.setsockopt(ringmq.SUBSCRIBE, b"A")
        # Once libzmq holds the subscription, "A" messages go nowhere and the others arrive.
        deadline = Deadline()
        while not sub.poll(10):
            assert not deadline.passed(), "nothing arrived"
            pub.send(b"B-probe")
        while sub.poll(0):
            sub.recv()
        pub.send(b"A-dropped")
        pub.send(b"B-kept")
        assert recv_within(sub) == b"B-kept"
    finally:
        pub.close(linger=0)
        sub.close(linger=0)
