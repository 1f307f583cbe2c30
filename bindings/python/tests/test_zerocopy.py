"""Zero-copy: copy=False lends buffers to the library, trackers say when it is done with
them, the buffers are released (on a Python thread, never an I/O thread), and received
Frames share the received bytes."""

import array
import gc

import pytest

import ringmq
from conftest import DEADLINE, connect_pair, recv_within, TRANSPORTS

BIG = ringmq.COPY_THRESHOLD  # at or above this many bytes, copy=False lends instead of copying


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_lent_buffer_is_released_after_delivery(ctx, ipc_dir, transport):
    push = ctx.socket(ringmq.PUSH)
    pull = ctx.socket(ringmq.PULL)
    connect_pair(pull, push, transport, ipc_dir, watch=pull)
    buf = bytearray(b"z" * BIG)
    tracker = push.send(buf, copy=False, track=True)
    assert isinstance(tracker, ringmq.MessageTracker)
    # While lent, the exporter is locked: resizing a lent bytearray is refused.
    got = recv_within(pull, seconds=DEADLINE)
    assert got == bytes(buf)
    tracker.wait(DEADLINE)
    assert tracker.done
    buf.extend(b"!")  # released: the bytearray can be resized again


def test_lent_buffer_is_locked_until_done(ctx):
    push = ctx.socket(ringmq.PUSH)
    pull = ctx.socket(ringmq.PULL)
    push.bind("inproc://locked")
    pull.connect("inproc://locked")
    buf = bytearray(BIG)
    tracker = push.send(buf, copy=False, track=True)
    frame = pull.recv(copy=False)  # the frame shares the lent body: still in use
    assert not tracker.done
    with pytest.raises(BufferError):
        buf.extend(b"!")
    with pytest.raises(ringmq.NotDone):
        tracker.wait(0.01)
    del frame
    gc.collect()
    tracker.wait(DEADLINE)
    buf.extend(b"!")


def test_small_buffers_are_copied_even_with_copy_false(ctx):
    push = ctx.socket(ringmq.PUSH)
    pull = ctx.socket(ringmq.PULL)
    push.bind("inproc://small")
    pull.connect("inproc://small")
    buf = bytearray(b"small")
    tracker = push.send(buf, copy=False, track=True)
    assert tracker.done  # copied: nothing to wait for
    buf.extend(b"!")
    assert pull.recv() == b"small"
    push.copy_threshold = 0
    buf2 = bytearray(b"lent")
    tracker = push.send(buf2, copy=False, track=True)
    assert pull.recv() == b"lent"
    tracker.wait(DEADLINE)


def test_received_frame(ctx):
    a = ctx.socket(ringmq.PAIR)
    b = ctx.socket(ringmq.PAIR)
    a.bind("inproc://frame")
    b.connect("inproc://frame")
    a.send_multipart([b"head", b"x" * 100])
    head = b.recv(copy=False)
    body = b.recv(copy=False)
    assert isinstance(head, ringmq.Frame)
    assert head.more and not body.more
    assert head.bytes == b"head" and bytes(head) == b"head" and len(body) == 100
    view = memoryview(body)
    assert view.readonly and view.tobytes() == b"x" * 100
    assert body.buffer.tobytes() == b"x" * 100
    assert head.get(ringmq.MORE) == 1
    assert b.poll(0) == 0
    a.send(b"again")
    frames = b.recv_multipart(copy=False)
    assert [f.bytes for f in frames] == [b"again"]


def test_frame_can_be_sent_and_resent(ctx):
    a = ctx.socket(ringmq.PUSH)
    b = ctx.socket(ringmq.PULL)
    a.bind("inproc://resend")
    b.connect("inproc://resend")
    data = array.array("d", range(BIG // 8))
    frame = ringmq.Frame(data, track=True)
    a.send(frame, copy=False)
    a.send(frame, copy=False)  # the body is shared, not consumed
    assert b.recv() == data.tobytes()
    assert b.recv() == data.tobytes()
    tracker = frame.tracker
    assert not tracker.done  # the Frame itself still holds the buffer
    del frame
    gc.collect()
    tracker.wait(DEADLINE)


def test_numpy_like_exporters(ctx):
    a = ctx.socket(ringmq.PUSH)
    b = ctx.socket(ringmq.PULL)
    a.bind("inproc://exporters")
    b.connect("inproc://exporters")
    mv = memoryview(bytearray(BIG * 2))[BIG // 2: BIG // 2 + BIG]  # a slice of a buffer
    a.send(mv, copy=False)
    assert len(b.recv()) == BIG
    with pytest.raises((ValueError, BufferError, TypeError)):
        a.send(memoryview(bytearray(BIG * 2))[::2], copy=False)  # not contiguous


def test_every_buffer_lent_over_tcp_comes_back(ctx):
    from ringmq import _core

    push = ctx.socket(ringmq.PUSH)
    pull = ctx.socket(ringmq.PULL)
    connect_pair(pull, push, "tcp", "", watch=pull)
    before = _core._gc_stats()
    trackers = [push.send(bytes(BIG), copy=False, track=True) for _ in range(20)]
    for _ in range(20):
        assert len(recv_within(pull)) == BIG
    for t in trackers:
        t.wait(DEADLINE)
    after = _core._gc_stats()
    assert after["lent"] - before["lent"] == 20
    assert after["returned"] - before["returned"] == 20


def test_closing_with_lent_buffers_in_flight(ctx):
    push = ctx.socket(ringmq.PUSH)
    push.connect("tcp://127.0.0.1:1")  # never connects: the messages stay queued
    trackers = [push.send(bytearray(BIG), copy=False, track=True) for _ in range(3)]
    push.close(linger=0)
    ctx.term()
    for t in trackers:
        t.wait(DEADLINE)  # dropping queued messages returns their buffers


def test_multipart_tracker(ctx):
    a = ctx.socket(ringmq.PUSH)
    b = ctx.socket(ringmq.PULL)
    a.bind("inproc://mtrack")
    b.connect("inproc://mtrack")
    tracker = a.send_multipart([bytearray(BIG), bytearray(BIG), b"small"], copy=False, track=True)
    assert [len(p) for p in b.recv_multipart()] == [BIG, BIG, 5]
    tracker.wait(DEADLINE)
    assert tracker.done
