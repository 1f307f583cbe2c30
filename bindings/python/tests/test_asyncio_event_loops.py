"""ringmq.asyncio across event loops (issue 15, defect 7): sockets used from one loop and then
another, as with asyncio.run twice in one process, keep working, as pyzmq's do. What a socket
keeps per loop (the reader on its fd, waiting Futures, the eager count) follows the loop it is
used from; nothing left by a closed loop takes a message."""

import asyncio

import pytest

import ringmq
import ringmq.asyncio
from conftest import DEADLINE

RUNS = 3


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, DEADLINE))


@pytest.fixture
def actx():
    c = ringmq.asyncio.Context()
    yield c
    c.destroy(linger=0)


def pair(actx, name):
    a = actx.socket(ringmq.PAIR)
    b = actx.socket(ringmq.PAIR)
    a.bind(f"inproc://{name}")
    b.connect(f"inproc://{name}")
    return a, b


async def exchange(a, b, n):
    """Waits in every way a socket can (the reader on its fd stays registered at the end)."""
    waiting = asyncio.ensure_future(a.recv())
    await asyncio.sleep(0)
    assert not waiting.done()
    await b.send(b"recv %d" % n)
    assert await waiting == b"recv %d" % n

    polled = asyncio.ensure_future(a.poll())
    await asyncio.sleep(0)
    await b.send(b"poll %d" % n)
    assert await polled == ringmq.POLLIN
    assert await a.recv() == b"poll %d" % n

    poller = ringmq.asyncio.Poller()
    poller.register(a, ringmq.POLLIN)
    polled = asyncio.ensure_future(poller.poll())
    await asyncio.sleep(0)
    await b.send(b"poller %d" % n)
    assert await polled == [(a, ringmq.POLLIN)]
    assert await a.recv_multipart() == [b"poller %d" % n]

    waiting = asyncio.ensure_future(a.recv_string())
    await asyncio.sleep(0)
    await b.send_string("last %d" % n)
    assert await waiting == "last %d" % n


def test_sockets_made_outside_any_loop_work_in_every_run(actx):
    a, b = pair(actx, "loops-outside")
    for n in range(RUNS):
        run(exchange(a, b, n))


def test_sockets_made_in_one_run_work_in_the_next():
    async def make():
        c = ringmq.asyncio.Context()
        a, b = pair(c, "loops-made-inside")
        await exchange(a, b, 0)
        return c, a, b

    c, a, b = run(make())
    try:
        for n in range(1, RUNS):
            run(exchange(a, b, n))
    finally:
        c.destroy(linger=0)


def test_waiters_left_by_a_closed_loop_take_nothing(actx):
    a, b = pair(actx, "loops-left")

    async def leave_waiters():
        # Bare Futures, not tasks: asyncio.run does not cancel them, they die with the loop.
        a.recv()
        a.poll()
        ringmq.asyncio.Poller().register(a, ringmq.POLLIN)
        await asyncio.sleep(0)

    async def receive(n):
        await b.send(b"kept %d" % n)
        assert await a.recv() == b"kept %d" % n

    for n in range(RUNS):
        run(leave_waiters())
        run(receive(n))


def test_send_waiting_for_room_in_the_next_run(actx):
    a = actx.socket(ringmq.PUSH)
    b = actx.socket(ringmq.PULL)
    a.sndhwm = 1
    b.rcvhwm = 1
    a.bind("inproc://loops-hwm")
    b.connect("inproc://loops-hwm")

    async def fill_then_wait(n):
        sent = 0
        while True:
            try:
                await a.send(b"fill", ringmq.DONTWAIT)
                sent += 1
            except ringmq.Again:
                break
        pending = asyncio.ensure_future(a.send(b"last %d" % n))
        await asyncio.sleep(0)
        assert not pending.done()
        for _ in range(sent):
            assert await b.recv() == b"fill"
        await pending
        assert await b.recv() == b"last %d" % n

    for n in range(RUNS):
        run(fill_then_wait(n))


def test_monitor_in_every_run(actx):
    a = actx.socket(ringmq.PAIR)
    mon = a.get_monitor_socket()

    async def listen(n):
        a.bind("tcp://127.0.0.1:*")  # inproc endpoints raise no events, as in libzmq
        event = await mon.recv_event()
        assert event["event"] == ringmq.EVENT_LISTENING
        waiting = asyncio.ensure_future(mon.recv_event())
        await asyncio.sleep(0)
        a.unbind(event["endpoint"].decode())
        assert (await waiting)["event"] == ringmq.EVENT_CLOSED

    for n in range(RUNS):
        run(listen(n))
