"""Message exchanges for every compatible socket pair, written against the API ringmq and
pyzmq share, so the same code checks ringmq-ringmq pairs and ringmq-pyzmq pairs.

Each exchange gets two connected sockets, `a` of the first type and `b` of the second, and
checks that messages flow every way the pattern allows, with the envelopes the pattern adds.
"""

from typing import Any, Callable, Dict, Tuple

from conftest import Deadline, assert_nothing_pending, recv_within, retry_until_received

# Socket type numbers (libzmq's; identical in ringmq and pyzmq).
PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB = range(11)
SUBSCRIBE = 6
ROUTING_ID = 5
ROUTER_MANDATORY = 33
EHOSTUNREACH = 113


def push_pull(a: Any, b: Any) -> None:
    for i in range(10):
        a.send(b"job %d" % i)
    assert [recv_within(b) for _ in range(10)] == [b"job %d" % i for i in range(10)]
    a.send_multipart([b"multi", b"part"])
    assert recv_within(b, multipart=True) == [b"multi", b"part"]


def _numbered(prefix: bytes) -> Callable[[Any], int]:
    def matches(msg: Any) -> int:
        assert msg.startswith(prefix), msg
        return int(msg[len(prefix):])

    return matches


def pub_sub(a: Any, b: Any) -> None:
    b.setsockopt(SUBSCRIBE, b"wanted")
    retry_until_received(lambda k: (a.send(b"other %d" % k), a.send(b"wanted %d" % k)), b, _numbered(b"wanted "))
    a.send(b"other")
    a.send_multipart([b"wanted-last", b"body"])
    assert recv_within(b, multipart=True) == [b"wanted-last", b"body"]
    assert_nothing_pending(b)


def xpub_sub(a: Any, b: Any) -> None:
    b.setsockopt(SUBSCRIBE, b"topic")
    assert recv_within(a) == b"\x01topic"  # the subscription, as XPUB sees it
    a.send(b"nottopic")
    a.send(b"topic 1")
    assert recv_within(b) == b"topic 1"
    assert_nothing_pending(b)


def pub_xsub(a: Any, b: Any) -> None:
    b.send(b"\x01news")  # subscribe, XSUB style
    retry_until_received(lambda k: (a.send(b"sport %d" % k), a.send(b"news %d" % k)), b, _numbered(b"news "))
    assert_nothing_pending(b)


def req_rep(a: Any, b: Any) -> None:
    for i in range(3):
        a.send(b"question %d" % i)
        assert recv_within(b) == b"question %d" % i
        b.send(b"answer %d" % i)
        assert recv_within(a) == b"answer %d" % i


def req_router(a: Any, b: Any) -> None:
    a.send(b"hello")
    identity, empty, body = recv_within(b, multipart=True)
    assert (empty, body) == (b"", b"hello")
    b.send_multipart([identity, b"", b"world"])
    assert recv_within(a) == b"world"


def dealer_rep(a: Any, b: Any) -> None:
    a.send_multipart([b"", b"hello"])
    assert recv_within(b) == b"hello"
    b.send(b"world")
    assert recv_within(a, multipart=True) == [b"", b"world"]


def dealer_router(a: Any, b: Any) -> None:
    for i in range(3):
        a.send_multipart([b"request", b"%d" % i])
    for i in range(3):
        identity, *body = recv_within(b, multipart=True)
        assert body == [b"request", b"%d" % i]
        b.send_multipart([identity, b"reply %d" % i])
    assert [recv_within(a) for _ in range(3)] == [b"reply %d" % i for i in range(3)]


def dealer_dealer(a: Any, b: Any) -> None:
    a.send_multipart([b"to", b"b"])
    assert recv_within(b, multipart=True) == [b"to", b"b"]
    b.send(b"to a")
    assert recv_within(a) == b"to a"


def router_router(a: Any, b: Any) -> None:
    # b (the connecting side) addresses a by the routing id a set before binding; a learns
    # b's from b's first message. ROUTER_MANDATORY turns "not connected yet" into an error
    # (EHOSTUNREACH) instead of a silent drop, so b retries until a's routing id is known.
    b.setsockopt(ROUTER_MANDATORY, 1)
    deadline = Deadline()
    while True:
        try:
            b.send_multipart([b"server", b"hello"])
            break
        except Exception as e:  # ringmq.ZMQError or zmq.ZMQError
            if getattr(e, "errno", None) != EHOSTUNREACH or deadline.passed():
                raise
            b.poll(10)  # a short, bounded wait before the next attempt
    assert recv_within(a, multipart=True) == [b"client", b"hello"]
    a.send_multipart([b"client", b"world"])
    assert recv_within(b, multipart=True) == [b"server", b"world"]


def pair_pair(a: Any, b: Any) -> None:
    a.send(b"ping")
    assert recv_within(b) == b"ping"
    b.send_multipart([b"pong", b"2"])
    assert recv_within(a, multipart=True) == [b"pong", b"2"]


def _router_ids(a: Any, b: Any) -> None:
    a.setsockopt(ROUTING_ID, b"server")
    b.setsockopt(ROUTING_ID, b"client")


# (first type, second type) -> (exchange, set-up before connecting or None)
PAIRS: Dict[Tuple[int, int], Tuple[Callable[[Any, Any], None], Any]] = {
    (PUSH, PULL): (push_pull, None),
    (PUB, SUB): (pub_sub, None),
    (XPUB, SUB): (xpub_sub, None),
    (PUB, XSUB): (pub_xsub, None),
    (REQ, REP): (req_rep, None),
    (REQ, ROUTER): (req_router, None),
    (DEALER, REP): (dealer_rep, None),
    (DEALER, ROUTER): (dealer_router, None),
    (DEALER, DEALER): (dealer_dealer, None),
    (ROUTER, ROUTER): (router_router, _router_ids),
    (PAIR, PAIR): (pair_pair, None),
}

NAMES = {PAIR: "PAIR", PUB: "PUB", SUB: "SUB", REQ: "REQ", REP: "REP", DEALER: "DEALER", ROUTER: "ROUTER",
         PULL: "PULL", PUSH: "PUSH", XPUB: "XPUB", XSUB: "XSUB"}


def pair_id(pair: Tuple[int, int]) -> str:
    return f"{NAMES[pair[0]]}-{NAMES[pair[1]]}"
