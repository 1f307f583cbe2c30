"""Failed construction (issue 15, defect 7): whatever arguments Context, Socket, Frame, Poller
and the authenticator get, a failure raises a clear error (pyzmq's, where pyzmq 24 has one)
and leaves nothing behind that crashes later, at garbage collection or at exit.

A pybind11 object whose constructor threw has no C++ part, and pybind11 gives its methods
uninitialized memory as `self`: `ringmq.Context(-1)` used to segfault when its __del__ ran.
So every case runs in a child interpreter, where a crash fails the case instead of ending the
whole test run, and the child goes on to use what a subclass kept of the half-built object.
"""

import errno
import subprocess
import sys
import textwrap

import pytest

from conftest import DEADLINE

# The child: runs one case, prints what it raised, then pokes at every object a subclass kept
# from inside a failed __init__ (they must behave as closed objects), collects, and exits.
CHILD = textwrap.dedent("""
    import errno, gc, sys
    import ringmq, ringmq.asyncio, ringmq.auth
    from ringmq import _core

    kept = []

    class KeptContext(ringmq.Context):
        def __init__(self, *args, **kwargs):
            kept.append(self)
            super().__init__(*args, **kwargs)

    class FailsFirstContext(ringmq.Context):
        def __init__(self, *args, **kwargs):
            kept.append(self)
            raise ValueError("a subclass refused before calling super().__init__")

    class KeptSocket(ringmq.Socket):
        def __init__(self, *args, **kwargs):
            kept.append(self)
            super().__init__(*args, **kwargs)

    def terminated():
        c = ringmq.Context()
        c.term()
        return c

    ctx = ringmq.Context()
    try:
        CASE
    except Exception as e:
        print("raised", type(e).__name__, getattr(e, "errno", None), "|", e)
    else:
        print("raised nothing")

    for obj in kept:
        assert obj.closed, repr(obj)
        repr(obj)
        if isinstance(obj, ringmq.Context):
            obj.destroy(linger=0)
            try:
                obj.socket(ringmq.PAIR)
            except ringmq.ZMQError as e:
                assert e.errno == errno.ENOTSUP, e
            else:
                raise AssertionError("a half-built context made a socket")
        else:
            obj.close()
            try:
                obj.send(b"x")
            except ringmq.ZMQError as e:
                assert e.errno == errno.ENOTSOCK, e
            else:
                raise AssertionError("a half-built socket sent")
    del kept[:]
    gc.collect()
    ctx.destroy(linger=0)
    print("collected")
""")

# case -> (code, exception name or None, errno or None)
CASES = {
    # pyzmq 24: zmq.Context(io_threads=-1) raises ZMQError(EINVAL).
    "context_negative_io_threads": ("ringmq.Context(-1)", "ZMQError", errno.EINVAL),
    "context_keyword_io_threads": ("ringmq.Context(io_threads=-1)", "ZMQError", errno.EINVAL),
    "context_str_io_threads": ("ringmq.Context('x')", "TypeError", None),
    "context_huge_io_threads": ("ringmq.Context(2**64)", "OverflowError", None),
    # An address that names no live ringmq object (libzmq would crash on a bad pointer).
    "context_shadow_nothing": ("ringmq.Context(shadow=1)", "ZMQError", errno.EFAULT),
    "context_shadow_terminated": ("ringmq.Context.shadow(terminated().underlying)", "ZMQError", errno.EFAULT),
    "context_subclass_keeps_self": ("KeptContext(-1)", "ZMQError", errno.EINVAL),
    "context_subclass_fails_first": ("FailsFirstContext(1)", "ValueError", None),
    "asyncio_context": ("ringmq.asyncio.Context(-1)", "ZMQError", errno.EINVAL),
    "socket_unknown_type": ("ctx.socket(999)", "ZMQError", errno.EINVAL),
    "socket_str_type": ("ringmq.Socket(ctx, 'x')", "TypeError", None),
    "socket_not_a_context": ("ringmq.Socket(object(), ringmq.PAIR)", "TypeError", None),
    "socket_terminated_context": ("ringmq.Socket(terminated(), ringmq.PAIR)", "ZMQError", errno.ENOTSUP),
    "socket_subclass_keeps_self": ("KeptSocket(ctx, 999)", "ZMQError", errno.EINVAL),
    "socket_shadow_nothing": ("KeptSocket(shadow=1)", "ZMQError", errno.EFAULT),
    "socket_subclass_bad_copy_threshold": ("KeptSocket(ctx, ringmq.PAIR, copy_threshold=-5)", "TypeError", None),
    "asyncio_socket_unknown_type": ("ringmq.asyncio.Context().socket(999)", "ZMQError", errno.EINVAL),
    "asyncio_socket_not_a_context": ("ringmq.asyncio.Socket(object(), ringmq.PAIR)", "TypeError", None),
    "frame_str": ("ringmq.Frame('text')", "TypeError", None),
    "frame_not_a_buffer": ("ringmq.Frame(5)", "TypeError", None),
    # pyzmq takes any truthy value for copy.
    "frame_truthy_copy": ("ringmq.Frame(bytearray(10), copy='yes')", None, None),
    "poller_arguments": ("ringmq.Poller(1)", "TypeError", None),
    "monitor_no_constructor": ("_core.Monitor()", "TypeError", None),
    "authenticator_not_a_context": ("_core.Authenticator(object())", "TypeError", None),
    "authenticator_terminated_context": ("_core.Authenticator(terminated())", "ZMQError", errno.ENOTSUP),
    "authenticator_second_on_context": (
        "first = _core.Authenticator(ctx)\n"
        "try:\n"
        "    _core.Authenticator(ctx)\n"
        "finally:\n"
        "    assert first.running and first.stats() == (0, 0)\n"
        "    first.stop()", "ZMQError", errno.EADDRINUSE),
    "thread_authenticator_terminated_context": (
        "a = ringmq.auth.ThreadAuthenticator(terminated())\n"
        "try:\n"
        "    a.start()\n"
        "finally:\n"
        "    assert not a.is_alive()", "ZMQError", errno.ENOTSUP),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_failed_construction_raises_and_never_crashes(case):
    code, exc_name, errnum = CASES[case]
    child = CHILD.replace("    CASE", textwrap.indent(code, "    "))
    proc = subprocess.run([sys.executable, "-X", "faulthandler", "-c", child], capture_output=True, text=True,
                          timeout=DEADLINE)
    assert proc.returncode == 0, f"child died ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    assert "Exception ignored" not in proc.stderr, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1] == "collected", proc.stdout
    outcome = lines[0]
    if exc_name is None:
        assert outcome == "raised nothing"
    else:
        assert outcome.startswith(f"raised {exc_name} {errnum} |"), outcome
