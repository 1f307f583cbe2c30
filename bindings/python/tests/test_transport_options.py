"""libzmq's tcp and ipc transport options from Python: TCP_KEEPALIVE*, TCP_MAXRT, TOS,
BINDTODEVICE, TCP_ACCEPT_FILTER and IPC_FILTER_*. What the kernel holds is read back with
getsockopt on a duplicate of the descriptor a monitor event reports."""

import errno
import os
import socket

import pytest

import ringmq
from conftest import Deadline, last_endpoint, wait_event


def test_defaults_and_round_trips(ctx):
    s = ctx.socket(ringmq.DEALER)
    assert (s.tcp_keepalive, s.tcp_keepalive_cnt, s.tcp_keepalive_idle, s.tcp_keepalive_intvl) == (-1, -1, -1, -1)
    assert (s.tcp_maxrt, s.tos, s.bindtodevice) == (0, 0, b"")
    s.tcp_keepalive = 1
    s.setsockopt(ringmq.TCP_KEEPALIVE_IDLE, 30)
    s.tcp_maxrt = 4000
    s.tos = 0x28
    s.bindtodevice = b"lo"
    assert (s.tcp_keepalive, s.tcp_keepalive_idle, s.tcp_maxrt, s.tos) == (1, 30, 4000, 0x28)
    assert s.getsockopt(ringmq.BINDTODEVICE) == b"lo"
    with pytest.raises(ringmq.ZMQError) as e:
        s.tcp_keepalive = 2
    assert e.value.errno == ringmq.EINVAL
    s.setsockopt(ringmq.TCP_ACCEPT_FILTER, b"10.0.0.0/8")
    s.setsockopt(ringmq.TCP_ACCEPT_FILTER, b"")  # clears
    with pytest.raises(ringmq.ZMQError):
        s.setsockopt(ringmq.TCP_ACCEPT_FILTER, b"not an address")
    with pytest.raises(ringmq.ZMQError):
        s.getsockopt(ringmq.TCP_ACCEPT_FILTER)  # write-only, as in libzmq
    s.setsockopt(ringmq.IPC_FILTER_UID, os.getuid())
    s.close()


def test_feature_checks_written_for_pyzmq_work(ctx):
    # Salt's transport: "if hasattr(zmq, 'TCP_KEEPALIVE'): setsockopt(...)".
    s = ctx.socket(ringmq.DEALER)
    for name, value in (("TCP_KEEPALIVE", 1), ("TCP_KEEPALIVE_IDLE", 300), ("TCP_KEEPALIVE_CNT", 5),
                        ("TCP_KEEPALIVE_INTVL", 30)):
        assert hasattr(ringmq, name)
        s.setsockopt(getattr(ringmq, name), value)
        assert s.getsockopt(getattr(ringmq, name)) == value
    s.close()


def _fd_of(mon, event):
    return wait_event(mon, event)["value"]


def _int_option(fd, level, name):
    with socket.socket(fileno=os.dup(fd)) as dup:
        return dup.getsockopt(level, name)


def test_keepalive_and_maxrt_reach_both_ends(ctx):
    server = ctx.socket(ringmq.PULL)
    client = ctx.socket(ringmq.PUSH)
    server.tcp_keepalive, server.tcp_keepalive_idle, server.tcp_maxrt = 1, 40, 1500
    client.tcp_keepalive, client.tcp_keepalive_cnt, client.tcp_maxrt = 1, 6, 2500
    server_mon = server.get_monitor_socket()
    client_mon = client.get_monitor_socket()
    server.bind("tcp://127.0.0.1:*")
    client.connect(last_endpoint(server))
    accepted = _fd_of(server_mon, ringmq.EVENT_ACCEPTED)
    connected = _fd_of(client_mon, ringmq.EVENT_CONNECTED)
    wait_event(server_mon, ringmq.EVENT_HANDSHAKE_SUCCEEDED)
    wait_event(client_mon, ringmq.EVENT_HANDSHAKE_SUCCEEDED)
    assert _int_option(accepted, socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    assert _int_option(accepted, socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 40
    assert _int_option(accepted, socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == 1500
    assert _int_option(connected, socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    assert _int_option(connected, socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == 6
    assert _int_option(connected, socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == 2500
    for s in (server_mon, client_mon, server, client):
        s.close()


@pytest.mark.parametrize("admit", [True, False])
def test_accept_filter_decides_for_a_pyzmq_connecter(ctx, pyzmq_ctx, admit):
    zmq = pytest.importorskip("zmq")
    server = ctx.socket(ringmq.PULL)
    server.setsockopt(ringmq.TCP_ACCEPT_FILTER, b"127.0.0.0/8" if admit else b"10.0.0.0/8")
    mon = server.get_monitor_socket()
    server.bind("tcp://127.0.0.1:*")
    client = pyzmq_ctx.socket(zmq.PUSH)
    client.connect(last_endpoint(server))
    verdict = ringmq.EVENT_ACCEPTED if admit else ringmq.EVENT_ACCEPT_FAILED
    event = wait_event(mon, verdict)
    if admit:
        client.send(b"through")
        assert server.poll(Deadline().left_ms())
        assert server.recv() == b"through"
    else:
        assert event["value"] == errno.EACCES
    client.close(linger=0)
    mon.close()
    server.close()


@pytest.mark.parametrize("admit", [True, False])
def test_ipc_uid_filter(ctx, ipc_dir, admit):
    server = ctx.socket(ringmq.PULL)
    server.setsockopt(ringmq.IPC_FILTER_UID, os.getuid() if admit else os.getuid() + 1)
    mon = server.get_monitor_socket()
    server.bind(f"ipc://{ipc_dir}/uid-filter-{int(admit)}.sock")
    client = ctx.socket(ringmq.PUSH)
    client.connect(last_endpoint(server))
    wait_event(mon, ringmq.EVENT_ACCEPTED if admit else ringmq.EVENT_ACCEPT_FAILED)
    for s in (mon, client, server):
        s.close()
