"""SCATTER and GATHER (rfc 49, libzmq's draft types) from Python: one-part messages sent
round-robin, and one socket used by several Python threads at once."""

import threading

import pytest

import ringmq
from conftest import bind_address, last_endpoint, recv_within


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_a_scatter_sends_one_part_messages_to_a_gather(ctx, ipc_dir, transport):
    gather = ctx.socket(ringmq.GATHER)
    scatter = ctx.socket(ringmq.SCATTER)
    try:
        gather.bind(bind_address(transport, ipc_dir))
        scatter.connect(last_endpoint(gather))
        with pytest.raises(ringmq.ZMQError) as refused:
            scatter.send(b"part", ringmq.SNDMORE)
        assert refused.value.errno == ringmq.EINVAL
        scatter.send(b"item")
        assert recv_within(gather) == b"item"
        assert gather.getsockopt(ringmq.THREAD_SAFE) == 1
        assert scatter.getsockopt(ringmq.THREAD_SAFE) == 1
    finally:
        scatter.close(linger=0)
        gather.close(linger=0)


def test_several_threads_send_on_one_scatter(ctx):
    gather = ctx.socket(ringmq.GATHER)
    scatter = ctx.socket(ringmq.SCATTER)
    try:
        gather.bind("inproc://scatter-threads")
        scatter.connect("inproc://scatter-threads")
        threads = [
            threading.Thread(target=lambda t=t: [scatter.send(b"%d:%d" % (t, i)) for i in range(100)])
            for t in range(4)
        ]
        for t in threads:
            t.start()
        got = [recv_within(gather) for _ in range(400)]
        for t in threads:
            t.join()
        assert sorted(got) == sorted(b"%d:%d" % (t, i) for t in range(4) for i in range(100))
    finally:
        scatter.close(linger=0)
        gather.close(linger=0)
