"""CLIENT and SERVER (rfc 41, libzmq's draft types) from Python: routing ids on frames and
on send, one-part messages, and one socket used by several Python threads at once."""

import threading

import pytest

import ringmq
from conftest import bind_address, last_endpoint, recv_within


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_a_server_answers_each_client_by_its_routing_id(ctx, ipc_dir, transport):
    server = ctx.socket(ringmq.SERVER)
    clients = [ctx.socket(ringmq.CLIENT) for _ in range(2)]
    try:
        server.bind(bind_address(transport, ipc_dir))
        for i, c in enumerate(clients):
            c.connect(last_endpoint(server))
            c.send(b"hello from %d" % i)
        for _ in clients:
            frame = server.recv(copy=False)
            assert frame.routing_id != 0
            server.send(b"re: " + frame.bytes, routing_id=frame.routing_id)
        for i, c in enumerate(clients):
            assert recv_within(c) == b"re: hello from %d" % i
        assert server.getsockopt(ringmq.THREAD_SAFE) == 1
    finally:
        server.close(linger=0)
        for c in clients:
            c.close(linger=0)


def test_a_frame_carries_its_routing_id_and_refuses_0(ctx):
    server = ctx.socket(ringmq.SERVER)
    client = ctx.socket(ringmq.CLIENT)
    try:
        server.bind("inproc://frames")
        client.connect("inproc://frames")
        client.send(b"ping")
        got = server.recv(copy=False)
        reply = ringmq.Frame(b"pong")
        with pytest.raises(ringmq.ZMQError) as e:
            reply.routing_id = 0
        assert e.value.errno == ringmq.EINVAL
        reply.routing_id = got.routing_id
        server.send(reply)
        assert recv_within(client) == b"pong"
        with pytest.raises(ringmq.ZMQError) as e:
            server.send(b"nobody", routing_id=got.routing_id + 1)
        assert e.value.errno == ringmq.EHOSTUNREACH
        with pytest.raises(ringmq.ZMQError) as e:
            client.send(b"part", ringmq.SNDMORE)
        assert e.value.errno == ringmq.EINVAL
    finally:
        server.close(linger=0)
        client.close(linger=0)


def test_several_python_threads_share_one_client(ctx):
    server = ctx.socket(ringmq.SERVER)
    client = ctx.socket(ringmq.CLIENT)
    threads, each = 4, 200
    client.rcvtimeo = 5000
    server.rcvtimeo = 5000
    try:
        server.bind("tcp://127.0.0.1:*")
        client.connect(last_endpoint(server))

        def echo():
            for _ in range(threads * each):
                f = server.recv(copy=False)
                server.send(f)  # the frame keeps the routing id it came with

        got = []
        lock = threading.Lock()

        def send(t):
            for i in range(each):
                client.send(b"%d:%d" % (t, i))

        def receive():
            mine = [client.recv() for _ in range(each)]
            with lock:
                got.extend(mine)

        workers = [threading.Thread(target=echo)]
        workers += [threading.Thread(target=send, args=(t,)) for t in range(threads)]
        workers += [threading.Thread(target=receive) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=30)
            assert not w.is_alive()
        assert sorted(got) == sorted(b"%d:%d" % (t, i) for t in range(threads) for i in range(each))
    finally:
        server.close(linger=0)
        client.close(linger=0)
