"""ringmq.decorators (pyzmq's zmq.decorators): @context and @socket give the function a
context or socket for one call, and close it afterwards."""

import pytest

import ringmq
from ringmq.decorators import context, socket


def test_context_is_passed_and_terminated_after_the_call():
    kept = []

    @context()
    def work(ctx):
        assert isinstance(ctx, ringmq.Context) and not ctx.closed
        kept.append(ctx)
        return "done"

    assert work() == "done"
    assert kept[0].closed
    work()
    assert kept[1] is not kept[0]  # a new one each call


def test_context_by_keyword_name_and_terminated_on_error():
    kept = []

    @context("ctx")
    def work(arg, ctx=None):
        kept.append(ctx)
        raise ValueError(arg)

    with pytest.raises(ValueError, match="boom"):
        work("boom")
    assert isinstance(kept[0], ringmq.Context) and kept[0].closed

    @context(name="ctx")
    def twice(ctx=None):
        return ctx

    with pytest.raises(TypeError, match="multiple values"):
        twice(ctx=5)


def test_sockets_of_the_call_context_carry_messages():
    @context()
    @socket(ringmq.PUSH)
    @socket(ringmq.PULL)
    def work(ctx, push, pull):
        assert push.context is ctx and pull.context is ctx
        pull.bind("inproc://decorated")
        push.connect("inproc://decorated")
        push.send_multipart([b"a", b"b"])
        assert pull.poll(5000)
        return pull.recv_multipart(), push, pull

    got, push, pull = work()
    assert got == [b"a", b"b"]
    assert push.closed and pull.closed


def test_socket_finds_its_context_by_keyword_then_position_then_instance():
    own = ringmq.Context()
    try:
        @socket("sub", ringmq.SUB, context_name="my_ctx")
        def by_keyword(my_ctx=None, sub=None):
            return sub.context

        assert by_keyword(my_ctx=own) is own

        @socket(ringmq.PUB)
        def by_position(a, ctx, pub):
            return pub.context

        assert by_position(1, own) is own

        @socket(ringmq.PUB)
        def by_default(pub):
            return pub.context

        assert by_default() is ringmq.Context.instance()
    finally:
        own.term()


def test_socket_keyword_arguments_reach_the_factory():
    @context()
    @socket(ringmq.DEALER, copy_threshold=7)
    def work(ctx, dealer):
        return dealer.type, dealer.copy_threshold

    assert work() == (ringmq.DEALER, 7)
