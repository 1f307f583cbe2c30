"""ringmq.devices (pyzmq's zmq.devices): devices that make their own sockets and run in a
thread or a child process, with real traffic, ringmq and pyzmq peers, and their end when
their context is terminated."""

import pytest
from conftest import Deadline, recv_within, retry_until_received

import ringmq
from ringmq import devices


class OwnContext:
    """Gives a device class a context of the test's own, so terminating it ends the device
    without touching Context.instance()."""

    def __init__(self):
        self.ctx = ringmq.Context()

    def attach(self, device):
        device.context_factory = lambda: self.ctx  # an instance attribute: only this device
        return device


def _tcp_port():
    with ringmq.Context() as ctx, ctx.socket(ringmq.PUSH) as probe:
        port = probe.bind_to_random_port("tcp://127.0.0.1")
        probe.unbind(f"tcp://127.0.0.1:{port}")
        return port


def _ends_with_context(device, own):
    own.ctx.term()
    device.join(Deadline().left_ms() / 1000)
    assert device.done and not device.launcher.is_alive()


def _request_reply(ctx_or_zmq_ctx, req_type, rep_type, front, back, n=3):
    rep = ctx_or_zmq_ctx.socket(rep_type)
    rep.connect(back)
    req = ctx_or_zmq_ctx.socket(req_type)
    req.connect(front)
    for i in range(n):
        req.send(b"q%d" % i)
        rep.send(b"a" + recv_within(rep))
        assert recv_within(req) == b"aq%d" % i
    req.close(linger=0)
    rep.close(linger=0)


def test_thread_device_queue_and_its_end(ctx):
    own = OwnContext()
    dev = own.attach(devices.ThreadDevice(ringmq.QUEUE, ringmq.ROUTER, ringmq.DEALER))
    front = dev.bind_in_to_random_port("tcp://127.0.0.1")
    back = dev.bind_out_to_random_port("tcp://127.0.0.1")
    dev.setsockopt_in(ringmq.LINGER, 0)
    assert dev.daemon and not dev.done
    dev.start()
    _request_reply(ctx, ringmq.REQ, ringmq.REP, f"tcp://127.0.0.1:{front}", f"tcp://127.0.0.1:{back}")
    _ends_with_context(dev, own)
    assert all(s.closed for s in dev._sockets)


def test_thread_device_with_pyzmq_peers(pyzmq_ctx):
    zmq = pytest.importorskip("zmq")
    own = OwnContext()
    dev = own.attach(devices.ThreadDevice(ringmq.QUEUE, ringmq.ROUTER, ringmq.DEALER))
    front, back = _tcp_port(), _tcp_port()
    dev.bind_in(f"tcp://127.0.0.1:{front}")
    dev.bind_out(f"tcp://127.0.0.1:{back}")
    dev.start()
    _request_reply(pyzmq_ctx, zmq.REQ, zmq.REP, f"tcp://127.0.0.1:{front}", f"tcp://127.0.0.1:{back}")
    _ends_with_context(dev, own)


def test_single_socket_device_answers_itself(ctx):
    own = OwnContext()
    dev = own.attach(devices.ThreadDevice(ringmq.QUEUE, ringmq.ROUTER, -1))
    dev.bind_in("inproc://self-answer")
    dev.start()
    dealer = own.ctx.socket(ringmq.DEALER)
    dealer.connect("inproc://self-answer")
    dealer.send_multipart([b"", b"echo"])
    # ROUTER in both roles: the message goes back out the way it came, to its sender.
    assert recv_within(dealer, multipart=True) == [b"", b"echo"]
    dealer.close(linger=0)
    _ends_with_context(dev, own)


def test_thread_proxy_copies_to_its_mon_socket(ctx):
    own = OwnContext()
    dev = own.attach(devices.ThreadProxy(ringmq.PULL, ringmq.PUSH, ringmq.PUSH))
    dev.bind_in("inproc://tp-in")
    dev.bind_out("inproc://tp-out")
    dev.bind_mon("inproc://tp-mon")
    dev.start()
    push, pull, mon = (own.ctx.socket(t) for t in (ringmq.PUSH, ringmq.PULL, ringmq.PULL))
    push.connect("inproc://tp-in")
    pull.connect("inproc://tp-out")
    mon.connect("inproc://tp-mon")
    push.send_multipart([b"a", b"b"])
    assert recv_within(pull, multipart=True) == [b"a", b"b"]
    assert recv_within(mon, multipart=True) == [b"a", b"b"]
    for s in (push, pull, mon):
        s.close(linger=0)
    _ends_with_context(dev, own)


def test_thread_proxy_steerable_terminate_and_statistics(ctx):
    own = OwnContext()
    dev = own.attach(devices.ThreadProxySteerable(ringmq.PULL, ringmq.PUSH, ringmq.PUB, ringmq.PAIR))
    dev.bind_in("inproc://tps-in")
    dev.bind_out("inproc://tps-out")
    dev.bind_mon("inproc://tps-mon")
    dev.bind_ctrl("inproc://tps-ctrl")
    dev.start()
    push, pull, ctrl = (own.ctx.socket(t) for t in (ringmq.PUSH, ringmq.PULL, ringmq.PAIR))
    push.connect("inproc://tps-in")
    pull.connect("inproc://tps-out")
    ctrl.connect("inproc://tps-ctrl")
    push.send(b"x")
    assert recv_within(pull) == b"x"
    ctrl.send(b"STATISTICS")
    assert len(recv_within(ctrl, multipart=True)) == 8
    ctrl.send(b"TERMINATE")
    dev.join(Deadline().left_ms() / 1000)
    assert dev.done  # ended by the command, its context still alive
    assert not own.ctx.closed
    for s in (push, pull, ctrl):
        s.close(linger=0)
    own.ctx.term()


def test_monitored_queue_prefixes_each_direction(ctx):
    own = OwnContext()
    dev = own.attach(devices.ThreadMonitoredQueue(ringmq.ROUTER, ringmq.DEALER, ringmq.PUB, b"in", b"out"))
    dev.bind_in("inproc://mq-in")
    dev.bind_out("inproc://mq-out")
    dev.bind_mon("inproc://mq-mon")
    dev.start()
    sub = own.ctx.socket(ringmq.SUB)
    sub.subscribe(b"")
    sub.connect("inproc://mq-mon")
    req, rep = own.ctx.socket(ringmq.REQ), own.ctx.socket(ringmq.REP)
    req.connect("inproc://mq-in")
    rep.connect("inproc://mq-out")
    req.send(b"hello")
    assert recv_within(rep) == b"hello"
    rep.send(b"world")
    assert recv_within(req) == b"world"
    seen = [recv_within(sub, multipart=True) for _ in range(2)]
    assert seen[0][0] == b"in" and seen[0][-1] == b"hello"
    assert seen[1][0] == b"out" and seen[1][-1] == b"world"
    for s in (sub, req, rep):
        s.close(linger=0)
    _ends_with_context(dev, own)


def test_monitored_queue_router_to_router(ctx):
    # ROUTER on both sides (which proxy() does not take): a worker ROUTER addressed by id.
    own = OwnContext()
    dev = own.attach(devices.ThreadMonitoredQueue(ringmq.ROUTER, ringmq.ROUTER, ringmq.PUB))
    dev.bind_in("inproc://rr-in")
    dev.bind_out("inproc://rr-out")
    dev.start()
    worker = own.ctx.socket(ringmq.DEALER)
    worker.setsockopt(ringmq.ROUTING_ID, b"worker")
    worker.connect("inproc://rr-out")
    client = own.ctx.socket(ringmq.DEALER)
    client.setsockopt(ringmq.ROUTING_ID, b"client")
    client.connect("inproc://rr-in")
    # The client names the worker; the queue swaps the ids so the worker sees the client's.
    client.send_multipart([b"worker", b"job"])
    assert recv_within(worker, multipart=True) == [b"client", b"job"]
    worker.send_multipart([b"client", b"done"])
    assert recv_within(client, multipart=True) == [b"worker", b"done"]
    for s in (worker, client):
        s.close(linger=0)
    _ends_with_context(dev, own)


def test_process_device_and_monitored_queue_run_in_children(ctx):
    front, back, mon = _tcp_port(), _tcp_port(), _tcp_port()
    queue = devices.ProcessMonitoredQueue(ringmq.ROUTER, ringmq.DEALER, ringmq.PUB)
    queue.bind_in(f"tcp://127.0.0.1:{front}")
    queue.bind_out(f"tcp://127.0.0.1:{back}")
    queue.bind_mon(f"tcp://127.0.0.1:{mon}")
    queue.start()
    try:
        sub = ctx.socket(ringmq.SUB)
        sub.subscribe(b"in")
        sub.connect(f"tcp://127.0.0.1:{mon}")
        req, rep = ctx.socket(ringmq.REQ), ctx.socket(ringmq.REP)
        req.connect(f"tcp://127.0.0.1:{front}")
        rep.connect(f"tcp://127.0.0.1:{back}")
        req.send(b"first")
        assert recv_within(rep) == b"first"
        rep.send(b"ok")
        assert recv_within(req) == b"ok"

        def ask(k):
            req.send(b"%d" % k)
            rep.send(recv_within(rep))
            recv_within(req)

        retry_until_received(ask, sub, lambda msg: int(msg[-1]) if msg[-1].isdigit() else None, multipart=True)
    finally:
        queue.launcher.terminate()
        queue.join(Deadline().left_ms() / 1000)
    assert not queue.launcher.is_alive()

    plain = devices.ProcessDevice(ringmq.STREAMER, ringmq.PULL, ringmq.PUSH)
    front, back = _tcp_port(), _tcp_port()
    plain.bind_in(f"tcp://127.0.0.1:{front}")
    plain.bind_out(f"tcp://127.0.0.1:{back}")
    plain.start()
    try:
        push, pull = ctx.socket(ringmq.PUSH), ctx.socket(ringmq.PULL)
        push.connect(f"tcp://127.0.0.1:{front}")
        pull.connect(f"tcp://127.0.0.1:{back}")
        push.send(b"through a child")
        assert recv_within(pull) == b"through a child"
    finally:
        plain.launcher.terminate()
        plain.join(Deadline().left_ms() / 1000)


def test_device_needs_socket_types():
    with pytest.raises(TypeError):
        devices.Device(ringmq.QUEUE, ringmq.PULL)
    assert devices.device is ringmq.device
