"""Multi-host cases of the fault suite: the client runs in one network namespace, the server in
another, joined by a veth pair (10.77.0.1 <-> 10.77.0.2), and iptables inside the server's
namespace damages the link:
  netns.loss       -m statistic --mode random --probability 0.05 -j DROP on both sides' input:
                   TCP retransmits, no connection breaks, so nothing may be lost, duplicated or
                   reordered, and no DISCONNECTED may be reported.
  netns.partition  -j DROP both ways (a silent partition) with HEARTBEAT_IVL 200 ms and
                   HEARTBEAT_TIMEOUT 1000 ms: both sides must report DISCONNECTED within
                   IVL + TIMEOUT (plus a 2 s margin: a sanity bound, not a performance check,
                   and not before half the timeout), then reconnect and carry traffic again once
                   the rules are gone.
  netns.reset      -p tcp -j REJECT --reject-with tcp-reset for 300 ms, three times: the
                   client's connection is reset; it reconnects and traffic resumes.
The namespaces are made by the case and deleted afterwards, even when it fails; ones left by
a driver that was killed (their names carry its pid) are deleted by the next netns case.
Without root, or without ip/iptables, the cases skip (exit 77) and say why.
"""
import os
import re
import shutil
import subprocess
import time

from fault_procs import Hang, Tally
from fault_run import Skip
from fault_scenarios import client_args, flows_of, senders_and_others, server_args, wait_for_progress

PREFIX = "rfault"
CLIENT_ADDR, SERVER_ADDR = "10.77.0.1", "10.77.0.2"
HEARTBEAT_IVL_MS, HEARTBEAT_TIMEOUT_MS = 200, 1000
DETECTION_MARGIN_MS = 2000


def sh(*argv, check=True):
    r = subprocess.run(list(argv), capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {r.stderr.strip() or r.stdout.strip()}")
    return r


def require_netns():
    if os.geteuid() != 0:
        raise Skip("needs root for network namespaces and iptables (CI runs as root)")
    for tool in ("ip", "iptables"):
        if shutil.which(tool) is None:
            raise Skip(f"{tool} is not installed (scripts/deps.sh installs iptables and iproute2)")


def reap_stale():
    """Deletes namespaces of this suite whose driver process is gone."""
    listing = sh("ip", "netns", "list", check=False).stdout
    for line in listing.splitlines():
        m = re.match(rf"^({PREFIX}(\d+)[ab])\b", line)
        if m and not os.path.exists(f"/proc/{m.group(2)}"):
            sh("ip", "netns", "del", m.group(1), check=False)


class Netns:
    """Two namespaces joined by a veth pair; a context manager that removes them."""

    def __init__(self, run):
        self.run = run
        pid = os.getpid()
        self.client_ns, self.server_ns = f"{PREFIX}{pid}a", f"{PREFIX}{pid}b"
        self.veth = (f"rfa{pid}", f"rfb{pid}")

    def __enter__(self):
        reap_stale()
        try:
            for ns in (self.client_ns, self.server_ns):
                sh("ip", "netns", "add", ns)
                sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "link", "add", self.veth[0], "netns", self.client_ns, "type", "veth",
               "peer", "name", self.veth[1], "netns", self.server_ns)
            for ns, dev, addr in ((self.client_ns, self.veth[0], CLIENT_ADDR),
                                  (self.server_ns, self.veth[1], SERVER_ADDR)):
                sh("ip", "-n", ns, "addr", "add", addr + "/24", "dev", dev)
                sh("ip", "-n", ns, "link", "set", dev, "up")
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        # The peers go first: a namespace lives as long as a process in it.
        for p in self.run.procs:
            p.kill()
        for ns in (self.client_ns, self.server_ns):
            sh("ip", "netns", "del", ns, check=False)
        return False

    def iptables(self, ns, *rule):
        sh("ip", "netns", "exec", ns, "iptables", *rule)

    def flush(self):
        for ns in (self.client_ns, self.server_ns):
            self.iptables(ns, "-F")


def start(run, net, extra):
    case = run.case
    server, endpoint = run.peer("server", case.server, bind=f"tcp://{SERVER_ADDR}:*",
                                args=server_args(case) + extra, netns=net.server_ns)
    client, _ = run.peer("client", case.client, connect=endpoint,
                         args=client_args(case) + extra, netns=net.client_ns)
    return {"client": client, "server": server}


def finish(run, net, procs, tc, ts, loss_allowed):
    net.flush()
    senders, others = senders_and_others(run.case, procs)
    # Retransmission back-off after a lossy period can hold bytes for a few hundred ms.
    run.finish(senders, others, idle_ms=2000)
    return run.verdict(flows_of(run.case, tc, ts), {"client": tc, "server": ts}, loss_allowed)


def run_loss(run, probability=0.05):
    with Netns(run) as net:
        for ns in (net.client_ns, net.server_ns):
            net.iptables(ns, "-A", "INPUT", "-m", "statistic", "--mode", "random",
                         "--probability", str(probability), "-j", "DROP")
        # No disconnect, so nothing may be lost (client_args keeps a DEALER's window whole).
        procs = start(run, net, ["--monitor"])
        tc, ts = Tally(run.tally_path("client")), Tally(run.tally_path("server"))
        run.hold(run.seconds)
        dropped = sum(int(m) for ns in (net.client_ns, net.server_ns)
                      for m in re.findall(r"^\s*(\d+)\s+\d+\s+DROP", sh(
                          "ip", "netns", "exec", ns, "iptables", "-L", "INPUT", "-v", "-x", "-n").stdout,
                          re.M))
        code_flows = flows_of(run.case, tc, ts)
        rate = sum(r for _, _, r in code_flows) / run.seconds
        run.notes.append(f"{probability:.0%} random drop: {dropped} packets dropped; "
                         f"{rate:,.0f} msg/s received")
        run.figures.update({"packets_dropped": dropped, "rate": rate})
        if dropped == 0:
            run.failures.append("no packet was dropped: the case tested nothing")
        for name, p in procs.items():
            if p.events("DISCONNECTED"):
                run.failures.append(f"the {name} reported DISCONNECTED under packet loss alone")
        return finish(run, net, procs, tc, ts, loss_allowed=False)


def partition(net, how):
    if how == "drop":
        net.iptables(net.server_ns, "-I", "INPUT", "-j", "DROP")
        net.iptables(net.server_ns, "-I", "OUTPUT", "-j", "DROP")
    else:
        net.iptables(net.server_ns, "-I", "INPUT", "-p", "tcp", "-j", "REJECT", "--reject-with", "tcp-reset")


def event_after(proc, name, t0, timeout):
    """The first monitor event `name` the process reported after driver time `t0`, waiting
    up to `timeout` s for it. Returns its peer-side CLOCK_MONOTONIC time in ns."""
    deadline = time.monotonic() + timeout
    while True:
        for t, ev, _, ns in proc.events(name):
            if ns / 1e9 >= t0:
                return ns
        if time.monotonic() >= deadline:
            seen = [(e[1], round(e[3] / 1e6 - t0 * 1000)) for e in proc.events()][-8:]
            raise Hang(f"{proc.name} reported no {name} within {timeout:g} s of driver time {t0:.3f}; "
                       f"its last events (name, ms after that time): {seen}")
        proc.ended.wait(0.02)


def run_partition(run, how="drop", episodes=1):
    hb = ["--monitor", "--heartbeat", f"{HEARTBEAT_IVL_MS},{HEARTBEAT_TIMEOUT_MS}",
          "--connect-timeout", "500", "--rate", "20000"]
    with Netns(run) as net:
        procs = start(run, net, hb)
        tc, ts = Tally(run.tally_path("client")), Tally(run.tally_path("server"))
        wait_for_progress(run, ts, "unique", 0, 10, "the first messages")
        detections, recoveries = [], []
        for i in range(episodes):
            run.hold(max(0.3, run.seconds / (2 * episodes)))
            t0 = time.monotonic()
            partition(net, how)
            if how == "drop":
                bound_ms = HEARTBEAT_IVL_MS + HEARTBEAT_TIMEOUT_MS + DETECTION_MARGIN_MS
                for name in ("client", "server"):
                    ns = event_after(procs[name], "DISCONNECTED", t0, bound_ms / 1000 + 5)
                    ms = ns / 1e6 - t0 * 1000
                    detections.append((name, round(ms)))
                    if ms > bound_ms:
                        run.failures.append(f"the {name} noticed the partition after {ms:.0f} ms, "
                                            f"beyond IVL + TIMEOUT + margin = {bound_ms} ms")
                    if ms < HEARTBEAT_TIMEOUT_MS / 2:
                        run.failures.append(f"the {name} reported DISCONNECTED {ms:.0f} ms into a silent "
                                            f"partition, before its heartbeat could time out")
            else:
                ns = event_after(procs["client"], "DISCONNECTED", t0, 10)
                detections.append(("client", round(ns / 1e6 - t0 * 1000)))
                run.hold(0.3)
            t_heal = time.monotonic()  # before: the reconnect may beat the flush's return
            net.flush()
            event_after(procs["client"], "HANDSHAKE_SUCCEEDED", t_heal, 15)
            before = ts.p(0, "unique")
            wait_for_progress(run, ts, "unique", before + 100, 15, f"traffic after heal {i + 1}")
            recoveries.append(round((time.monotonic() - t_heal) * 1000))
        run.notes.append(f"{how} episodes: DISCONNECTED after {detections} ms; traffic again "
                         f"{recoveries} ms after the heal")
        run.figures.update({"detection_ms": detections, "recovery_ms": recoveries})
        run.hold(0.3)
        return finish(run, net, procs, tc, ts, loss_allowed=True)


def dispatch(run):
    require_netns()
    family = run.case.family
    if family == "netns.loss":
        return run_loss(run)
    if family == "netns.partition":
        return run_partition(run, "drop")
    if family == "netns.reset":
        return run_partition(run, "reset", episodes=3)
    raise ValueError(family)
