"""Publish/subscribe with topics: a subscriber receives only the messages whose first part
starts with a prefix it subscribed to; the publisher filters before sending.

A subscription travels to the publisher over the connection, so a message published before
it arrives is not delivered to that subscriber (the "slow joiner"). An XPUB publisher sees
subscriptions arrive as messages (b"\\x01" + topic), so it waits for them here instead of
guessing with a sleep.
"""
import sys

import ringmq as zmq


def drain(sub: zmq.Socket, name: str) -> int:
    """Prints the [topic, body] messages arriving on `sub` until b"end"; returns how many."""
    count = 0
    while (parts := sub.recv_multipart())[0] != b"end":
        print(f"{name} got {parts[0].decode():<14} {parts[1].decode()}")
        count += 1
    return count


def main() -> int:
    ctx = zmq.Context()
    publisher = ctx.socket(zmq.XPUB)
    publisher.bind("tcp://127.0.0.1:*")  # "*": the kernel picks a free port
    endpoint = publisher.getsockopt_string(zmq.LAST_ENDPOINT)

    # Subscriptions go out in order once connected, b"end" first: when the publisher has seen
    # a subscriber's topic, it has that subscriber's b"end" too.
    subscribers = {}
    for name, topic in (("weather", b"weather."), ("news", b"news.")):
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.SUBSCRIBE, b"end")
        sub.setsockopt(zmq.SUBSCRIBE, topic)
        sub.connect(endpoint)
        subscribers[name] = sub

    # XPUB passes each distinct subscription up once (b"end" only for the first subscriber).
    seen = set()
    while not {b"weather.", b"news."} <= seen:
        topic = publisher.recv()[1:]
        print(f"publisher: subscription to {topic.decode()!r}")
        seen.add(topic)

    for update in (
        [b"weather.paris", b"12 C, rain"],
        [b"sports.chess", b"a draw"],  # nobody subscribed: it never leaves the publisher
        [b"news.science", b"a new comet"],
        [b"weather.oslo", b"-3 C, snow"],
        [b"end", b""],
    ):
        publisher.send_multipart(update)

    counts = {name: drain(sub, f"{name:<7} subscriber") for name, sub in subscribers.items()}
    print(f"weather subscriber: {counts['weather']} messages, news subscriber: {counts['news']}")
    ctx.destroy(linger=0)
    return 0 if counts == {"weather": 2, "news": 1} else 1


if __name__ == "__main__":
    sys.exit(main())
