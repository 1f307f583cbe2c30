"""ringmq.proxy / proxy_steerable / device: the library's proxy loop under the GIL-free
binding, with real traffic, ended by context termination, by TERMINATE, and by Ctrl-C."""

import os
import signal
import struct
import threading

import pytest
from conftest import Deadline, recv_within

import ringmq


class Runner(threading.Thread):
    """Runs a proxy function in a thread and keeps what it returned or raised."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self.fn, self.args = fn, args
        self.result = self.error = None
        self.ended = threading.Event()

    def run(self):
        try:
            self.result = self.fn(*self.args)
        except BaseException as e:  # noqa: B036 - the test inspects it
            self.error = e
        finally:
            self.ended.set()

    def wait(self):
        assert self.ended.wait(Deadline().left_ms() / 1000), "the proxy did not end"
        self.join()


def _queue(ctx, name):
    front, back = ctx.socket(ringmq.ROUTER), ctx.socket(ringmq.DEALER)
    front.bind(f"inproc://{name}-front")
    back.bind(f"inproc://{name}-back")
    return front, back


def _ask(ctx, name, n):
    """n REQ clients ask through the queue, one REP worker answers."""
    rep = ctx.socket(ringmq.REP)
    rep.connect(f"inproc://{name}-back")
    reqs = [ctx.socket(ringmq.REQ) for _ in range(n)]
    for i, req in enumerate(reqs):
        req.connect(f"inproc://{name}-front")
        req.send(b"q%d" % i)
    for _ in range(n):
        rep.send(b"a" + recv_within(rep))
    answers = sorted(recv_within(req) for req in reqs)
    for s in reqs + [rep]:
        s.close(linger=0)
    return answers


def test_proxy_moves_both_ways_copies_to_capture_and_ends_with_the_context():
    ctx = ringmq.Context()
    front, back = _queue(ctx, "p1")
    capture = ctx.socket(ringmq.PUSH)
    capture.bind("inproc://p1-capture")
    tap = ctx.socket(ringmq.PULL)
    tap.connect("inproc://p1-capture")
    runner = Runner(ringmq.proxy, front, back, capture)
    runner.start()
    assert _ask(ctx, "p1", 3) == [b"aq0", b"aq1", b"aq2"]
    copies = [recv_within(tap, multipart=True)[-1] for _ in range(6)]
    assert sorted(copies) == [b"aq0", b"aq1", b"aq2", b"q0", b"q1", b"q2"]
    assert not runner.ended.is_set()
    tap.close(linger=0)
    ctx.term()
    runner.wait()
    assert isinstance(runner.error, ringmq.ContextTerminated)
    assert runner.error.errno == ringmq.ETERM


def test_sockets_a_proxy_runs_cannot_be_closed_under_it(ctx):
    front, back = _queue(ctx, "p2")
    control, steer = ctx.socket(ringmq.PAIR), ctx.socket(ringmq.PAIR)
    control.bind("inproc://p2-control")
    steer.connect("inproc://p2-control")
    runner = Runner(ringmq.proxy_steerable, front, back, None, control)
    runner.start()
    assert _ask(ctx, "p2", 1) == [b"aq0"]  # it runs
    with pytest.raises(ringmq.ZMQError):
        front.close()
    steer.send(b"TERMINATE")
    runner.wait()
    assert runner.error is None and runner.result is None
    front.close()


def _statistics(steer):
    steer.send(b"STATISTICS")
    stats = recv_within(steer, multipart=True)
    assert len(stats) == 8 and all(len(p) == 8 for p in stats)
    return [struct.unpack("=Q", p)[0] for p in stats]


def test_steerable_pause_resume_statistics_terminate(ctx):
    pull_side, push_side = ctx.socket(ringmq.PULL), ctx.socket(ringmq.PUSH)
    pull_side.bind("inproc://p3-in")
    push_side.bind("inproc://p3-out")
    control, steer = ctx.socket(ringmq.PAIR), ctx.socket(ringmq.PAIR)
    control.bind("inproc://p3-control")
    steer.connect("inproc://p3-control")
    producer, consumer = ctx.socket(ringmq.PUSH), ctx.socket(ringmq.PULL)
    producer.connect("inproc://p3-in")
    consumer.connect("inproc://p3-out")
    runner = Runner(ringmq.proxy_steerable, pull_side, push_side, None, control)
    runner.start()

    producer.send(b"one")
    assert recv_within(consumer) == b"one"
    # frontend: 1 message (3 bytes) in, nothing out; backend: nothing in, 1 message out.
    assert _statistics(steer) == [1, 3, 0, 0, 0, 0, 1, 3]
    steer.send(b"PAUSE")
    assert _statistics(steer)[0] == 1  # commands are read in order: PAUSE is in force now
    producer.send(b"two")
    assert _statistics(steer) == [1, 3, 0, 0, 0, 0, 1, 3]  # paused: "two" waits
    steer.send(b"RESUME")
    assert recv_within(consumer) == b"two"
    assert _statistics(steer) == [2, 6, 0, 0, 0, 0, 2, 6]
    steer.send_multipart([b"TERMINATE", b"ignored: commands are single parts"])
    steer.send(b"TERMINATE")
    runner.wait()
    assert runner.error is None and runner.result is None


def test_steerable_replies_to_a_req_through_a_rep_control(ctx):
    front, back = _queue(ctx, "p6")
    control, steer = ctx.socket(ringmq.REP), ctx.socket(ringmq.REQ)
    control.bind("inproc://p6-control")
    steer.connect("inproc://p6-control")
    runner = Runner(ringmq.proxy_steerable, front, back, None, control)
    runner.start()
    assert _ask(ctx, "p6", 2) == [b"aq0", b"aq1"]
    # Two requests in at the ROUTER: each a 5-byte routing id, an empty delimiter and 2 bytes.
    assert _statistics(steer)[:2] == [2, 14]
    ctx.term()
    runner.wait()
    assert isinstance(runner.error, ringmq.ContextTerminated)


def test_ctrl_c_ends_a_proxy_in_the_main_thread(ctx):
    front, back = ctx.socket(ringmq.PULL), ctx.socket(ringmq.PUSH)
    front.bind("inproc://p4-in")
    back.bind("inproc://p4-out")
    producer, consumer = ctx.socket(ringmq.PUSH), ctx.socket(ringmq.PULL)
    producer.connect("inproc://p4-in")
    consumer.connect("inproc://p4-out")

    def interrupt_once_running():
        producer.send(b"x")
        recv_within(consumer)  # the proxy is running
        os.kill(os.getpid(), signal.SIGINT)

    helper = threading.Thread(target=interrupt_once_running)
    helper.start()
    with pytest.raises(KeyboardInterrupt):
        ringmq.proxy(front, back)
    helper.join()
    # The sockets are free again and the proxy no longer moves messages.
    producer.send(b"y")
    assert recv_within(front) == b"y"


def test_device_is_a_proxy(ctx):
    front, back = _queue(ctx, "p5")
    runner = Runner(ringmq.device, ringmq.QUEUE, front, back)
    runner.start()
    assert _ask(ctx, "p5", 2) == [b"aq0", b"aq1"]
    ctx.term()
    runner.wait()
    assert isinstance(runner.error, ringmq.ContextTerminated)


def test_proxy_between_pyzmq_peers_over_tcp(pyzmq_ctx, ctx):
    zmq = pytest.importorskip("zmq")
    front, back = ctx.socket(ringmq.ROUTER), ctx.socket(ringmq.DEALER)
    front_port = front.bind_to_random_port("tcp://127.0.0.1")
    back_port = back.bind_to_random_port("tcp://127.0.0.1")
    runner = Runner(ringmq.proxy, front, back)
    runner.start()
    worker = pyzmq_ctx.socket(zmq.REP)
    worker.connect(f"tcp://127.0.0.1:{back_port}")
    client = pyzmq_ctx.socket(zmq.REQ)
    client.connect(f"tcp://127.0.0.1:{front_port}")
    for i in range(5):
        client.send_multipart([b"job", b"%d" % i])
        assert recv_within(worker, multipart=True) == [b"job", b"%d" % i]
        worker.send(b"done %d" % i)
        assert recv_within(client) == b"done %d" % i
    ctx.term()
    runner.wait()
    assert isinstance(runner.error, ringmq.ContextTerminated)


def test_proxy_rejects_what_is_not_a_socket(ctx):
    with pytest.raises(TypeError):
        ringmq.proxy(ctx.socket(ringmq.PULL), object())
