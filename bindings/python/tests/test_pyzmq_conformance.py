"""pyzmq behaviours that pyzmq's own test suite (bindings/python/pyzmq_suite.py) found missing:
each test here states one of them on the ringmq package directly, so that a regression shows
up in this quick suite too."""

import copy
import errno
import gc
import os
import sys
import warnings
from unittest import mock

import pytest

import ringmq
from conftest import DEADLINE, recv_within


def test_subclass_may_assign_attributes_it_annotates():
    # pyzmq lets a subclass declare `extra: str` and assign it, although no option is
    # called that; other unknown names stay an AttributeError.
    class Custom(ringmq.Context):
        extra_arg: str

        def __init__(self, extra_arg: str) -> None:
            super().__init__()
            self.extra_arg = extra_arg

    c = Custom("s")
    try:
        assert c.extra_arg == "s"
        with pytest.raises(AttributeError):
            c.not_declared = 1
    finally:
        c.term()


def test_repr_names_the_class_as_pyzmq_does(ctx):
    assert repr(ctx).startswith("<zmq.Context() at ")
    s = ctx.socket(ringmq.PUSH)
    assert repr(s).startswith("<zmq.Socket(zmq.PUSH) at ") and "closed" not in repr(s)
    assert "zmq.Context(1 socket)" in repr(ctx)
    s.close()
    assert repr(s).endswith(" closed>")

    class MySocket(ringmq.Socket):
        pass

    mine = MySocket(ctx, ringmq.PULL)
    assert f"<{__name__}.MySocket(zmq.PULL) at " in repr(mine)
    mine.close()


def test_unknown_option_numbers_answer_as_libzmq(ctx):
    s = ctx.socket(ringmq.PUB)
    for call in (lambda: s.setsockopt(9999, 5), lambda: s.getsockopt(9999)):
        with pytest.raises(ringmq.ZMQError) as e:
            call()
        assert e.value.errno == errno.EINVAL
    # Only ints pass through for a number the library does not know, as in pyzmq.
    with pytest.raises(TypeError):
        s.setsockopt(9999, b"5")
    # An option the socket type does not take is EINVAL (libzmq), not ENOTSUP.
    with pytest.raises(ringmq.ZMQError) as e:
        s.setsockopt(ringmq.SUBSCRIBE, b"hi")
    assert e.value.errno == errno.EINVAL


def test_options_ringmq_lacks_read_libzmq_defaults(ctx):
    s = ctx.socket(ringmq.DEALER)
    assert (s.affinity, s.rate, s.recovery_ivl, s.conflate, s.thread_safe, s.use_fd) == (0, 100, 10000, 0, 0, -1)
    assert s.ipv4only == 1
    s.ipv6 = 1
    assert s.ipv4only == 0
    with pytest.raises(ringmq.ZMQError) as e:
        s.rate = 10  # read-only stand-ins: ringmq has no pgm
    assert e.value.errno == errno.EINVAL


def test_sockets_and_contexts_are_mockable(ctx):
    # mock.Mock(spec=x) reads every name dir(x) lists; an option the object cannot read must
    # be an AttributeError (pyzmq), not a ZMQError.
    s = ctx.socket(ringmq.SUB)
    mock.Mock(spec=s)
    mock.Mock(spec=ctx)
    assert not hasattr(s, "connect_routing_id")
    assert not hasattr(ctx, "msg_t_size")
    s.close()


def test_constants_are_enum_members():
    assert ringmq.POLLIN is ringmq.PollEvent.POLLIN
    assert ringmq.PUSH is ringmq.SocketType.PUSH
    assert ringmq.IDENTITY is ringmq.SocketOption.ROUTING_ID
    assert ringmq.EVENT_CONNECTED is ringmq.Event.CONNECTED
    assert ringmq.ETERM is ringmq.Errno.ETERM
    opt = ringmq.constants._OptType
    assert (ringmq.IDENTITY._opt_type, ringmq.AFFINITY._opt_type, ringmq.LINGER._opt_type,
            ringmq.FD._opt_type) == (opt.bytes, opt.int64, opt.int, opt.fd)
    # The package's own per-message code uses plain ints (enum operators run Python code).
    from ringmq import _int_constants

    assert type(_int_constants.POLLIN) is int and _int_constants.POLLIN == ringmq.POLLIN


def test_poller_reports_a_raw_file_by_its_fd(ctx):
    r, w = os.pipe()
    with os.fdopen(r, "rb") as reader, os.fdopen(w, "wb") as writer:
        s = ctx.socket(ringmq.PULL)
        s.bind("inproc://raw-poll")
        poller = ringmq.Poller()
        poller.register(reader, ringmq.POLLIN)
        poller.register(s, ringmq.POLLIN)
        assert poller.poll(0) == []
        writer.write(b"x")
        writer.flush()
        assert dict(poller.poll(int(DEADLINE * 1000))) == {reader.fileno(): ringmq.POLLIN}
        poller.unregister(reader)
        assert poller.sockets == [(s, ringmq.POLLIN)]
        # A monitor socket is a socket to pyzmq programs: reported as itself.
        mon = s.get_monitor_socket()
        push = ctx.socket(ringmq.PUSH)
        push.connect("inproc://raw-poll")
        poller.register(mon, ringmq.POLLIN)
        push.send(b"m")
        ready = dict(poller.poll(int(DEADLINE * 1000)))
        assert set(ready) <= {s, mon} and ready
        push.close()


def test_sugar_and_backend_module_names():
    from ringmq.backend import Context, Socket, zmq_poll
    from ringmq.sugar import version
    from ringmq.sugar.context import Context as SugarContext
    from ringmq.sugar.socket import Socket as SugarSocket
    from ringmq.sugar.tracker import _FINISHED_TRACKER

    assert Context is SugarContext is ringmq.Context and Socket is SugarSocket is ringmq.Socket
    assert zmq_poll([], 0) == []
    assert _FINISHED_TRACKER is ringmq._FINISHED_TRACKER and _FINISHED_TRACKER.done
    assert version.VERSION_EXTRA == "" and version.version_info == ringmq.pyzmq_version_info()
    assert ringmq.__revision__ == ""


def test_too_long_ipc_path_names_the_limit(ctx):
    assert ringmq.IPC_PATH_MAX_LEN == 107
    s = ctx.socket(ringmq.PUB)
    with pytest.raises(ringmq.ZMQError) as e:
        s.bind("ipc:///tmp/" + "a" * ringmq.IPC_PATH_MAX_LEN)
    assert e.value.errno == errno.EINVAL and "107" in e.value.strerror


def test_a_tracked_frame_sent_without_copy_gives_its_tracker(ctx):
    pull = ctx.socket(ringmq.PULL)
    pull.bind("inproc://tracked")
    push = ctx.socket(ringmq.PUSH)
    push.connect("inproc://tracked")
    small = push.send(b"x", copy=False, track=True)
    assert small is ringmq._FINISHED_TRACKER
    frame = ringmq.Frame(b"again", copy=False, track=True)
    tracker = push.send(frame, copy=False)
    assert tracker is frame.tracker
    assert push.send(b"plain", copy=False) is None  # untracked data: no tracker, as pyzmq
    assert pull.recv() == b"x" and pull.recv() == b"again" and pull.recv() == b"plain"


def test_ssh_tunnel_runs_the_system_ssh(tmp_path, monkeypatch):
    # A stand-in `ssh` on PATH records its arguments: tunnel_connection must forward a free
    # local port to the remote endpoint and connect the socket to that port.
    log = tmp_path / "argv"
    fake = tmp_path / "ssh"
    fake.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {log}\n")
    fake.chmod(0o755)
    from ringmq.ssh import tunnel

    ports = tunnel.select_random_ports(20)
    assert len(set(ports)) == 20
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    with ringmq.Context() as c:
        s = c.socket(ringmq.REQ)
        assert tunnel.tunnel_connection(s, "tcp://10.1.2.3:5555", "me@gateway:2222", timeout=5) == 0
        endpoint = s.last_endpoint.decode()
        s.close(linger=0)
    argv = log.read_text().split("\n")
    lport = endpoint.rsplit(":", 1)[1]
    assert endpoint.startswith("tcp://127.0.0.1:")
    assert f"127.0.0.1:{lport}:10.1.2.3:5555" in argv and "-L" in argv
    assert argv[argv.index("-p") + 1] == "2222" and "me@gateway" in argv and "BatchMode=yes" in argv
    assert argv[argv.index("me@gateway") + 1:argv.index("me@gateway") + 3] == ["sleep", "5"]
    with pytest.raises(ValueError):
        tunnel.openssh_tunnel(1, 2, "host", password="secret")


def test_ssh_failure_is_reported(tmp_path, monkeypatch):
    fake = tmp_path / "ssh"
    fake.write_text("#!/bin/sh\necho 'no route' >&2\nexit 255\n")
    fake.chmod(0o755)
    from ringmq.ssh import tunnel

    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    with pytest.raises(RuntimeError, match="no route"):
        tunnel.openssh_tunnel(1, 2, "host")
    assert tunnel.try_passwordless_ssh("host", None) is False


def test_leaving_a_with_block_warns_of_each_open_socket():
    with pytest.warns(ResourceWarning, match="unclosed socket"):
        with ringmq.Context() as c:
            s = c.socket(ringmq.PUSH)
    assert s.closed and c.closed
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        with ringmq.Context() as c:
            c.socket(ringmq.PUSH).close()
        c = ringmq.Context()
        s = c.socket(ringmq.PUSH)
        c.destroy()  # an explicit destroy() closes them silently, as pyzmq's
        assert s.closed


def test_a_socket_shadow_is_another_handle_on_the_same_socket(ctx):
    push = ctx.socket(ringmq.PUSH)
    push.bind("inproc://shadowed")
    pull = ctx.socket(ringmq.PULL)
    pull.connect("inproc://shadowed")
    shadow = ringmq.Socket.shadow(push.underlying)
    assert shadow.underlying == push.underlying != pull.underlying
    assert shadow._shadow and not push._shadow and shadow.type == ringmq.PUSH
    shadow.sndtimeo = 1234  # one socket: options, timeouts included, are shared
    assert push.sndtimeo == 1234
    shadow.send(b"via the shadow")
    assert recv_within(pull) == b"via the shadow"
    copied, deep = copy.copy(push), copy.deepcopy(push)
    assert copied._shadow and deep._shadow and copied.underlying == deep.underlying == push.underlying
    del shadow, copied, deep
    gc.collect()
    assert not push.closed  # dropping a shadow leaves the socket to its owner
    other = ringmq.Socket.shadow(push)
    other.close()  # closing any handle closes the socket
    assert push.closed
    with pytest.raises(ringmq.ZMQError) as e:
        ringmq.Socket.shadow(push.underlying)
    assert e.value.errno == errno.EFAULT


def test_a_context_shadow_is_another_handle_on_the_same_context():
    owner = ringmq.Context()
    shadow = ringmq.Context.shadow(owner.underlying)
    assert shadow.underlying == owner.underlying and shadow._shadow
    s = shadow.socket(ringmq.PAIR)
    assert s.context is shadow
    s.close()
    del shadow
    gc.collect()
    assert not owner.closed  # dropping a shadow does not terminate the context
    copied = copy.deepcopy(owner)
    assert copied._shadow and copied.underlying == owner.underlying
    owner.term()
    assert copied.closed
    with pytest.raises(ringmq.ZMQError) as e:
        copied.socket(ringmq.PAIR)
    assert e.value.errno == errno.EFAULT  # as libzmq answers a terminated context's handle


def test_frame_buffer_is_the_same_view_while_alive():
    m = ringmq.Frame(b"payload" * 20)
    before = sys.getrefcount(m)
    view = m.buffer
    assert isinstance(view, memoryview) and view is m.buffer and m.buffer is m.buffer
    assert view.tobytes() == b"payload" * 20
    del view
    # Cached weakly: once the view is gone nothing keeps the frame (no cycle).
    assert sys.getrefcount(m) == before


def test_authenticator_curve_user_id_names_the_client(ctx):
    from ringmq.auth import CURVE_ALLOW_ANY
    from ringmq.auth.thread import ThreadAuthenticator

    server_public, server_secret = ringmq.curve_keypair()
    client_public, client_secret = ringmq.curve_keypair()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    try:
        auth.configure_curve(domain="*", location=CURVE_ALLOW_ANY)
        assert auth.curve_user_id(ringmq.utils.z85.decode(client_public)) == client_public.decode()
        server = ctx.socket(ringmq.PULL)
        server.curve_server, server.curve_secretkey = True, server_secret
        server.bind("tcp://127.0.0.1:*")
        seen = []
        auth.curve_user_id = lambda key: seen.append(key) or "custom"  # assigned after start()
        client = ctx.socket(ringmq.PUSH)
        client.curve_serverkey, client.curve_publickey, client.curve_secretkey = (server_public, client_public,
                                                                                  client_secret)
        client.connect(server.last_endpoint.decode())
        client.send(b"hello")
        assert server.poll(int(DEADLINE * 1000))
        frame = server.recv(copy=False)
        assert frame.bytes == b"hello" and frame.get("User-Id") == "custom"
        assert seen == [ringmq.utils.z85.decode(client_public)]  # the raw key, as pyzmq passes it
    finally:
        auth.stop()
