"""asyncio: ringmq.asyncio (pyzmq's zmq.asyncio) sockets whose send and recv are awaitable,
so one event loop serves many sockets next to other coroutines. A ROUTER server answers
three REQ clients that all wait at once; a timeout is an ordinary asyncio.wait_for.
"""
import asyncio
import sys

import ringmq as zmq
import ringmq.asyncio


async def server(sock: zmq.asyncio.Socket, requests: int) -> None:
    """Answers `requests` requests: [routing id, b"", body] in, the same envelope out."""
    for _ in range(requests):
        routing_id, empty, body = await sock.recv_multipart()
        await sock.send_multipart([routing_id, empty, body[::-1]])


async def client(ctx: zmq.asyncio.Context, endpoint: str, text: str) -> str:
    sock = ctx.socket(zmq.REQ)
    sock.connect(endpoint)
    await sock.send_string(text)
    reply = await asyncio.wait_for(sock.recv_string(), timeout=10)
    sock.close()
    print(f"client: sent {text!r}, got {reply!r}")
    return reply


async def main() -> int:
    ctx = zmq.asyncio.Context()
    router = ctx.socket(zmq.ROUTER)
    router.bind("tcp://127.0.0.1:*")  # "*": the kernel picks a free port
    endpoint = router.getsockopt_string(zmq.LAST_ENDPOINT)

    texts = ["stressed", "drawer", "ringmq"]
    serving = asyncio.create_task(server(router, len(texts)))
    replies = await asyncio.gather(*(client(ctx, endpoint, t) for t in texts))
    await asyncio.wait_for(serving, timeout=10)
    ctx.destroy(linger=0)
    return 0 if replies == [t[::-1] for t in texts] else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
