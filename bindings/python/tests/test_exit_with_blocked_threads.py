"""A program may end while daemon threads wait in ringmq calls (recv, poll, a proxy device):
the interpreter's exit must not abort the process. CPython ends a daemon thread that asks
for the GIL during finalization with pthread_exit; the binding must not let that unwind
through a destructor (std::terminate, "terminate called without an active exception")."""

import os
import subprocess
import sys
import textwrap

import pytest

# The child keeps the interpreter finalizing for a while (a module global's __del__ spins),
# so that every waiting thread's next wait slice (100 ms) ends during finalization and asks
# for the GIL then.
CHILD = textwrap.dedent("""
    import threading, time
    import ringmq as zmq
    from ringmq import devices

    ctx = zmq.Context()
    for i in range(4):
        # One socket per waiting thread: a socket is used by one thread at a time (debug
        # builds abort on overlap).
        pull = ctx.socket(zmq.PULL)
        pull.bind(f"inproc://recv-{i}")
        threading.Thread(target=pull.recv, daemon=True).start()
        polled = ctx.socket(zmq.PULL)
        polled.bind(f"inproc://poll-{i}")
        poller = zmq.Poller()
        poller.register(polled, zmq.POLLIN)
        threading.Thread(target=poller.poll, daemon=True).start()
    for i in range(2):
        dev = devices.ThreadProxy(zmq.PULL, zmq.PUSH, zmq.PUB)
        dev.bind_in(f"inproc://dev-in-{i}")
        dev.bind_out(f"inproc://dev-out-{i}")
        dev.start()
    queue = devices.ThreadMonitoredQueue(zmq.ROUTER, zmq.DEALER, zmq.PUB)
    queue.bind_in("inproc://mq-in")
    queue.bind_out("inproc://mq-out")
    queue.start()

    class SlowFinalizer:
        def __del__(self):
            until = time.monotonic() + 0.5
            while time.monotonic() < until:
                pass

    slow = SlowFinalizer()
    print("exiting", flush=True)
""")


@pytest.mark.parametrize("run", range(3))
def test_exit_while_daemon_threads_wait_in_ringmq(run):
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "exiting"
    assert "terminate called" not in done.stderr
    assert done.returncode == 0, done.stderr
