"""Blocking calls release the GIL and Ctrl-C interrupts them promptly. The interrupt tests
run a child interpreter blocked in a call and send it SIGINT."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import ringmq
from conftest import DEADLINE, Deadline

CHILD = textwrap.dedent("""
    import sys, time
    import ringmq
    ctx = ringmq.Context()
    s = ctx.socket(ringmq.PULL)
    s.bind("inproc://never")
    poller = ringmq.Poller()
    poller.register(s, ringmq.POLLIN)
    call = {
        "recv": lambda: s.recv(),
        "recv_multipart": lambda: s.recv_multipart(),
        "poll": lambda: s.poll(),
        "poller": lambda: poller.poll(),
        "monitor": lambda: s.get_monitor_socket().recv_event(),
    }[sys.argv[1]]
    print("ready", flush=True)
    try:
        call()
    except KeyboardInterrupt:
        print("interrupted %.6f" % time.monotonic(), flush=True)
        s.close(linger=0)
        ctx.term()
        sys.exit(0)
    sys.exit(3)
""")


def _sleeping(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as f:
        state = f.read().rsplit(")", 1)[1].split()[0]
    return state == "S"


def _all_threads_sleeping(pid: int) -> bool:
    try:
        return all(_sleeping_task(pid, tid) for tid in os.listdir(f"/proc/{pid}/task"))
    except FileNotFoundError:
        return False


def _sleeping_task(pid: int, tid: str) -> bool:
    with open(f"/proc/{pid}/task/{tid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] == "S"


@pytest.mark.parametrize("call", ["recv", "recv_multipart", "poll", "poller", "monitor"])
def test_sigint_interrupts_blocking_call(call):
    env = dict(os.environ)
    child = subprocess.Popen([sys.executable, "-c", CHILD, call], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        # Wait (bounded) until every thread of the child sleeps: it is inside the blocking call.
        deadline = Deadline()
        while not _all_threads_sleeping(child.pid):
            assert not deadline.passed(), "the child never blocked"
            time.sleep(0.005)  # polling the child's state, not waiting for a peer
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=DEADLINE)
        assert child.returncode == 0, (out, err)
        interrupted_at = float(out.split()[1])
        # Interrupted within the signal-check slice (100 ms) plus scheduling slack.
        assert interrupted_at - sent < 2.0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_gil_released_while_blocked(ctx):
    s = ctx.socket(ringmq.PULL)
    s.bind("inproc://gil")
    s.rcvtimeo = 1000
    blocked = threading.Event()
    result = []

    def receiver():
        blocked.set()
        try:
            s.recv()
        except ringmq.Again:
            result.append("timeout")

    t = threading.Thread(target=receiver)
    t.start()
    blocked.wait()
    # While the receiver waits in recv, this thread keeps running Python code.
    count = 0
    start = time.monotonic()
    while t.is_alive() and time.monotonic() - start < 0.5:
        count += 1
    t.join(DEADLINE)
    assert count > 10000
    assert result == ["timeout"]


def test_rcvtimeo_is_honoured_across_signal_slices(ctx):
    s = ctx.socket(ringmq.PULL)
    s.bind("inproc://timeo")
    s.rcvtimeo = 350  # spans several 100 ms slices
    start = time.monotonic()
    with pytest.raises(ringmq.Again):
        s.recv()
    elapsed = time.monotonic() - start
    assert 0.3 <= elapsed < 5
    assert s.rcvtimeo == 350  # the user's value, not the slice


def test_term_wakes_blocked_thread(ctx):
    s = ctx.socket(ringmq.PULL)
    s.bind("inproc://term")
    errors = []
    started = threading.Event()

    def receiver():
        started.set()
        try:
            s.recv()
        except ringmq.ContextTerminated as e:
            errors.append(e)

    t = threading.Thread(target=receiver)
    t.start()
    started.wait()
    ctx.term()
    t.join(DEADLINE)
    assert not t.is_alive()
    assert len(errors) == 1 and errors[0].errno == ringmq.ETERM
    s.close()
