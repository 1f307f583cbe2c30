#!/usr/bin/python3
"""compare.py: ringmq, libzmq 4.3 and the raw kernel side by side, on this machine, in one run.

Runs the perf tools built next to this harness (see perf/CMakeLists.txt) on identical
workloads:

  latency       local_lat/remote_lat (tcp, ipc) and inproc_lat, vs zmq_* and raw_pingpong /
                raw_futex_pingpong                                   (one-way µs, lower is better)
  throughput    local_thr/remote_thr (tcp, ipc) and inproc_thr, vs zmq_* and raw_stream (+ the
                raw_stream_batched limit in the note) /
                raw_spsc_thr                                         (msg/s, higher is better)
  curve         local_thr/remote_thr ... 1 over tcp, ringmq vs libzmq
  busy-poll     ringmq latency with context busy_poll_us next to the raw ping-pong
  fan-out       pub_fanout: one XPUB to 100 SUBs, throughput and fan-out latency
  connections   conn_server/conn_client: RSS per connection of the accepting process with
                10,000 mostly idle connections, and throughput past them
  pairing       (full mode) ringmq tools against libzmq-API tools in either role

Latency and throughput get a fourth column when ringmq's C ABI is built (--capi, found in
<build>/capi by default): libzmq's zmq_* tools run unchanged with LD_LIBRARY_PATH at ringmq's
libzmq.so.5, the speed a libzmq user gains by swapping the library.

Every run alternates between the libraries, each cell is repeated (--reps, default 5, 3 with
--quick) and the median is reported with the ringmq/libzmq and ringmq/raw ratios, as a
markdown table on stdout (followed by the goals of perf_goals.py, each marked met or not)
and as results.md, results.csv, results.json and chart.png in --out. Every subprocess has a
timeout; a cell that fails shows as "n/a" with the reason. Pins nothing.

Usage:
  perf/compare.py [--bin DIR] [--quick | --self-test] [--reps N] [--out DIR] [--only SECTIONS]
  perf/compare.py --bin DIR --pair SERVER CLIENT ARGS...   (one server/client run, for ctest)

Only the Python standard library, plus python3-matplotlib (Debian) for the chart.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
from perf_procs import (CellFailure, Endpoints, LineReader, close_stdin, kill, output, reason,  # noqa: E402
                        run_pair, run_single, spawn, wait_all, wait_listening)
from perf_report import (ABI, LIBS, Experiment, Row, draw_chart, human, machine_info,  # noqa: E402
                         render_markdown, write_csv, write_json)
from perf_report import (connect_note, deliveries_note, delivery_note, mbps_note, p99_note,  # noqa: E402
                         spin_note)
from perf_goals import check_goals, render_goals  # noqa: E402


# ------------------------------------------------------------------------------------ workloads

raw_stream_records = 500000  # at most, per raw tcp/unix throughput run


class Harness:
    def __init__(self, args):
        self.args = args
        self.bin = args.bin
        self.timeout = args.timeout
        self.endpoints = Endpoints()
        self.seen_backend = {}  # library -> io backend reported by its tools
        self.versions = {}
        self.capi = args.capi  # directory of ringmq's libzmq.so.5, or None

    @staticmethod
    def prefix(lib):
        """libzmq's tools are zmq_*; the ABI runs the very same binaries."""
        return "zmq_" if lib in ("libzmq", ABI) else ""

    def env(self, lib):
        """The ABI's runs load ringmq's libzmq.so.5 instead of libzmq's."""
        if lib != ABI:
            return None
        path = os.environ.get("LD_LIBRARY_PATH")
        return dict(os.environ, LD_LIBRARY_PATH=self.capi + (":" + path if path else ""))

    def tool(self, name):
        path = os.path.join(self.bin, name)
        if not os.access(path, os.X_OK):
            raise CellFailure(f"{name} not built")
        return path

    def _note_header(self, lib, result):
        # The zmq_* tools name the library the loader gave them: a run that did not get
        # ringmq's (or got it instead of libzmq's) measured something else.
        if lib in ("libzmq", ABI) and (result.get("library") == "ringmq-capi") != (lib == ABI):
            wanted = "ringmq's libzmq.so.5 from --capi" if lib == ABI else "libzmq"
            raise CellFailure(f"{result.get('tool', 'the tool')} ran on {result.get('library')}, not {wanted}")
        if lib in ("ringmq", "libzmq") and result.get("transport") not in (None, "inproc"):
            self.seen_backend.setdefault(lib, result.get("io_backend"))
        if result.get("version"):
            self.versions.setdefault(lib, result["version"])
        return result

    def _pair(self, lib, server, client, transport, args, result_from, server_extra=(), client_extra=()):
        endpoint = self.endpoints.make(transport)
        prefix = self.prefix(lib)
        scmd = [self.tool(prefix + server), endpoint, *map(str, args), *server_extra, "--json"]
        ccmd = [self.tool(prefix + client), endpoint, *map(str, args), *client_extra, "--json"]
        try:
            return self._note_header(lib, run_pair(scmd, ccmd, endpoint, self.timeout, result_from,
                                                   env=self.env(lib)))
        finally:
            if endpoint.startswith("ipc://"):
                try:
                    os.unlink(endpoint[len("ipc://"):])
                except OSError:
                    pass

    # Latency: mean one-way µs (libzmq's definition), with p99 as extra.
    def latency(self, lib, transport, size, count, busy_poll=0):
        warm = ["--warmup", str(max(count // 10, 1)), "--percentiles"]
        bp = ["--busy-poll", str(busy_poll)] if busy_poll else []
        if lib == "raw":
            if transport == "inproc":
                r = run_single([self.tool("raw_futex_pingpong"), str(size), str(count), *warm, *bp, "--json"],
                               self.timeout)
            else:
                kind = "tcp" if transport == "tcp" else "unix"
                r = run_single([self.tool("raw_pingpong"), kind, str(size), str(count), *warm, *bp, "--json"],
                               self.timeout)
        elif transport == "inproc":
            name = self.prefix(lib) + "inproc_lat"
            r = self._note_header(lib, run_single([self.tool(name), str(size), str(count), *warm, *bp, "--json"],
                                                  self.timeout, env=self.env(lib)))
        else:
            r = self._pair(lib, "local_lat", "remote_lat", transport, (size, count), "client", bp, warm + bp)
        return {"latency_us": r["average_latency_us"], "p99_us": r.get("p99_us")}

    # Throughput: msg/s as local_thr computes it.
    def throughput(self, lib, transport, size, count, curve=False):
        if lib == "raw" and transport != "inproc":
            # One write() per record runs at a few 100,000 records/s: fewer records keep the
            # run short (the rate does not depend on the count).
            count = min(count, raw_stream_records)
        warm = ["--warmup", str(max(count // 20, 1))]
        if lib == "raw":
            if transport == "inproc":
                r = run_single([self.tool("raw_spsc_thr"), str(size), str(count), *warm, "--json"], self.timeout)
            else:
                kind = "tcp" if transport == "tcp" else "unix"
                r = run_single([self.tool("raw_stream"), kind, str(size), str(count), *warm, "--json"], self.timeout)
        elif transport == "inproc":
            name = self.prefix(lib) + "inproc_thr"
            r = self._note_header(lib, run_single([self.tool(name), str(size), str(count), *warm, "--json"],
                                                  self.timeout, env=self.env(lib)))
        else:
            extra = ["1"] if curve else []
            r = self._pair(lib, "local_thr", "remote_thr", transport, (size, count), "server", extra + warm,
                           extra + ["--hold"])
        return {"msg_s": r["throughput_msg_s"], "mb_s": r["throughput_mb_s"]}

    # The batched raw stream: records with ZMTP-style headers coalesced into 64 KiB writes,
    # every header parsed by the reader: the kernel's small-message limit.
    def throughput_batched(self, transport, size, count):
        warm = ["--warmup", str(max(count // 20, 1))]
        kind = "tcp" if transport == "tcp" else "unix"
        r = run_single([self.tool("raw_stream_batched"), kind, str(size), str(count), *warm, "--json"], self.timeout)
        return {"msg_s": r["throughput_msg_s"], "mb_s": r["throughput_mb_s"]}

    def fanout(self, lib, transport, subscribers, size, count, rounds):
        if lib == "raw":
            raise CellFailure("no raw baseline")
        name = ("zmq_" if lib == "libzmq" else "") + "pub_fanout"
        endpoint = {"tcp": "tcp://127.0.0.1:*", "ipc": f"ipc://{self.endpoints.dir}/fanout.sock",
                    "inproc": "inproc://fanout"}[transport]
        r = run_single([self.tool(name), endpoint, str(subscribers), str(size), str(count), str(rounds),
                        "--warmup", str(max(rounds // 10, 1)), "--percentiles", "--json"], self.timeout)
        self._note_header(lib, r)
        return {"msg_s": r["throughput_msg_s"], "deliveries_s": r["deliveries_s"],
                "fanout_us": r.get("fanout_latency_us"), "delivery_us": r.get("delivery_latency_us")}

    def connections(self, lib, connections, size, count):
        """conn_server + idle conn_client processes + one active conn_client."""
        if lib == "raw":
            raise CellFailure("no raw baseline")
        prefix = "zmq_" if lib == "libzmq" else ""
        server_tool, client_tool = self.tool(prefix + "conn_server"), self.tool(prefix + "conn_client")
        endpoint = self.endpoints.make("tcp")
        per_process = self.args.sockets_per_client
        procs = []
        server = spawn([server_tool, endpoint, str(connections), str(size), str(count), "--json"], stdout_pipe=True)
        reader = LineReader(server)
        started = time.monotonic()
        try:
            wait_listening(endpoint, server)
            left = connections
            while left > 0:
                n = min(per_process, left)
                procs.append(spawn([client_tool, endpoint, str(n), str(size), "0", "--quiet"],
                                    stdin=subprocess.PIPE))
                left -= n
            connected = reader.next_json(self.timeout)
            if connected is None:
                dead = [p for p in procs if p.poll() not in (None, 0)]
                if dead:
                    raise CellFailure(reason(os.path.basename(client_tool), dead[0].returncode, output(dead[0])[1]))
                if server.poll() not in (None, 0):
                    raise CellFailure(reason(os.path.basename(server_tool), server.returncode, output(server)[1]))
                raise CellFailure(f"not all {connections} connections were up within {self.timeout:.0f} s")
            self._note_header(lib, connected)
            result = {"rss_per_conn_b": connected["rss_per_connection_b"], "connect_s": connected["connect_s"],
                      "rss_after_kib": connected["rss_after_kib"]}
            if count > 0:
                procs.append(spawn([client_tool, endpoint, "1", str(size), str(count), "--quiet"],
                                    stdin=subprocess.PIPE))
                left = self.timeout - (time.monotonic() - started)
                done = reader.next_json(max(left, 10.0))
                if done is None:
                    if server.poll() not in (None, 0):
                        raise CellFailure(reason(os.path.basename(server_tool), server.returncode,
                                                  output(server)[1]))
                    raise CellFailure(f"throughput past {connections} connections: no result")
                result["msg_s"] = done["throughput_msg_s"]
            return result
        finally:
            for p in procs:  # EOF on stdin lets each client close its sockets and exit
                try:
                    p.stdin.close()
                except OSError:
                    pass
            for p in procs:
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    kill(p)
            kill(server)

    def pairing(self, server_lib, client_lib, kind, curve=False):
        """One run of a ringmq tool against a libzmq-API tool (or the reverse)."""
        sp = "zmq_" if server_lib == "libzmq" else ""
        cp = "zmq_" if client_lib == "libzmq" else ""
        endpoint = self.endpoints.make("tcp")
        if kind == "lat":
            r = run_pair([self.tool(sp + "local_lat"), endpoint, "64", "2000", "--json"],
                         [self.tool(cp + "remote_lat"), endpoint, "64", "2000", "--warmup", "200", "--json"],
                         endpoint, self.timeout, "client")
            return {"latency_us": r["average_latency_us"]}
        extra = ["1"] if curve else []
        r = run_pair([self.tool(sp + "local_thr"), endpoint, "64", "100000", *extra, "--json"],
                     [self.tool(cp + "remote_thr"), endpoint, "64", "100000", *extra, "--hold", "--json"],
                     endpoint, self.timeout, "server")
        return {"msg_s": r["throughput_msg_s"]}


# ------------------------------------------------------------------------------------ plan

def batched_note(row, batched):
    """The batched raw limit of a throughput row and ringmq's distance to it."""
    v = [s["msg_s"] for s in batched.samples.get("raw", [])]
    if not v:
        return f"raw-batched: n/a ({(batched.failures.get('raw') or ['no result'])[-1]})"
    limit = statistics.median(v)
    mine = row.median("ringmq")
    ratio = f", ringmq/raw-batched {mine / limit:.2f}×" if mine else ""
    return f"raw-batched {human(limit)} msg/s{ratio}"


def build_plan(h, args):
    """The experiments and table rows for this mode."""
    exps, rows = [], []
    quick, selftest = args.quick, args.self_test
    sections = set(args.only.split(",")) if args.only else None

    def want(name):
        return sections is None or name in sections

    # Latency and throughput also on the C ABI, when it is there.
    lat_thr_libs = LIBS + ((ABI,) if h.capi else ())

    if selftest:
        lat_sizes = {"tcp": [64], "ipc": [], "inproc": [64]}
        thr_sizes = {"tcp": [64], "ipc": [], "inproc": [64]}
    elif quick:
        lat_sizes = {t: [64] for t in ("tcp", "ipc", "inproc")}
        thr_sizes = {t: [64] for t in ("tcp", "ipc", "inproc")}
    else:
        lat_sizes = {t: [1, 64, 1024, 65536] for t in ("tcp", "ipc", "inproc")}
        thr_sizes = {"tcp": [1, 8, 64, 1024, 65536], "ipc": [1, 64, 1024, 65536], "inproc": [1, 8, 64, 1024, 65536]}

    def lat_count(transport, size):
        if selftest:
            return 300
        base = 3000 if quick else 10000
        if transport == "inproc":
            base *= 2
        return base // 4 if size >= 65536 else base

    def thr_count(transport, size):
        if selftest:
            return 20000
        if quick:
            return 200000
        # Long enough for the steady state: with 500,000 messages a small-message run lasts
        # about 0.1 s and measures start-up (the first receive batches, the pipes' first
        # chunks) more than throughput.
        return {1: 2000000, 8: 2000000, 64: 2000000, 1024: 500000}.get(size, 20000)

    if want("latency"):
        for t in ("tcp", "ipc", "inproc"):
            for size in lat_sizes[t]:
                e = Experiment("latency", t, size,
                               lambda lib, t=t, size=size: h.latency(lib, t, size, lat_count(t, size)),
                               libs=lat_thr_libs)
                exps.append(e)
                rows.append(Row(e, "latency_us", "µs", "lower", "latency",
                                note=lambda r: p99_note(r)))
    if want("throughput"):
        for t in ("tcp", "ipc", "inproc"):
            for size in thr_sizes[t]:
                e = Experiment("throughput", t, size,
                               lambda lib, t=t, size=size: h.throughput(lib, t, size, thr_count(t, size)),
                               libs=lat_thr_libs)
                exps.append(e)
                if t == "inproc":
                    rows.append(Row(e, "msg_s", "msg/s", "higher", "throughput", note=lambda r: mbps_note(r)))
                    continue
                # The "raw" column of this row is raw_stream (one write() per record); the
                # batched limit runs as its own experiment and reads in the note.
                b = Experiment("throughput-raw-batched", t, size,
                               lambda lib, t=t, size=size: h.throughput_batched(t, size, thr_count(t, size)),
                               libs=("raw",))
                exps.append(b)
                rows.append(Row(e, "msg_s", "msg/s", "higher", "throughput (raw = per-write)",
                                note=lambda r, b=b: "; ".join(x for x in (batched_note(r, b), mbps_note(r)) if x)))
    if want("curve"):
        count = 20000 if selftest else (100000 if quick else 300000)
        e = Experiment("curve", "tcp", 64, lambda lib: h.throughput(lib, "tcp", 64, count, curve=True),
                       libs=("ringmq", "libzmq"), label="CURVE throughput")
        exps.append(e)
        rows.append(Row(e, "msg_s", "msg/s", "higher"))
    if want("busy-poll"):
        bp = args.busy_poll
        transports = ("tcp",) if (quick or selftest) else ("tcp", "ipc", "inproc")
        for t in transports:
            count = lat_count(t, 64)
            e = Experiment("busy-poll", t, 64,
                           lambda lib, t=t, count=count: h.latency(lib, t, 64, count, busy_poll=bp if lib == "ringmq" else 0),
                           label=f"latency, ringmq busy-poll {bp} µs")
            spin = Experiment("busy-poll-raw-spin", t, 64,
                              lambda lib, t=t, count=count: h.latency(lib, t, 64, count, busy_poll=bp),
                              libs=("raw",))
            exps += [e, spin]
            rows.append(Row(e, "latency_us", "µs", "lower",
                            note=lambda r, spin=spin: spin_note(r, spin, bp)))
    if want("fan-out"):
        subs = 5 if selftest else args.subscribers
        count, rounds = (100, 10) if selftest else ((2000, 200) if quick else (10000, 500))
        e = Experiment("fan-out", "tcp", 64, lambda lib: h.fanout(lib, "tcp", subs, 64, count, rounds),
                       libs=("ringmq", "libzmq"), label=f"PUB fan-out to {subs} SUBs")
        exps.append(e)
        rows.append(Row(e, "msg_s", "msg/s", "higher", f"fan-out {subs} SUBs: throughput",
                        note=lambda r: deliveries_note(r)))
        rows.append(Row(e, "fanout_us", "µs", "lower", f"fan-out {subs} SUBs: latency to the last SUB",
                        note=lambda r: delivery_note(r)))
    if want("connections"):
        n = 50 if selftest else args.connections
        count = 20000 if selftest else (100000 if quick else 300000)
        e = Experiment("connections", "tcp", 64, lambda lib: h.connections(lib, n, 64, count),
                       libs=("ringmq", "libzmq"), label=f"{n} idle connections")
        exps.append(e)
        rows.append(Row(e, "rss_per_conn_b", "B", "lower", f"{n} connections: RSS per connection",
                        note=lambda r: connect_note(r)))
        rows.append(Row(e, "msg_s", "msg/s", "higher", f"{n} connections: throughput past them"))
    return exps, rows


# ------------------------------------------------------------------------------------ main

def default_bin():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    for cand in (here, os.path.join(root, "build", "release", "perf"), os.path.join(root, "build-perf", "perf"),
                 os.path.join(root, "build", "perf")):
        if os.access(os.path.join(cand, "local_lat"), os.X_OK):
            return cand
    return os.path.join(root, "build", "release", "perf")


def raise_nofile(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
    if soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft, hard


def pair_mode(args):
    """--pair SERVER CLIENT ARGS...: one run of a binding tool and a connecting tool over
    --transport, both outputs shown; exit 0 when both succeed, 1 otherwise (a build
    without CURVE fails a CURVE pairing: it is a required feature).
    ARGS go to both, except --hold, which only the sender takes."""
    server, client, *rest = args.pair
    eps = Endpoints()
    endpoint = eps.make(args.transport)
    try:
        scmd = [os.path.join(args.bin, server), endpoint, *[a for a in rest if a != "--hold"]]  # a sender flag
        ccmd = [os.path.join(args.bin, client), endpoint, *rest]
        print("$", " ".join(scmd), "&\n$", " ".join(ccmd), flush=True)
        s = spawn(scmd)
        wait_listening(endpoint, s)
        c = spawn(ccmd, stdin=subprocess.PIPE if "--hold" in rest else subprocess.DEVNULL)
        failure = None
        try:
            wait_all({server: s, client + " (client)" if client == server else client: c}, args.timeout,
                      on_success=lambda name: close_stdin(c) if name == server else None)
        except CellFailure as e:
            failure = str(e)
        finally:
            kill(c)
            kill(s)
        sout, serr = output(s)
        cout, cerr = output(c)
        for name, out, err, rc in ((server, sout, serr, s.returncode), (client, cout, cerr, c.returncode)):
            print(f"--- {name} (exit {rc})\n{out}{err}", end="")
        if "CURVE is not available" in (serr + cerr):
            failure = failure or "CURVE is not available in this build"
        if failure:
            print(f"failed: {failure}")
            return 1
        return 0
    finally:
        eps.cleanup()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default=None, help="directory of the perf tools (default: found next to the build)")
    p.add_argument("--capi", default=None,
                   help="directory of ringmq's libzmq.so.5 for the 'libzmq API on ringmq' column "
                        "(default: <bin>/../capi if built; 'none' leaves the column out)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="64-byte cells only, fewer messages: under ~3 minutes")
    mode.add_argument("--self-test", action="store_true", help="tiny counts, 1 run each: checks the harness works")
    p.add_argument("--reps", type=int, default=None, help="runs per cell (default 5; --quick 3, self-test 1)")
    p.add_argument("--out", default=None, help="directory for results.{md,csv,json} and chart.png")
    p.add_argument("--only", default=None,
                   help="comma-separated sections: latency,throughput,curve,busy-poll,fan-out,connections,pairing")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds allowed to each tool run (default 120)")
    p.add_argument("--connections", type=int, default=10000, help="idle connections (default 10000)")
    p.add_argument("--sockets-per-client", type=int, default=2500, help="connections per conn_client process")
    p.add_argument("--subscribers", type=int, default=100, help="SUB sockets in the fan-out test (default 100)")
    p.add_argument("--busy-poll", type=int, default=50, help="ringmq busy_poll_us in the busy-poll rows (default 50)")
    p.add_argument("--no-chart", action="store_true")
    p.add_argument("--transport", default="tcp", choices=("tcp", "ipc"), help="with --pair")
    p.add_argument("--pair", nargs=argparse.REMAINDER, help="SERVER CLIENT ARGS...: one pair run (for ctest)")
    args = p.parse_args()
    args.bin = os.path.abspath(args.bin or default_bin())
    if args.capi is None:
        found = os.path.join(os.path.dirname(args.bin), "capi")
        args.capi = found if os.path.exists(os.path.join(found, "libzmq.so.5")) else None
    elif args.capi == "none":
        args.capi = None
    else:
        args.capi = os.path.abspath(args.capi)
    if args.pair:
        if len(args.pair) < 2:
            p.error("--pair needs SERVER CLIENT [ARGS...]")
        return pair_mode(args)
    if args.reps is None:
        # Five in full mode: on this kind of VM about a third of 64 KiB ipc runs, of raw and
        # both libraries, fall into a slow mode; a median of three lands in it too often.
        args.reps = 1 if args.self_test else (3 if args.quick else 5)
    if args.reps < 1:
        p.error("--reps must be at least 1")
    if not os.access(os.path.join(args.bin, "local_lat"), os.X_OK):
        print(f"compare.py: no perf tools in {args.bin}; build them (cmake --build <dir> --target ringmq_perf) "
              "or pass --bin", file=sys.stderr)
        return 2
    args.out = os.path.abspath(args.out or os.path.join(os.path.dirname(args.bin), "perf-results",
                                                        "self-test" if args.self_test else
                                                        ("quick" if args.quick else "full")))
    os.makedirs(args.out, exist_ok=True)

    notes = []
    soft, hard = raise_nofile(args.connections + 1000)
    if hard != resource.RLIM_INFINITY and hard < args.connections + 200 and not args.self_test:
        notes.append(f"RLIMIT_NOFILE hard limit is {hard}, lower than {args.connections} connections need: "
                     f"the connections test uses {hard - 200} instead.")
        args.connections = max(hard - 200, 10)
    per_client_cap = max((min(soft, hard) - 100) // 3, 1)  # each libzmq socket holds a socket and an eventfd
    if args.sockets_per_client > per_client_cap:
        args.sockets_per_client = per_client_cap
    notes.append(f"RLIMIT_NOFILE raised to {soft} (hard limit {hard}); idle connections come from conn_client "
                 f"processes of up to {args.sockets_per_client} sockets each.")

    info = machine_info()
    h = Harness(args)
    exps, rows = build_plan(h, args)
    do_pairing = not args.quick and not args.self_test and (args.only is None or "pairing" in args.only.split(","))
    mode = "self-test" if args.self_test else ("quick" if args.quick else "full")
    total = sum(len(e.libs) for e in exps) * args.reps
    print(f"compare.py ({mode}): {len(exps)} workloads × {args.reps} runs = {total} tool runs; tools in {args.bin}",
          file=sys.stderr, flush=True)
    started = time.monotonic()
    done = 0
    try:
        for rep in range(args.reps):
            for i, e in enumerate(exps):
                # Alternate: each repetition (and each workload) starts with another library.
                k = (rep + i) % len(e.libs)
                for lib in e.libs[k:] + e.libs[:k]:
                    done += 1
                    try:
                        e.samples[lib].append(e.run(lib))
                    except CellFailure as err:
                        e.failures[lib].append(str(err))
                    except Exception as err:  # never let one cell end the run
                        e.failures[lib].append(f"harness error: {type(err).__name__}: {err}")
                    if done % 10 == 0 or done == total:
                        print(f"  {done}/{total} runs, {time.monotonic() - started:.0f} s", file=sys.stderr,
                              flush=True)
        pairing = []
        if do_pairing:
            checks = [("ringmq", "libzmq", "lat", False), ("libzmq", "ringmq", "lat", False),
                      ("ringmq", "libzmq", "thr", False), ("libzmq", "ringmq", "thr", False),
                      ("ringmq", "libzmq", "thr", True), ("libzmq", "ringmq", "thr", True)]
            for s, c, kind, curve in checks:
                entry = {"server": s, "client": c, "test": kind + (" CURVE" if curve else "")}
                try:
                    entry["result"] = h.pairing(s, c, kind, curve)
                    entry["ok"] = True
                except CellFailure as err:
                    entry["ok"], entry["reason"] = False, str(err)
                pairing.append(entry)
    finally:
        h.endpoints.cleanup()
    elapsed = time.monotonic() - started
    info["load_end"] = os.getloadavg()[0]

    if pairing:
        lines = ["Pairing (ringmq tools against tools on libzmq's C API, tcp, 64 B, one run each):", "",
                 "| binding side | connecting side | test | result |", "|---|---|---|---|"]
        names = {"lat": ("local_lat", "remote_lat"), "thr": ("local_thr", "remote_thr")}
        for e in pairing:
            kind = e["test"].split()[0]
            sname, cname = names[kind]
            pre = lambda lib: "zmq_" if lib == "libzmq" else ""
            res = (f"ok, {e['result']['latency_us']:.2f} µs" if "latency_us" in e.get("result", {}) else
                   f"ok, {human(e['result']['msg_s'])} msg/s") if e["ok"] else f"n/a ({e['reason']})"
            args_suffix = " … 1" if "CURVE" in e["test"] else ""
            lines.append(f"| {pre(e['server'])}{sname}{args_suffix} ({e['server']}) | "
                         f"{pre(e['client'])}{cname}{args_suffix} ({e['client']}) | {e['test']} | {res} |")
        notes.append("\n".join(lines))

    goals = check_goals(rows)
    notes.insert(0, render_goals(goals, judge=not args.self_test))
    md = render_markdown(h, rows, info, args, elapsed, notes)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(md)
    write_csv(os.path.join(args.out, "results.csv"), rows)
    write_json(os.path.join(args.out, "results.json"), h, rows, info, args, pairing, goals)
    chart_note = None
    if not args.no_chart:
        chart_note = draw_chart(os.path.join(args.out, "chart.png"), rows,
                                f"ringmq vs libzmq vs raw — {info['date']} — medians of {args.reps}")
    print(md)
    print(f"results: {args.out}/results.md, results.csv, results.json" +
          ("" if args.no_chart or chart_note else ", chart.png"))
    if chart_note:
        print(chart_note)

    if args.self_test:
        # The harness works if every cell that does not need CURVE produced a number.
        missing = [f"{r.label} {r.exp.transport} {lib}: {r.reason(lib)}" for r in rows
                   for lib in r.exp.libs if r.exp.section != "curve" and r.median(lib) is None]
        if missing:
            print("self-test: cells without a result:\n  " + "\n  ".join(missing), file=sys.stderr)
            return 1
        print("self-test: every cell produced a result")
    return 0


if __name__ == "__main__":
    sys.exit(main())
