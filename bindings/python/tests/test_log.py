"""ringmq.log.handlers (pyzmq's zmq.log.handlers): PUBHandler publishes log records as
[topic, text] on a PUB socket, read here by ringmq and pyzmq SUB sockets."""

import logging

import pytest
from conftest import recv_within, retry_until_received

import ringmq
from ringmq.log.handlers import PUBHandler, TopicLogger

_loggers = iter(range(1_000_000))


def _logger(handler: logging.Handler) -> logging.Logger:
    log = logging.getLogger(f"ringmq-test-log-{next(_loggers)}")
    log.propagate = False
    log.setLevel(logging.DEBUG)
    log.addHandler(handler)
    return log


def _subscribed(sub, log):
    """Waits (by logging numbered probes) until `sub` gets what `log` publishes."""

    def send(k):
        log.info("probe::%d", k)

    def matches(msg):
        return int(msg[1]) if msg[0].endswith(b".probe") or msg[0] == b"INFO.probe" else None

    retry_until_received(send, sub, matches, multipart=True)


def test_records_are_published_under_root_level_and_subtopic(ctx):
    pub = ctx.socket(ringmq.PUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    handler = PUBHandler(pub, root_topic="app")
    assert handler.ctx is ctx and handler.socket is pub
    sub = ctx.socket(ringmq.SUB)
    sub.subscribe(b"app")
    sub.connect(f"tcp://127.0.0.1:{port}")
    log = _logger(handler)
    _subscribed(sub, log)

    log.warning("db::connection lost")
    topic, text = recv_within(sub, multipart=True)
    assert topic == b"app.WARNING.db"
    assert text.decode().startswith("WARNING test_log.py:") and text.endswith(b" - connection lost\n")
    log.info("plain")
    assert recv_within(sub, multipart=True) == [b"app.INFO", b"plain\n"]
    handler.root_topic = b"other"  # bytes are taken as UTF-8
    assert handler.root_topic == "other"
    sub.subscribe(b"other")  # after "app" records, so the first "other" one may take a while
    retry_until_received(lambda k: log.debug("x::%d", k), sub,
                         lambda msg: int(msg[1].split(b" - ")[1]) if msg[0] == b"other.DEBUG.x" else None,
                         multipart=True)


def test_formatter_for_one_level_or_all(ctx):
    pub = ctx.socket(ringmq.PUB)
    handler = PUBHandler(pub)
    pub.bind("inproc://log-format")
    sub = ctx.socket(ringmq.SUB)
    sub.subscribe(b"")
    sub.connect("inproc://log-format")
    log = _logger(handler)
    _subscribed(sub, log)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"), logging.ERROR)
    log.error("bad")
    assert recv_within(sub, multipart=True) == [b"ERROR", b"[ERROR] bad"]
    handler.setFormatter(logging.Formatter("<%(message)s>"))
    log.critical("worse")
    log.info("fine")
    assert recv_within(sub, multipart=True) == [b"CRITICAL", b"<worse>"]
    assert recv_within(sub, multipart=True) == [b"INFO", b"<fine>"]


def test_handler_binds_its_own_socket_and_pyzmq_subscribes(pyzmq_ctx, ctx):
    zmq = pytest.importorskip("zmq")
    probe = ctx.socket(ringmq.PUB)
    port = probe.bind_to_random_port("tcp://127.0.0.1")
    probe.close(linger=0)
    handler = PUBHandler(f"tcp://127.0.0.1:{port}", context=ctx)
    assert handler.socket.type == ringmq.PUB and handler.ctx is ctx
    sub = pyzmq_ctx.socket(zmq.SUB)
    sub.subscribe(b"")
    sub.connect(f"tcp://127.0.0.1:{port}")
    log = _logger(handler)
    _subscribed(sub, log)
    log.info("über::grüße")
    assert recv_within(sub, multipart=True) == ["INFO.über".encode(), "grüße\n".encode()]


def test_topic_logger_methods_take_a_topic(ctx):
    pub = ctx.socket(ringmq.PUB)
    pub.bind("inproc://topic-logger")
    sub = ctx.socket(ringmq.SUB)
    sub.subscribe(b"")
    sub.connect("inproc://topic-logger")
    handler = PUBHandler(pub)
    log = TopicLogger("ringmq-test-topic-logger")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    log.addHandler(handler)
    _subscribed(sub, _logger(handler))
    log.info("jobs.queue", "%d waiting", 3)
    assert recv_within(sub, multipart=True) == [b"INFO.jobs.queue", b"3 waiting\n"]
    log.error("jobs", "failed")
    topic, text = recv_within(sub, multipart=True)
    assert topic == b"ERROR.jobs" and text.startswith(b"ERROR test_log.py:")  # the caller's line
    log.log(logging.CRITICAL, "x", "y")
    assert recv_within(sub, multipart=True)[0] == b"CRITICAL.x"
