"""ringmq.asyncio: awaitable send, recv, multipart and poll, timeouts, Poller, and
cancellation that never loses a message."""

import asyncio

import pytest

import ringmq
import ringmq.asyncio
from conftest import DEADLINE, bind_address, last_endpoint


@pytest.fixture
def actx():
    c = ringmq.asyncio.Context()
    yield c
    c.destroy(linger=0)


async def connect(a, b, transport, ipc_dir):
    """Binds a, connects b and, for ipc and tcp, awaits a's HANDSHAKE_SUCCEEDED event."""
    mon = a.get_monitor_socket() if transport != "inproc" else None
    a.bind(bind_address(transport, ipc_dir))
    b.connect(last_endpoint(a))
    if mon is not None:
        while (await mon.recv_event())["event"] != ringmq.EVENT_HANDSHAKE_SUCCEEDED:
            pass
        a.disable_monitor()


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, DEADLINE))


@pytest.mark.parametrize("transport", ["inproc", "ipc", "tcp"])
def test_send_recv_multipart(actx, ipc_dir, transport):
    async def main():
        a = actx.socket(ringmq.DEALER)
        b = actx.socket(ringmq.DEALER)
        await connect(a, b, transport, ipc_dir)
        recv = asyncio.ensure_future(b.recv())  # waits: nothing sent yet
        await asyncio.sleep(0)
        assert not recv.done()
        await a.send(b"one")
        assert await recv == b"one"
        await a.send_multipart([b"two", b"parts"])
        assert await b.recv_multipart() == [b"two", b"parts"]
        await b.send_string("text")
        assert await a.recv_string() == "text"
        await b.send_json({"n": 1})
        assert await a.recv_json() == {"n": 1}
        frame = a.send(b"x" * 100000, copy=False)
        await frame
        got = await b.recv(copy=False)
        assert got.bytes == b"x" * 100000

    run(main())


def test_many_concurrent_receivers_are_served_in_order(actx):
    async def main():
        a = actx.socket(ringmq.PUSH)
        b = actx.socket(ringmq.PULL)
        a.bind("inproc://order")
        b.connect("inproc://order")
        waiters = [b.recv() for _ in range(5)]
        for i in range(5):
            await a.send(b"%d" % i)
        assert await asyncio.gather(*waiters) == [b"%d" % i for i in range(5)]

    run(main())


def test_poll_and_timeouts(actx):
    async def main():
        a = actx.socket(ringmq.PAIR)
        b = actx.socket(ringmq.PAIR)
        a.bind("inproc://poll")
        b.connect("inproc://poll")
        assert await b.poll(timeout=10) == 0
        assert await a.poll(timeout=0, flags=ringmq.POLLOUT) == ringmq.POLLOUT
        waiting = asyncio.ensure_future(b.poll(flags=ringmq.POLLIN))
        await asyncio.sleep(0)
        await a.send(b"wake")
        assert await waiting == ringmq.POLLIN
        assert await b.recv() == b"wake"
        b.rcvtimeo = 20
        with pytest.raises(ringmq.Again):
            await b.recv()
        with pytest.raises(ringmq.Again):
            await b.recv(ringmq.DONTWAIT)

    run(main())


def test_send_waits_for_hwm_room(actx):
    async def main():
        a = actx.socket(ringmq.PUSH)
        b = actx.socket(ringmq.PULL)
        a.sndhwm = 1
        b.rcvhwm = 1
        a.bind("inproc://hwm")
        b.connect("inproc://hwm")
        sent = 0
        while True:  # fill the pipe
            try:
                await a.send(b"fill", ringmq.DONTWAIT)
                sent += 1
            except ringmq.Again:
                break
        pending = asyncio.ensure_future(a.send(b"last"))
        await asyncio.sleep(0)
        assert not pending.done()
        for _ in range(sent):
            assert await b.recv() == b"fill"
        await pending
        assert await b.recv() == b"last"

    run(main())


def test_cancelled_pending_recv_takes_nothing(actx):
    async def main():
        a = actx.socket(ringmq.PUSH)
        b = actx.socket(ringmq.PULL)
        a.bind("inproc://cancel-pending")
        b.connect("inproc://cancel-pending")
        doomed = b.recv()
        doomed.cancel()
        await a.send(b"kept")
        assert await b.recv() == b"kept"

    run(main())


@pytest.mark.parametrize("method", ["recv", "recv_multipart", "recv_string", "recv_json"])
def test_cancel_after_arrival_gives_message_back(actx, method):
    # The task awaiting the receive is cancelled in the same loop iteration in which the
    # message is handed to it: the message must go back to the socket, not vanish.
    async def main():
        a = actx.socket(ringmq.PUSH)
        b = actx.socket(ringmq.PULL)
        a.bind(f"inproc://cancel-{method}")
        b.connect(f"inproc://cancel-{method}")
        fut = getattr(b, method)()

        async def consume():
            return await fut

        task = None
        fut.add_done_callback(lambda _: task.cancel())  # runs before the task resumes
        task = asyncio.ensure_future(consume())
        await asyncio.sleep(0)  # the task now awaits fut
        await a.send_multipart([b'"first"', b'"second"'] if method == "recv_multipart" else [b'"only"'])
        with pytest.raises(asyncio.CancelledError):
            await task
        if method == "recv_multipart":
            assert await b.recv_multipart() == [b'"first"', b'"second"']
        else:
            assert await b.recv() == b'"only"'

    run(main())


def test_wait_for_timeouts_lose_nothing(actx):
    # A consumer that keeps timing out while a producer sends: every message arrives once.
    async def main():
        a = actx.socket(ringmq.PUSH)
        b = actx.socket(ringmq.PULL)
        a.bind("inproc://wait-for")
        b.connect("inproc://wait-for")
        count = 300

        async def produce():
            for i in range(count):
                await a.send(b"%d" % i)
                if i % 7 == 0:
                    await asyncio.sleep(0)

        producer = asyncio.ensure_future(produce())
        got = []
        while len(got) < count:
            try:
                got.append(int(await asyncio.wait_for(b.recv(), 0.0005)))
            except asyncio.TimeoutError:
                pass
        await producer
        assert got == list(range(count))

    run(main())


def test_poller(actx):
    async def main():
        a = actx.socket(ringmq.PAIR)
        b = actx.socket(ringmq.PAIR)
        a.bind("inproc://apoller")
        b.connect("inproc://apoller")
        poller = ringmq.asyncio.Poller()
        poller.register(b, ringmq.POLLIN)
        assert await poller.poll(timeout=10) == []
        waiting = asyncio.ensure_future(poller.poll())
        await asyncio.sleep(0)
        await a.send(b"x")
        assert await waiting == [(b, ringmq.POLLIN)]

    run(main())


def test_close_cancels_waiters(actx):
    async def main():
        b = actx.socket(ringmq.PULL)
        b.bind("inproc://close-cancels")
        fut = b.recv()
        b.close()
        with pytest.raises(asyncio.CancelledError):
            await fut

    run(main())


def test_asyncio_monitor(actx, ipc_dir):
    async def main():
        a = actx.socket(ringmq.PAIR)
        mon = a.get_monitor_socket()
        a.bind(f"ipc://{ipc_dir}/amon.sock")
        event = await mon.recv_event()
        assert event["event"] == ringmq.EVENT_LISTENING
        b = actx.socket(ringmq.PAIR)
        b.connect(f"ipc://{ipc_dir}/amon.sock")
        seen = []
        while ringmq.EVENT_HANDSHAKE_SUCCEEDED not in seen:
            seen.append((await mon.recv_event())["event"])
        a.disable_monitor()

    run(main())
