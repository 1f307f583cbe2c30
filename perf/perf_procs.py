"""perf_procs: how compare.py runs the perf tools: each in its own process group with a
timeout, output captured in temporary files, a binding tool and a connecting tool paired
over a fresh endpoint. A run that cannot produce a number raises CellFailure with the reason
the table shows. Standard library only."""

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time


class CellFailure(Exception):
    """A measurement that could not be taken; the message is the reason shown in the table."""


# ------------------------------------------------------------------------------------ processes

def kill(proc):
    """Ends a process this harness started, and its process group (raw tools fork a peer)."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            proc.kill()
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def spawn(cmd, stdin=subprocess.DEVNULL, stdout_pipe=False, env=None):
    """Starts a tool in its own process group. Its stderr (and stdout, unless stdout_pipe) go to
    temporary files, so a chatty tool can never block on a full pipe; read them with output().
    `env`: the tool's environment (default: the harness's)."""
    err = tempfile.TemporaryFile(mode="w+")
    out = subprocess.PIPE if stdout_pipe else tempfile.TemporaryFile(mode="w+")
    try:
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=err, text=True, start_new_session=True,
                                env=env)
    except OSError as e:
        raise CellFailure(f"cannot run {os.path.basename(cmd[0])}: {e.strerror}")
    proc.err_file, proc.out_file = err, (None if stdout_pipe else out)
    return proc


def output(proc):
    """(stdout, stderr) of a finished process started by _spawn (read once, then remembered)."""
    if not hasattr(proc, "texts"):
        def read(f):
            if f is None:
                return ""
            f.seek(0)
            text = f.read()
            f.close()
            return text
        proc.texts = (read(proc.out_file), read(proc.err_file))
    return proc.texts


def reason(name, rc, stderr):
    """The most useful line of a failed tool's stderr."""
    lines = [l.strip() for l in (stderr or "").splitlines() if l.strip() and not l.startswith("#")]
    errors = [l for l in lines if l.startswith("error")]
    detail = (errors or lines or [""])[-1]
    if detail.startswith("error: "):
        detail = detail[len("error: "):]
    detail = detail.split("; ")[0]
    if len(detail) > 120:
        detail = detail[:117] + "..."
    if rc is not None and rc < 0:
        sig = signal.Signals(-rc).name if -rc in signal.Signals._value2member_map_ else str(-rc)
        return f"{name} killed by {sig}" + (f": {detail}" if detail else "")
    return f"{name} exit {rc}" + (f": {detail}" if detail else "")


def last_json(stdout, name):
    for line in reversed((stdout or "").splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                break
    raise CellFailure(f"{name} printed no result")


def wait_all(procs, timeout, on_success=None):
    """Waits until every process in {name: proc} has exited. As soon as one fails, the others
    are killed and the failure raised; so is a timeout. on_success(name) is called when one
    exits with 0."""
    deadline = time.monotonic() + timeout
    pending = dict(procs)
    while pending:
        for name, proc in list(pending.items()):
            rc = proc.poll()
            if rc is None:
                continue
            del pending[name]
            if rc == 0 and on_success:
                on_success(name)
            if rc != 0:
                for other in pending.values():
                    kill(other)
                raise CellFailure(reason(name, rc, output(proc)[1]))
        if pending and time.monotonic() > deadline:
            for proc in pending.values():
                kill(proc)
            raise CellFailure(f"{', '.join(pending)} timed out after {timeout:.0f} s")
        if pending:
            time.sleep(0.005)


def run_single(cmd, timeout, env=None):
    """Runs one tool with --json; returns its result object."""
    name = os.path.basename(cmd[0])
    proc = spawn(cmd, env=env)
    try:
        wait_all({name: proc}, timeout)
        return last_json(output(proc)[0], name)
    finally:
        kill(proc)


class Endpoints:
    """Fresh endpoints for each run: a free loopback port or a new ipc path."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ringmq-perf-")
        self.n = 0

    def make(self, transport):
        self.n += 1
        if transport == "tcp":
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind(("127.0.0.1", 0))
                return f"tcp://127.0.0.1:{s.getsockname()[1]}"
        if transport == "ipc":
            return f"ipc://{self.dir}/{self.n}.sock"
        raise ValueError(transport)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def listening(endpoint):
    """True once something listens on the endpoint (checked without connecting to it)."""
    if endpoint.startswith("ipc://"):
        return os.path.exists(endpoint[len("ipc://"):])
    port = int(endpoint.rsplit(":", 1)[1])
    try:
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
                    return True
    except OSError:
        return True  # cannot tell: go ahead (both libraries reconnect)
    return False


def wait_listening(endpoint, proc, limit=10.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None or listening(endpoint):
            return
        time.sleep(0.005)


def close_stdin(proc):
    try:
        if proc is not None and proc.stdin:
            proc.stdin.close()
    except OSError:
        pass


def run_pair(server_cmd, client_cmd, endpoint, timeout, result_from, env=None):
    """Starts the binding tool, waits until it listens, runs the connecting tool; returns the
    JSON result of `result_from` ("server" or "client"). If either fails, the other is stopped.
    A client run with --hold gets a pipe as stdin, closed once the server is done. `env`: both
    tools' environment."""
    sname, cname = os.path.basename(server_cmd[0]), os.path.basename(client_cmd[0])
    if sname == cname:
        cname += " (client)"
    server = spawn(server_cmd, env=env)
    client = None
    try:
        wait_listening(endpoint, server)
        if server.poll() not in (None, 0):
            raise CellFailure(reason(sname, server.returncode, output(server)[1]))
        hold = "--hold" in client_cmd
        client = spawn(client_cmd, stdin=subprocess.PIPE if hold else subprocess.DEVNULL, env=env)
        wait_all({sname: server, cname: client}, timeout,
                  on_success=lambda name: close_stdin(client) if name == sname else None)
        if result_from == "server":
            return last_json(output(server)[0], sname)
        return last_json(output(client)[0], cname)
    finally:
        kill(client)
        kill(server)


class LineReader:
    """Collects a process's stdout lines on a thread, so the harness can wait for one with a timeout."""

    def __init__(self, proc):
        self.lines = queue.Queue()
        self.thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self.thread.start()

    def _read(self, proc):
        for line in proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def next_json(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            if line.strip().startswith("{"):
                try:
                    return json.loads(line)
                except ValueError:
                    pass
