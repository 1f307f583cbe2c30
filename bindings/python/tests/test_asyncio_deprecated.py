"""ringmq.asyncio's deprecated pyzmq names: ZMQEventLoop (a plain SelectorEventLoop) and
install() (nothing to install), each warning once as pyzmq does."""

import asyncio
import warnings

from conftest import DEADLINE

import ringmq
import ringmq.asyncio


def test_deprecated_zmq_event_loop_runs_asyncio_sockets():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ringmq.asyncio._warned_deprecated = False
        ringmq.asyncio.install()
        loop = ringmq.asyncio.ZMQEventLoop()
    assert [w.category for w in caught] == [DeprecationWarning]  # once, as pyzmq
    assert isinstance(loop, asyncio.SelectorEventLoop)
    ctx = ringmq.asyncio.Context()

    async def exchange():
        pull, push = ctx.socket(ringmq.PULL), ctx.socket(ringmq.PUSH)
        pull.bind("inproc://zmq-event-loop")
        push.connect("inproc://zmq-event-loop")
        waiting = asyncio.ensure_future(pull.recv_multipart())
        await push.send_multipart([b"a", b"b"])
        return await asyncio.wait_for(waiting, DEADLINE)

    try:
        assert loop.run_until_complete(exchange()) == [b"a", b"b"]
    finally:
        loop.close()
        ctx.destroy(linger=0)
