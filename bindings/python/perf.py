#!/usr/bin/python3
"""Latency and throughput of ringmq's Python bindings against pyzmq, in one run.

The same Python code drives both libraries (``import ringmq as zmq`` / ``import zmq``):

  latency     REQ/REP round trips, reported as half the round trip in microseconds (libzmq's
              local_lat/remote_lat convention);
  throughput  PUSH/PULL, messages per second counted at the receiver from the first
              measured message to the last (libzmq's local_thr/remote_thr convention).

tcp runs the peer in a second process (the same interpreter); inproc runs it in a second
thread of the measuring process, so the GIL hand-off is part of what is measured, for both
libraries alike. Each cell is measured --runs times, alternating the libraries, and the
median is reported with the ratio ringmq/pyzmq (latency: lower is better; throughput: higher
is better).

    PYTHONPATH=<build>/bindings/python/python /usr/bin/python3 bindings/python/perf.py
"""

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Tuple

LIBS = ("ringmq", "zmq")

# This script sits next to the package's sources, which lack the built extension: import the
# package from PYTHONPATH (the build tree) or site-packages instead.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]


def load(lib: str) -> Any:
    return importlib.import_module(lib)


# ---- the two ends of each workload ---------------------------------------------------------


def echo(zmq: Any, ctx: Any, endpoint: str, size: int, count: int) -> None:
    """REP side of the latency test: echoes `count` messages."""
    rep = ctx.socket(zmq.REP)
    rep.connect(endpoint)
    for _ in range(count):
        rep.send(rep.recv())
    rep.close(linger=-1)


def push(zmq: Any, ctx: Any, endpoint: str, size: int, count: int) -> None:
    """PUSH side of the throughput test: sends `count` messages of `size` bytes."""
    sock = ctx.socket(zmq.PUSH)
    sock.connect(endpoint)
    msg = b"x" * size
    send = sock.send
    for _ in range(count):
        send(msg)
    sock.close(linger=-1)


def measure_latency(zmq: Any, ctx: Any, endpoint: str, size: int, count: int, warmup: int,
                    start_peer: Callable[[str], Any]) -> float:
    req = ctx.socket(zmq.REQ)
    req.bind(endpoint)
    endpoint = req.getsockopt(zmq.LAST_ENDPOINT).decode()
    peer = start_peer(endpoint)
    msg = b"x" * size
    send, recv = req.send, req.recv
    for _ in range(warmup):
        send(msg)
        recv()
    t0 = time.perf_counter()
    for _ in range(count):
        send(msg)
        recv()
    elapsed = time.perf_counter() - t0
    peer.join()
    req.close()
    return elapsed / (2 * count) * 1e6


def measure_throughput(zmq: Any, ctx: Any, endpoint: str, size: int, count: int, warmup: int,
                       start_peer: Callable[[str], Any]) -> float:
    pull = ctx.socket(zmq.PULL)
    pull.bind(endpoint)
    endpoint = pull.getsockopt(zmq.LAST_ENDPOINT).decode()
    peer = start_peer(endpoint)
    recv = pull.recv
    for _ in range(warmup):
        recv()
    t0 = time.perf_counter()
    for _ in range(count):
        recv()
    elapsed = time.perf_counter() - t0
    peer.join()
    pull.close()
    return count / elapsed


# ---- peers: a thread (inproc) or a process (tcp) --------------------------------------------


class ProcessPeer:
    def __init__(self, lib: str, role: str, endpoint: str, size: int, count: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--peer", lib, role, endpoint, str(size), str(count)])

    def join(self) -> None:
        if self.proc.wait(timeout=120) != 0:
            raise RuntimeError(f"peer failed with {self.proc.returncode}")


class ThreadPeer:
    def __init__(self, fn: Callable[..., None], *args: Any) -> None:
        self.error: List[BaseException] = []

        def run() -> None:
            try:
                fn(*args)
            except BaseException as e:  # reported by join()
                self.error.append(e)

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self) -> None:
        self.thread.join(timeout=120)
        if self.thread.is_alive() or self.error:
            raise RuntimeError(f"peer failed: {self.error}")


ROLES = {"echo": echo, "push": push}


def run_cell(lib: str, workload: str, transport: str, size: int, count: int) -> float:
    zmq = load(lib)
    ctx = zmq.Context()
    warmup = max(100, count // 10)
    total = count + warmup
    role = "echo" if workload == "latency" else "push"
    if transport == "tcp":
        endpoint = "tcp://127.0.0.1:*"

        def start_peer(ep: str) -> Any:
            return ProcessPeer(lib, role, ep, size, total)
    else:
        endpoint = f"inproc://perf-{workload}-{size}-{time.monotonic_ns()}"

        def start_peer(ep: str) -> Any:
            return ThreadPeer(ROLES[role], zmq, ctx, ep, size, total)

    measure = measure_latency if workload == "latency" else measure_throughput
    try:
        return measure(zmq, ctx, endpoint, size, count, warmup, start_peer)
    finally:
        ctx.term()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="measurements per cell and library (median)")
    parser.add_argument("--sizes", default="1,1024,32768", help="message sizes in bytes")
    parser.add_argument("--transports", default="tcp,inproc")
    parser.add_argument("--workloads", default="latency,throughput")
    parser.add_argument("--lat-count", type=int, default=5000, help="round trips per latency run")
    parser.add_argument("--thr-count", type=int, default=100000, help="messages per throughput run")
    parser.add_argument("--quick", action="store_true", help="3 runs, fewer messages")
    parser.add_argument("--peer", nargs=5, metavar=("LIB", "ROLE", "ENDPOINT", "SIZE", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.peer:
        lib, role, endpoint, size, count = args.peer
        zmq = load(lib)
        ctx = zmq.Context()
        ROLES[role](zmq, ctx, endpoint, int(size), int(count))
        ctx.term()
        return

    if args.quick:
        args.runs, args.lat_count, args.thr_count = 3, 2000, 30000
    sizes = [int(s) for s in args.sizes.split(",")]
    import ringmq
    import zmq

    print(f"ringmq {ringmq.__version__} (io backend: {ringmq.Context().io_backend()}) vs "
          f"pyzmq {zmq.pyzmq_version()} / libzmq {zmq.zmq_version()}; python {sys.version.split()[0]}; "
          f"{os.cpu_count()} CPUs; median of {args.runs} alternating runs")
    print(f"{'workload':<11} {'transport':<9} {'size':>6} {'ringmq':>12} {'pyzmq':>12} {'ratio':>7}  unit")
    ratios: Dict[str, List[float]] = {"latency": [], "throughput": []}
    for workload in args.workloads.split(","):
        count = args.lat_count if workload == "latency" else args.thr_count
        for transport in args.transports.split(","):
            for size in sizes:
                results: Dict[str, List[float]] = {lib: [] for lib in LIBS}
                for _ in range(args.runs):
                    for lib in LIBS:
                        results[lib].append(run_cell(lib, workload, transport, size, count))
                ours, theirs = (statistics.median(results[lib]) for lib in LIBS)
                ratio = ours / theirs
                ratios[workload].append(ratio)
                unit = "us one-way (lower is better)" if workload == "latency" else "msg/s (higher is better)"
                fmt = "{:12.2f}" if workload == "latency" else "{:12.0f}"
                print(f"{workload:<11} {transport:<9} {size:>6} {fmt.format(ours)} {fmt.format(theirs)} {ratio:7.2f}  {unit}",
                      flush=True)
    for workload, values in ratios.items():
        if values:
            gm = statistics.geometric_mean(values)
            goal = "<= 1" if workload == "latency" else ">= 1"
            print(f"geometric mean ratio ringmq/pyzmq, {workload}: {gm:.2f} (goal {goal})")


if __name__ == "__main__":
    main()
