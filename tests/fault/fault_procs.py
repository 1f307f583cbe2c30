"""Processes and counts for the fault suite's driver.

Proc runs one child (a fault_peer, fault_peer_zmq or chaos_proxy) with its stdin and stdout
as pipes: the driver writes commands and reads the child's report lines, each stamped with
the driver's CLOCK_MONOTONIC time when it arrived. Tally reads a peer's count file (layout:
tally.hpp) while the peer runs, or after it died.

Nothing here sleeps to wait for an event: waits are on a condition variable fed by the line
reader, each with a deadline, and a missed deadline raises Hang with what was seen.
"""
import mmap
import os
import signal
import struct
import subprocess
import threading
import time


class Hang(Exception):
    """A process did not do what it should have within its deadline."""


class Proc:
    def __init__(self, name, argv, env=None, log_dir=None, netns=None, on_end=None):
        self.name = name
        self.ended = threading.Event()  # its stdout reached end-of-file: it is gone
        self._on_end = on_end
        self.argv = list(argv)
        if netns:
            argv = ["ip", "netns", "exec", netns] + list(argv)
        self.stderr_path = os.path.join(log_dir, name + ".stderr") if log_dir else os.devnull
        self._stderr = open(self.stderr_path, "wb")
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.popen = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._stderr, env=full_env, bufsize=0)
        self.lines = []  # (monotonic seconds, text)
        self._cond = threading.Condition()
        self._eof = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        buf = b""
        while True:
            chunk = os.read(self.popen.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            *complete, buf = buf.split(b"\n")
            now = time.monotonic()
            with self._cond:
                for line in complete:
                    self.lines.append((now, line.decode("utf-8", "replace")))
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()
        self.ended.set()
        if self._on_end:
            self._on_end()

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def send(self, command):
        try:
            self.popen.stdin.write((command + "\n").encode())
            self.popen.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # it already ended; its exit status tells why

    def wait_line(self, prefix, timeout, start=0):
        """The first line from index `start` on that starts with `prefix`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for t, line in self.lines[start:]:
                    if line.startswith(prefix):
                        return line
                if self._eof:
                    raise Hang(f"{self.name} ended (status {self.popen.poll()}) before printing "
                               f"'{prefix}'; its last lines: {self.tail()}; stderr: {self.stderr_tail()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Hang(f"{self.name} did not print '{prefix}' within {timeout:.1f} s; "
                               f"its last lines: {self.tail()}")
                self._cond.wait(left)

    def lines_starting(self, prefix):
        with self._cond:
            return [(t, l) for t, l in self.lines if l.startswith(prefix)]

    def events(self, name=None):
        """Monitor events as (driver time, event name, value, peer monotonic ns)."""
        out = []
        for t, line in self.lines_starting("event "):
            _, ev, value, ns = line.split()
            if name is None or ev == name:
                out.append((t, ev, int(value), int(ns)))
        return out

    def errors(self):
        return [l for _, l in self.lines_starting("error ")]

    def tail(self, n=4):
        with self._cond:
            return [l for _, l in self.lines[-n:]]

    def stderr_tail(self, n=400):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read()[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    def wait_exit(self, timeout):
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Hang(f"{self.name} did not exit within {timeout:.1f} s; its last lines: {self.tail()}")

    def kill(self):
        if self.alive():
            try:
                os.kill(self.popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.popen.wait()
        self._reader.join(5)
        self._stderr.close()

    # What the kernel says about the process (Linux /proc).
    def rss_kib(self, kind="VmRSS"):
        """Resident memory in KiB: VmRSS (all), or RssAnon (heap and anonymous maps: what a
        leak grows, without the pages of the mapped tally file)."""
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith(kind + ":"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    def fd_count(self):
        try:
            return len(os.listdir(f"/proc/{self.pid}/fd"))
        except OSError:
            return None

    def thread_count(self):
        try:
            return len(os.listdir(f"/proc/{self.pid}/task"))
        except OSError:
            return None


# ----------------------------------------------------------------------------- tally files

GLOBAL = ["starts", "messages", "whole", "unique", "duplicated", "reordered", "merged", "partial",
          "corrupted", "foreign", "stale_replies", "reply_timeouts", "sent", "echoed",
          "send_timeouts", "tiny_received", "tiny_out_of_order", "last_sent_ns",
          "last_received_ns", "bytes_received", "send_abandoned", "interleaved", "connections"]
PER_PRODUCER = ["reserved", "accepted", "unique", "duplicated", "reordered", "next_expected",
                "echoed", "first_received"]
MAGIC = 0x31594C4C41544652  # "RFTALLY1"
PRODUCERS = 8


class Tally:
    """Reads a tally file written by a peer (tally.hpp). Missing file: all zero."""

    def __init__(self, path):
        self.path = path

    def _words(self):
        try:
            with open(self.path, "rb") as f:
                with mmap.mmap(f.fileno(), 8 * (64 + PRODUCERS * 16), access=mmap.ACCESS_READ) as m:
                    words = struct.unpack_from(f"<{64 + PRODUCERS * 16}Q", m)
        except (OSError, ValueError):
            return None
        return words if words[0] == MAGIC else None

    def snapshot(self):
        """{'global': {...}, 'producers': [{...}, ...]} (zeros when the file is not there)."""
        w = self._words()
        if w is None:
            return {"global": {k: 0 for k in GLOBAL},
                    "producers": [{k: 0 for k in PER_PRODUCER} for _ in range(PRODUCERS)]}
        g = {k: w[8 + i] for i, k in enumerate(GLOBAL)}
        p = [{k: w[64 + 16 * j + i] for i, k in enumerate(PER_PRODUCER)} for j in range(PRODUCERS)]
        return {"global": g, "producers": p}

    def g(self, key):
        return self.snapshot()["global"][key]

    def p(self, producer, key):
        return self.snapshot()["producers"][producer][key]
