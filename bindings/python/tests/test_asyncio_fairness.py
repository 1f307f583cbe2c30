"""ringmq.asyncio and the other tasks of the loop (issue 15, defect 7): awaiting a Future that
is already done does not yield, so a task whose socket is always ready used to run alone
(poll() never yielded: other tasks starved at 100 % CPU). poll() must answer through the loop,
as pyzmq's does, and recv/send may complete at once only so many times in a row.

Each test counts the turns a second task gets while the first one awaits a ready socket a
fixed number of times: the loop is cooperative, so the count is exact, not a timing."""

import asyncio
import os

import pytest

import ringmq
import ringmq.asyncio
from conftest import DEADLINE

# The contract checked: another task gets a turn at least every EVERY calls that complete at
# once (ringmq.asyncio._EAGER_LIMIT is below it).
EVERY = 128
CALLS = 8 * EVERY


@pytest.fixture
def actx():
    c = ringmq.asyncio.Context()
    yield c
    c.destroy(linger=0)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, DEADLINE))


async def turns_of_another_task(op, calls=CALLS):
    """How many turns another task gets while this one awaits op() `calls` times."""
    turns = 0
    finished = False

    async def other():
        nonlocal turns
        while not finished:
            turns += 1
            await asyncio.sleep(0)

    task = asyncio.ensure_future(other())
    await asyncio.sleep(0)
    turns = 0
    results = [await op() for _ in range(calls)]
    finished = True
    await task
    return turns, results


def pair(actx, name):
    a = actx.socket(ringmq.PAIR)
    b = actx.socket(ringmq.PAIR)
    for s in (a, b):  # room for all CALLS messages before the first is received
        s.sndhwm = s.rcvhwm = 0
    a.bind(f"inproc://{name}")
    b.connect(f"inproc://{name}")
    return a, b


def test_socket_poll_yields_when_ready(actx):
    async def main():
        a, b = pair(actx, "fair-sock-poll")
        await b.send(b"stays unread")
        for timeout in (None, 10_000):
            turns, results = await turns_of_another_task(lambda: a.poll(timeout))
            assert results == [ringmq.POLLIN] * CALLS
            assert turns >= CALLS, f"timeout={timeout}: the other task ran {turns} times in {CALLS} polls"
        turns, results = await turns_of_another_task(lambda: a.poll(flags=ringmq.POLLOUT))
        assert results == [ringmq.POLLOUT] * CALLS and turns >= CALLS
        # timeout=0 is a non-blocking check and answers at once, as pyzmq's Poller does.
        assert (await a.poll(0)) == ringmq.POLLIN

    run(main())


def test_poller_poll_yields_when_ready(actx):
    async def main():
        a, b = pair(actx, "fair-poller")
        plain = ringmq.Socket(actx, ringmq.PAIR)  # a blocking socket in an asyncio Poller
        plain.bind("inproc://fair-poller-plain")
        peer = actx.socket(ringmq.PAIR)
        peer.connect("inproc://fair-poller-plain")
        r, w = os.pipe()
        try:
            await b.send(b"stays unread")
            await peer.send(b"stays unread too")
            os.write(w, b"x")
            for registered in ([(a, ringmq.POLLIN)], [(plain, ringmq.POLLIN)], [(r, ringmq.POLLIN)],
                               [(a, ringmq.POLLIN), (plain, ringmq.POLLIN), (r, ringmq.POLLIN)]):
                poller = ringmq.asyncio.Poller()
                for sock, flags in registered:
                    poller.register(sock, flags)
                for timeout in (None, 10_000):
                    turns, results = await turns_of_another_task(lambda: poller.poll(timeout))
                    assert all(set(res) == set(registered) for res in results), results[0]
                    assert turns >= CALLS, f"{registered}: the other task ran {turns} times in {CALLS} polls"
        finally:
            os.close(r)
            os.close(w)
            plain.close(0)

    run(main())


def test_recv_of_always_ready_messages_lets_others_run(actx):
    async def main():
        a, b = pair(actx, "fair-recv")
        for method in ("recv", "recv_multipart"):
            for i in range(CALLS):
                await b.send_multipart([b"%d" % i, b"part"])
            frames = []
            a_recv = getattr(a, method)

            async def take():
                msg = await a_recv()
                if method == "recv":
                    frames.append(msg)
                    return await a.recv()  # the second part
                return msg

            turns, results = await turns_of_another_task(take)
            expected = [[b"%d" % i, b"part"] for i in range(CALLS)]
            got = [[f, r] for f, r in zip(frames, results)] if method == "recv" else results
            assert got == expected, "messages reordered or lost"
            # recv used twice per message here: 2 * CALLS completions.
            calls = CALLS * (2 if method == "recv" else 1)
            assert turns >= calls // EVERY, f"{method}: {turns} turns in {calls} calls"

    run(main())


def test_send_with_room_lets_others_run(actx):
    async def main():
        a, b = pair(actx, "fair-send")
        for method, msg in (("send", b"one"), ("send_multipart", [b"two", b"parts"])):
            a_send = getattr(a, method)
            turns, _ = await turns_of_another_task(lambda: a_send(msg))
            assert turns >= CALLS // EVERY, f"{method}: {turns} turns in {CALLS} calls"
            for _ in range(CALLS):
                got = await (b.recv() if method == "send" else b.recv_multipart())
                assert got == msg

    run(main())


def test_deferred_calls_keep_their_order(actx):
    # Past the eager limit calls queue behind one another: gathered receives and sends still
    # complete in the order they were made.
    async def main():
        a, b = pair(actx, "fair-order")
        n = 3 * EVERY
        await asyncio.gather(*[b.send(b"%d" % i) for i in range(n)])
        got = await asyncio.gather(*[a.recv() for _ in range(n)])
        assert got == [b"%d" % i for i in range(n)]

    run(main())
