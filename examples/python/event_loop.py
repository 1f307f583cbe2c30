"""A foreign event loop: a program built on selectors (or its own poll loop) serves a ringmq
socket next to its own file descriptors through the socket's FD and EVENTS options, as with
pyzmq. The FD is level-triggered on "EVENTS may report something": wait for it to be
readable, then read EVENTS and receive until it no longer reports POLLIN.

A PULL socket, fed over tcp by a producer thread, and a pipe share one selector.
"""
import os
import selectors
import sys
import threading

import ringmq as zmq


def produce(ctx: zmq.Context, endpoint: str, write_fd: int) -> None:
    """Sends five messages and b"done", and writes to the pipe on the way."""
    push = ctx.socket(zmq.PUSH)
    push.connect(endpoint)
    for i in range(1, 6):
        push.send_string(f"message {i}")
    os.write(write_fd, b"!")
    push.send(b"done")
    push.close()


def main() -> int:
    ctx = zmq.Context()
    pull = ctx.socket(zmq.PULL)
    pull.bind("tcp://127.0.0.1:*")  # "*": the kernel picks a free port
    read_fd, write_fd = os.pipe()
    producer = threading.Thread(target=produce, args=(ctx, pull.getsockopt_string(zmq.LAST_ENDPOINT), write_fd))
    producer.start()

    selector = selectors.DefaultSelector()
    selector.register(pull.getsockopt(zmq.FD), selectors.EVENT_READ, "socket")
    selector.register(read_fd, selectors.EVENT_READ, "pipe")
    received, piped, done = 0, False, False
    while not done or not piped:
        ready = selector.select(timeout=10)
        if not ready:
            break  # nothing for 10 s: something is wrong
        for key, _ in ready:
            if key.data == "pipe":
                os.read(read_fd, 1)
                print("loop: the pipe is readable")
                piped = True
                selector.unregister(read_fd)
                continue
            # The socket: act until EVENTS reports nothing to receive.
            while pull.getsockopt(zmq.EVENTS) & zmq.POLLIN:
                text = pull.recv_string(zmq.NOBLOCK)
                if text == "done":
                    done = True
                else:
                    print(f"loop: received {text!r}")
                    received += 1
    producer.join()
    selector.close()
    os.close(read_fd)
    os.close(write_fd)
    print(f"loop: {received} messages through selectors")
    ctx.destroy(linger=0)
    return 0 if received == 5 and done and piped else 1


if __name__ == "__main__":
    sys.exit(main())
