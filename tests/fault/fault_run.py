"""One run of one case: its processes, files, counts and verdict.

The verdict follows the suite's one rule: a fault may cost messages (ZMTP has no
acknowledgements), never their integrity. Duplicated, reordered, merged, partial, corrupted
or unexpected messages, stale replies, crashes, hangs and unbounded memory fail a case; so
does loss in cases without a disconnect, and a case whose faults did not happen (it would
prove nothing). Where libzmq itself loses messages at a connection's end (fault_cases.
LIBZMQ_LOSSES) the case reports that loss instead of failing on it. A case matched by a known,
not yet fixed library defect (fault_cases.KNOWN_DEFECTS) must show that defect's counters,
and only those: XFAIL; when it does not, the case fails (XPASS).
"""
import json
import os
import shutil
import tempfile
import threading
import time

from fault_cases import KNOWN_DEFECTS, LIBZMQ_LOSSES, RINGMQ
from fault_procs import Hang, Proc, Tally

# Counters that are defects wherever they appear.
DEFECT_COUNTERS = ("duplicated", "reordered", "merged", "partial", "corrupted", "foreign",
                   "stale_replies", "tiny_out_of_order")

EXIT_PASS, EXIT_FAIL, EXIT_SKIP = 0, 1, 77

# Peer options common to every case: reconnect fast (a cut must not leave the flow waiting
# for the default back-off) and bound the queues explicitly.
COMMON_PEER_ARGS = ["--reconnect-ivl", "10,100", "--sndhwm", "1000", "--rcvhwm", "1000"]


class Skip(Exception):
    pass


class Run:
    def __init__(self, case, bin_dir, seconds, seed, keep=False):
        self.case = case
        self.bin_dir = bin_dir
        self.seconds = seconds
        self.seed = seed
        self.keep = keep
        self.dir = tempfile.mkdtemp(prefix="ringmq-fault-")
        self.procs = []
        self.failures = []   # reasons the case failed besides counters
        self.notes = []      # figures worth printing
        self.figures = {}    # machine-readable figures (RESULT line)
        self.any_ended = threading.Event()  # set when any process's output ends
        self.sanitized = False  # a sanitizer build: memory bounds do not apply

    # ------------------------------------------------------------------ processes

    def exe(self, lib):
        return os.path.join(self.bin_dir, "fault_peer" if lib == RINGMQ else "fault_peer_zmq")

    def tally_path(self, name):
        return os.path.join(self.dir, name + ".tally")

    def peer(self, name, side, *, bind=None, connect=None, args=(), netns=None, capacity=None):
        """Starts a peer and waits for its "ready" line; returns (Proc, endpoint)."""
        argv = [self.exe(side.lib), "--socket", side.kind,
                "--bind" if bind else "--connect", bind or connect,
                "--tally", self.tally_path(name)] + COMMON_PEER_ARGS + list(args)
        if capacity:
            argv += ["--capacity", str(capacity)]
        env = {}
        if side.lib == RINGMQ and self.case.backend:
            env["RINGMQ_IO_BACKEND"] = self.case.backend
        p = Proc(name, argv, env=env, log_dir=self.dir, netns=netns, on_end=self.any_ended.set)
        self.procs.append(p)
        line = p.wait_line("ready ", 15)
        _, lib, backend, endpoint = line.split(" ", 3)
        if side.lib == RINGMQ and self.case.backend and backend != self.case.backend:
            raise Hang(f"{name} runs the {backend} backend, not {self.case.backend}")
        return p, endpoint

    def restart(self, old, name, side, **kw):
        """A successor of `old` (killed) with the same tally."""
        self.procs.remove(old)
        return self.peer(name, side, **kw)

    def proxy(self, listen, target, faults, extra=(), name="proxy"):
        # Each proxy of a run gets its own seed, derived from the run's.
        seed = self.seed + sum(1 for p in self.procs if p.argv[0].endswith("chaos_proxy"))
        argv = [os.path.join(self.bin_dir, "chaos_proxy"), "--listen", listen, "--target", target,
                "--seed", str(seed), "--faults", faults] + list(extra)
        p = Proc(name, argv, log_dir=self.dir, on_end=self.any_ended.set)
        self.procs.append(p)
        return p, p.wait_line("listening ", 10).split(" ", 1)[1]

    def named(self, name):
        return next(p for p in self.procs if p.name == name)

    def proxy_stats(self, proxy):
        n = len(proxy.lines)
        proxy.send("stats")
        line = proxy.wait_line("stats ", 10, start=n)
        return json.loads(line.split(" ", 1)[1])

    def hold(self, seconds, watch=None):
        """Lets traffic run for `seconds` (the scenario's schedule, not a wait for an event),
        failing at once if a watched process ends: every Proc's reader sets `ended`."""
        end = time.monotonic() + seconds
        watch = self.procs if watch is None else watch
        while True:
            for p in watch:
                if not p.alive() or p.ended.is_set():
                    p.wait_exit(5)
                    raise Hang(f"{p.name} ended early (status {p.popen.returncode}): {p.tail()} "
                               f"{p.stderr_tail()}")
            left = end - time.monotonic()
            if left <= 0:
                return
            self.any_ended.wait(left)
            self.any_ended.clear()

    def finish(self, senders, others, idle_ms=600, timeout=30):
        """Ends traffic: the generators stop, the receivers leave once idle for `idle_ms`, then
        the pure senders exit (their queues had drained into the receivers by then). 600 ms is
        six times the longest reconnect interval (RECONNECT_IVL_MAX 100 ms)."""
        for p in senders + others:
            p.send("stop")
        for p in others:
            p.send(f"finish {idle_ms}")
        for p in others:
            self.expect_clean_exit(p, timeout)
        for p in senders:
            p.send("exit")
        for p in senders:
            self.expect_clean_exit(p, timeout)

    def expect_clean_exit(self, p, timeout):
        status = p.wait_exit(timeout)
        if status != 0 or p.errors():
            self.failures.append(f"{p.name} exited with status {status}: {p.errors() or p.tail()} "
                                 f"{p.stderr_tail()}")

    def cleanup(self):
        for p in self.procs:
            p.kill()
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    # ------------------------------------------------------------------ counts

    def counts(self, tallies):
        """Sums the defect counters over `tallies` (name -> Tally)."""
        total = {k: 0 for k in DEFECT_COUNTERS}
        for t in tallies.values():
            g = t.snapshot()["global"]
            for k in DEFECT_COUNTERS:
                total[k] += g[k]
        return total

    def lib_of(self, tally_name):
        """The library of the peer that kept tally `tally_name` ("client3" -> the client's)."""
        for role in ("client", "server"):
            if tally_name.startswith(role):
                return getattr(self.case, role).lib
        return RINGMQ  # the soak's peers

    def verdict(self, flows, tallies, loss_allowed):
        """Prints the figures and decides. `flows`: [(label, sent, received)]."""
        counts = self.counts(tallies)
        # ringmq promises that only the first part of a multipart message can block
        # (include/ringmq/socket.hpp); libzmq 4.3 makes no such promise (its PAIR refuses a
        # later part when the pipe died meanwhile).
        counts["later_part_refused"] = sum(t.g("send_abandoned") for n, t in tallies.items()
                                           if self.lib_of(n) == RINGMQ)
        lost = 0
        print(f"case {self.case.name}  seed {self.seed}  traffic {self.seconds:g} s")
        for label, sent, received in flows:
            flow_lost = sent - received
            print(f"  {label:<22} sent {sent:>10}  received {received:>10}  lost {flow_lost:>8}")
            if flow_lost < 0:
                self.failures.append(f"{label}: received {received} of {sent} sent: more than sent")
            lost += max(flow_lost, 0)
        print("  " + "  ".join(f"{k} {v}" for k, v in counts.items()))
        interleaved = 0
        for name, t in tallies.items():
            g = t.snapshot()["global"]
            seen = {k: g[k] for k in DEFECT_COUNTERS if g[k]}
            if seen:
                print(f"    at {name}: " + ", ".join(f"{k} {v}" for k, v in seen.items()))
            interleaved += g["interleaved"]
            # Order is judged per connection: that needs connections told apart, not one key
            # per message (which would make every message its own connection).
            if g["whole"] > 200 and g["connections"] * 2 > g["whole"]:
                self.failures.append(f"{name}: {g['connections']} connection keys for {g['whole']} "
                                     f"messages: the checker cannot tell connections apart")
            if g["send_abandoned"]:
                self.notes.append(f"{name} ({self.lib_of(name)}): {g['send_abandoned']} multipart sends "
                                  f"refused at a later part (the pipe went away mid-message)")
        if interleaved:
            self.notes.append(f"interleaved {interleaved}: older messages of a producer's earlier "
                              f"connection after newer ones of its next (order holds per connection)")
        self.figures["interleaved"] = interleaved
        for note in self.notes:
            print("  " + note)
        self.figures.update({"case": self.case.name, "seed": self.seed, "seconds": self.seconds,
                             "flows": [list(f) for f in flows], "lost": lost, **counts})
        violations = {k: v for k, v in counts.items() if v}
        libzmq_losses = [x for x in LIBZMQ_LOSSES if x.applies(self.case.name)]
        if libzmq_losses:
            self.figures["libzmq_loss"] = [x.ident for x in libzmq_losses]
        if lost and not loss_allowed:
            if libzmq_losses:
                for x in libzmq_losses:
                    print(f"  lost {lost}: libzmq's own loss {x.ident} ({x.summary})")
            else:
                violations["lost"] = lost
        known = [d for d in KNOWN_DEFECTS if d.applies(self.case.name)]
        tolerated = {k for d in known for k in d.tolerates}
        hard = {k: v for k, v in violations.items() if k not in tolerated}
        for f in self.failures:
            print("  FAILURE: " + f)
        if hard:
            print("  FAILURE: " + ", ".join(f"{k} {v}" for k, v in hard.items()))
        if self.failures or hard:
            status, code = "FAIL", EXIT_FAIL
        elif violations:
            status, code = "XFAIL", EXIT_PASS
            for d in known:
                print(f"  XFAIL: known defect {d.ident} ({d.summary}): "
                      + ", ".join(f"{k} {violations[k]}" for k in d.tolerates if k in violations))
        elif known:
            # Fixed, or the case no longer finds it: either way the entry is out of date.
            status, code = "XPASS", EXIT_FAIL
            print("  FAILURE: XPASS: " + "; ".join(f"known defect {d.ident} did not show in this run"
                                                    for d in known))
        else:
            status, code = "PASS", EXIT_PASS
        self.figures["status"] = status
        print(f"RESULT {json.dumps(self.figures)}")
        print(status)
        return code

    def fail_now(self, reason):
        self.failures.append(reason)
        self.figures.update({"case": self.case.name, "seed": self.seed, "status": "FAIL"})
        print(f"case {self.case.name}  seed {self.seed}")
        for f in self.failures:
            print("  FAILURE: " + f)
        print(f"RESULT {json.dumps(self.figures)}")
        print("FAIL")
        return EXIT_FAIL


def tallies_of(run, names):
    return {n: Tally(run.tally_path(n)) for n in names}
