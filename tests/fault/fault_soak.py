"""The soak: several faulty flows at once for RINGMQ_FAULT_SOAK_SECONDS (60 s in CI; the
documented long run is 1800 s), ringmq on both sides, with the case's I/O backend:
  A  PUSH (connect) -> chaos proxy, every fault -> PULL (bind)          20k msg/s
  B  DEALER (connect) -> chaos proxy, every fault -> ROUTER (bind, echo)  window 100
  C  PUSH (bind) <- PULL (connect); the PULL is SIGKILLed and restarted every 10 s
  D  PAIR (connect) <-> chaos proxy, byte faults only <-> PAIR (bind)   5k msg/s each way
Once a second the driver samples RssAnon (heap and anonymous maps: where a leak grows; VmRSS
would also count the pages of the mapped tally file, which grow with the sequence numbers),
open fds and threads of every long-lived peer.

Pass: no duplicated, reordered, merged, partial or corrupted message anywhere, no loss on D,
and every long-lived peer flat after the warm-up (the first max(10 s, 20 %) of the run). The
samples after the warm-up are cut into an early and a late half; flat means
  RSS      median(late) <= median(early) + max(4 MiB, 10 % of median(early)); medians, because
           queues that fill and drain (up to SNDHWM messages, 64 MiB of idle large-message
           pool) move RSS up and down without leaking;
  fds      max(late) <= max(early) + 2 (a reconnect in progress holds one more socket);
  threads  max(late) <= max(early).
The least-squares RSS slope after the warm-up is reported (KiB/min) for the long run, where it
shows a slow leak the halves could hide.
"""
import json
import os
import statistics

from fault_cases import RINGMQ, Side
from fault_procs import Tally
from fault_scenarios import FAULTS_ALL, FAULTS_BYTES

KILL_EVERY_S = 10


def slope_kib_per_min(samples):
    """Least-squares slope of (t, rss) samples, in KiB per minute."""
    if len(samples) < 2:
        return 0.0
    ts = [t for t, _ in samples]
    rs = [r for _, r in samples]
    mt, mr = statistics.fmean(ts), statistics.fmean(rs)
    den = sum((t - mt) ** 2 for t in ts)
    return 0.0 if den == 0 else sum((t - mt) * (r - mr) for t, r in samples) / den * 60


def run_soak(run):
    seconds = run.seconds
    common = ["--linger", "2000"]
    S = lambda kind, role: Side(RINGMQ, kind, role)  # noqa: E731

    def via_proxy(name, target, faults):
        _, listen = run.proxy("tcp://127.0.0.1:0", target, faults, name=name)
        return listen

    a_pull, ep = run.peer("a_pull", S("pull", "bind"), bind="tcp://127.0.0.1:*", args=common)
    a_push, _ = run.peer("a_push", S("push", "connect"), connect=via_proxy("a_proxy", ep, FAULTS_ALL),
                         args=common + ["--send", "--rate", "20000"])
    b_router, ep = run.peer("b_router", S("router", "bind"), bind="tcp://127.0.0.1:*",
                            args=common + ["--echo"])
    b_dealer, _ = run.peer("b_dealer", S("dealer", "connect"), connect=via_proxy("b_proxy", ep, FAULTS_ALL),
                           args=common + ["--send", "--window", "100", "--reply-timeout", "300"])
    c_push, c_ep = run.peer("c_push", S("push", "bind"), bind="tcp://127.0.0.1:*",
                            args=common + ["--send", "--rate", "20000"])
    c_pull_args = common
    c_pull, _ = run.peer("c_pull", S("pull", "connect"), connect=c_ep, args=c_pull_args)
    d_bind, ep = run.peer("d_bind", S("pair", "bind"), bind="tcp://127.0.0.1:*",
                          args=common + ["--send", "--producer", "1", "--rate", "5000"])
    d_conn, _ = run.peer("d_connect", S("pair", "connect"), connect=via_proxy("d_proxy", ep, FAULTS_BYTES),
                         args=common + ["--send", "--rate", "5000"])

    sampled = [a_pull, a_push, b_router, b_dealer, c_push, d_bind, d_conn]
    samples = {p.name: [] for p in sampled}
    warmup = max(10.0, seconds * 0.2)
    kills = 0
    t = 0.0
    while t < seconds:
        run.hold(1.0, watch=sampled)
        t += 1.0
        for p in sampled:
            samples[p.name].append((t, p.rss_kib("RssAnon"), p.fd_count(), p.thread_count()))
        if int(t) % KILL_EVERY_S == 0 and t < seconds - 2:
            c_pull.kill()
            run.procs.remove(c_pull)
            c_pull, _ = run.peer("c_pull", S("pull", "connect"), connect=c_ep, args=c_pull_args)
            kills += 1

    for name in ("a_proxy", "b_proxy", "d_proxy"):
        run.named(name).send("calm")
    run.finish([a_push, c_push], [a_pull, b_router, b_dealer, c_pull, d_bind, d_conn])

    # Memory, descriptors and threads: flat after the warm-up.
    table = []
    for name, rows in samples.items():
        after = [r for r in rows if r[0] > warmup and r[1] is not None]
        if len(after) < 4:
            run.failures.append(f"{name}: too few samples after the warm-up ({len(after)})")
            continue
        half = len(after) // 2
        early, late = after[:half], after[half:]
        rss_e, rss_l = statistics.median(r[1] for r in early), statistics.median(r[1] for r in late)
        fds_e, fds_l = max(r[2] for r in early), max(r[2] for r in late)
        thr_e, thr_l = max(r[3] for r in early), max(r[3] for r in late)
        slope = slope_kib_per_min([(r[0], r[1]) for r in after])
        table.append({"process": name, "rss_early_kib": rss_e, "rss_late_kib": rss_l,
                      "rss_max_kib": max(r[1] for r in rows if r[1] is not None),
                      "slope_kib_per_min": round(slope, 1), "fds_early": fds_e, "fds_late": fds_l,
                      "threads_early": thr_e, "threads_late": thr_l})
        run.notes.append(f"{name:<10} RSS median {rss_e:>7.0f} -> {rss_l:>7.0f} KiB (slope {slope:+.1f} KiB/min), "
                         f"fds {fds_e} -> {fds_l}, threads {thr_e} -> {thr_l}")
        if rss_l > rss_e + max(4096, rss_e * 0.10):
            run.failures.append(f"{name}: RSS grew from a median of {rss_e:.0f} KiB to {rss_l:.0f} KiB")
        if fds_l > fds_e + 2:
            run.failures.append(f"{name}: open fds grew from {fds_e} to {fds_l}")
        if thr_l > thr_e:
            run.failures.append(f"{name}: threads grew from {thr_e} to {thr_l}")
    run.figures["soak"] = table
    # Every sample, for a closer look (kept with --keep, or copied by RINGMQ_FAULT_SOAK_SAMPLES).
    dump = os.environ.get("RINGMQ_FAULT_SOAK_SAMPLES") or os.path.join(run.dir, "soak_samples.json")
    with open(dump, "w") as f:
        json.dump({"columns": ["t_s", "rss_anon_kib", "fds", "threads"], "samples": samples}, f)
    run.figures["kills"] = kills

    t = {n: Tally(run.tally_path(n)) for n in ("a_pull", "a_push", "b_router", "b_dealer", "c_push",
                                               "c_pull", "d_bind", "d_connect")}
    snap = {n: x.snapshot()["producers"] for n, x in t.items()}
    flows = [("A push->pull", snap["a_push"][0]["reserved"], snap["a_pull"][0]["unique"]),
             ("B requests", snap["b_dealer"][0]["reserved"], snap["b_router"][0]["unique"]),
             ("B replies", snap["b_router"][0]["echoed"], snap["b_dealer"][0]["unique"]),
             ("C push->killed pull", snap["c_push"][0]["reserved"], snap["c_pull"][0]["unique"]),
             ("D connect->bind", snap["d_connect"][0]["reserved"], snap["d_bind"][0]["unique"]),
             ("D bind->connect", snap["d_bind"][1]["reserved"], snap["d_connect"][1]["unique"])]
    for label, sent, received in flows:
        if label.startswith("D") and sent != received:
            run.failures.append(f"{label}: {sent - received} lost without a disconnect")
        if received == 0:
            run.failures.append(f"{label}: nothing arrived")
    run.notes.append(f"{kills} kills of flow C's PULL; warm-up {warmup:.0f} s of {seconds:.0f} s")
    return run.verdict(flows, t, loss_allowed=True)
