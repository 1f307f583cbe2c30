"""ssh tunnels for sockets, with pyzmq's zmq.ssh.tunnel functions.

``tunnel_connection(sock, "tcp://10.0.0.5:5555", "user@gateway")`` forwards a free local port
through `gateway` to 10.0.0.5:5555 and connects `sock` to that local port. The tunnel is the
system's ``ssh -L`` (default) or, with ``paramiko=True``, a forwarding thread over paramiko (if
Debian's python3-paramiko is installed). The ssh process stays up for `timeout` seconds and
then as long as a connection uses the tunnel (``ssh -f ... sleep timeout``), as in pyzmq.

Only key-based (or agent) logins work with the system ssh: it runs with BatchMode, so it never
prompts; a password needs ``paramiko=True``.
"""

import socket
import subprocess
import threading
from typing import Any, List, Optional, Tuple

__all__ = ["tunnel_connection", "open_tunnel", "openssh_tunnel", "paramiko_tunnel", "try_passwordless_ssh",
           "select_random_ports"]

SSH = "ssh"  # the client; found on PATH


def select_random_ports(n: int) -> List[int]:
    """`n` distinct tcp ports that were free a moment ago (all held at once while chosen, so
    none repeats)."""
    held = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("", 0))
            held.append(s)
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


def _split_server(server: str) -> Tuple[str, int]:
    """'user@host:port' -> ('user@host', port); port 22 when absent."""
    host, sep, port = server.rpartition(":")
    if sep and port.isdigit():
        return host, int(port)
    return server, 22


def _ssh_command(server: str, keyfile: Optional[str]) -> List[str]:
    host, port = _split_server(server)
    cmd = [SSH, "-o", "BatchMode=yes", "-p", str(port)]
    if keyfile:
        cmd += ["-i", keyfile]
    return cmd + [host]


def _import_paramiko() -> Any:
    try:
        import paramiko  # type: ignore[import-not-found]
    except ImportError:
        raise ImportError("paramiko tunnels need the paramiko package (Debian: python3-paramiko)") from None
    return paramiko


def try_passwordless_ssh(server: str, keyfile: Optional[str] = None, paramiko: Optional[bool] = None) -> bool:
    """Whether `server` accepts a login without a password (keys or agent)."""
    if paramiko:
        pm = _import_paramiko()
        host, port = _split_server(server)
        user, _, hostname = host.rpartition("@")
        client = pm.SSHClient()
        client.set_missing_host_key_policy(pm.WarningPolicy())
        try:
            client.connect(hostname, port, username=user or None, key_filename=keyfile, look_for_keys=True)
        except pm.AuthenticationException:
            return False
        finally:
            client.close()
        return True
    done = subprocess.run(_ssh_command(server, keyfile) + ["exit"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return done.returncode == 0


def openssh_tunnel(lport: int, rport: int, server: str, remoteip: str = "127.0.0.1", keyfile: Optional[str] = None,
                   password: Optional[str] = None, timeout: float = 60) -> int:
    """Forwards 127.0.0.1:`lport` through `server` to `remoteip`:`rport` with the system's ssh,
    which goes to the background once the forward is up (``-f``, ``ExitOnForwardFailure``)
    and exits when `timeout` s passed and no connection uses it. Returns the ssh client's
    exit status (0); raises RuntimeError if ssh failed."""
    if password is not None:
        raise ValueError("the system ssh runs without prompts: use keys or an agent, or paramiko=True")
    host_cmd = _ssh_command(server, keyfile)
    cmd = (host_cmd[:-1] + ["-f", "-o", "ExitOnForwardFailure=yes", "-L", f"127.0.0.1:{lport}:{remoteip}:{rport}"]
           + host_cmd[-1:] + ["sleep", str(int(timeout))])
    done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise RuntimeError(f"ssh tunnel failed ({done.returncode}): {done.stderr.decode(errors='replace').strip()}")
    return 0


def _forward(transport: Any, client: socket.socket, remote: Tuple[str, int]) -> None:
    """Copies bytes both ways between a local connection and a direct-tcpip channel."""
    import selectors

    channel = transport.open_channel("direct-tcpip", remote, client.getpeername())
    with selectors.DefaultSelector() as sel:
        sel.register(client, selectors.EVENT_READ)
        sel.register(channel, selectors.EVENT_READ)
        while True:
            for key, _ in sel.select():
                src, dst = (client, channel) if key.fileobj is client else (channel, client)
                data = src.recv(65536)
                if not data:
                    channel.close()
                    client.close()
                    return
                dst.sendall(data)


def paramiko_tunnel(lport: int, rport: int, server: str, remoteip: str = "127.0.0.1",
                    keyfile: Optional[str] = None, password: Optional[str] = None,
                    timeout: float = 60) -> threading.Thread:
    """Forwards 127.0.0.1:`lport` through `server` to `remoteip`:`rport` over paramiko, from a
    daemon thread that accepts connections for `timeout` s (after the first one, until it
    ends). Returns the thread."""
    pm = _import_paramiko()
    host, port = _split_server(server)
    user, _, hostname = host.rpartition("@")
    client = pm.SSHClient()
    client.set_missing_host_key_policy(pm.WarningPolicy())
    client.connect(hostname, port, username=user or None, key_filename=keyfile, password=password,
                   look_for_keys=password is None)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", lport))
    listener.listen()
    listener.settimeout(timeout)

    def serve() -> None:
        workers = []
        try:
            while True:
                try:
                    conn, _ = listener.accept()
                except socket.timeout:
                    break
                worker = threading.Thread(target=_forward, args=(client.get_transport(), conn, (remoteip, rport)),
                                          daemon=True)
                worker.start()
                workers.append(worker)
        finally:
            listener.close()
            for worker in workers:
                worker.join()
            client.close()

    thread = threading.Thread(target=serve, name=f"ssh tunnel {lport}->{remoteip}:{rport}", daemon=True)
    thread.start()
    return thread


def open_tunnel(addr: str, server: str, keyfile: Optional[str] = None, password: Optional[str] = None,
                paramiko: Optional[bool] = None, timeout: float = 60) -> Tuple[str, Any]:
    """Opens a tunnel to the tcp endpoint `addr` ("tcp://host:port") through `server`;
    returns (the local endpoint to connect to, the tunnel)."""
    transport, _, where = addr.partition("://")
    if transport != "tcp":
        raise ValueError(f"only tcp endpoints can be tunnelled, not {addr!r}")
    ip, _, rport = where.rpartition(":")
    lport = select_random_ports(1)[0]
    make = paramiko_tunnel if paramiko else openssh_tunnel
    tunnel = make(lport, int(rport), server, remoteip=ip, keyfile=keyfile, password=password, timeout=timeout)
    return f"tcp://127.0.0.1:{lport}", tunnel


def tunnel_connection(socket: Any, addr: str, server: str, keyfile: Optional[str] = None,
                      password: Optional[str] = None, paramiko: Optional[bool] = None, timeout: float = 60) -> Any:
    """Connects `socket` to `addr` through an ssh tunnel via `server`; returns the tunnel."""
    url, tunnel = open_tunnel(addr, server, keyfile=keyfile, password=password, paramiko=paramiko, timeout=timeout)
    socket.connect(url)
    return tunnel
