#!/usr/bin/python3
"""Turns the RESULT lines of fault-suite runs into the markdown tables of README.md.

usage: fault_suite.py --all > run.txt; fault_report.py run.txt [more runs...]
       (ctest -V output works too: a RESULT line may carry ctest's "NNN: " prefix)

One row per case, grouped by scenario (the case without its libraries and backend), so that
ringmq's rows stand beside libzmq's: messages sent and received, lost, the integrity counters
(duplicated, reordered, merged, partial, corrupted: all must be 0), the case's own figure
(cuts and throughput, kills, detection time, trials with loss) and the verdict. A case that
ran more than once is summed, its verdicts joined. The soak's memory, descriptors and
threads follow in a table of their own.
"""
import json
import re
import sys

INTEGRITY = ("duplicated", "reordered", "merged", "partial", "corrupted")
LIB_LABEL = re.compile(r"^(ringmq|libzmq)_(\w+?)_(bind|connect)$")


def split_name(case):
    """(scenario, pairing) of a case name: the scenario keeps family, transport, variant or
    victim and the sockets with their roles; the pairing is the libraries and backend."""
    parts = case.split(".")
    backend = parts[-1] if parts[-1] in ("io_uring", "epoll") else ""
    if backend:
        parts = parts[:-1]
    scenario, libs = [], []
    for p in parts:
        m = LIB_LABEL.match(p)
        if m:
            libs.append(m.group(1))
            scenario.append(f"{m.group(2)}_{m.group(3)}")
        else:
            scenario.append(p)
    pairing = " → ".join(libs) + (f" ({backend})" if backend else "")
    return ".".join(scenario), pairing


def figure(r):
    if "soak" in r:
        return f"{r.get('kills', 0)} kills of flow C's PULL"
    if "detection_ms" in r:
        d = "/".join(str(ms) for _, ms in r["detection_ms"])
        rec = "/".join(str(ms) for ms in r.get("recovery_ms", []))
        return f"DISCONNECTED after {d} ms; traffic again {rec} ms after the heal"
    if "trials" in r:
        return f"{r['trials_with_loss']} of {r['trials']} trials lost replies"
    if "kills" in r:
        return f"{r['kills']} kills, {r['lost_per_kill']:,.0f} lost per kill"
    if "packets_dropped" in r:
        return f"{r['packets_dropped']} packets dropped, {r['rate']:,.0f} msg/s"
    if "proxy" in r:
        p = r["proxy"]
        cuts = p["cuts_close"] + p["cuts_reset"]
        if cuts == 0:  # byte faults only
            return (f"{p['split_writes']:,} tiny writes, {p['coalesce_events']} coalesced, {p['stalls']} stalls, "
                    f"{r['rate']:,.0f} msg/s")
        return f"{cuts} cuts, {r['rate']:,.0f} msg/s"
    if "close_ms" in r:
        return f"close to context end {r['close_ms']:.1f} ms"
    return ""


def read_results(paths):
    rows = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                at = line.find("RESULT {")
                if at < 0:
                    continue
                r = json.loads(line[at + 7:])
                rows.setdefault(r["case"], []).append(r)
    return rows


def case_table(rows):
    print("| scenario | libraries | sent | received | lost | dup/reord/merged/partial/corrupt | figure | verdict |")
    print("|---|---|---:|---:|---:|---|---|---|")
    keyed = sorted(rows.items(), key=lambda kv: split_name(kv[0]))
    last = None
    for case, runs in keyed:
        scenario, pairing = split_name(case)
        sent = sum(s for r in runs for _, s, _ in r.get("flows", []))
        received = sum(x for r in runs for _, _, x in r.get("flows", []))
        lost = sum(r.get("lost", 0) for r in runs)
        integrity = "/".join(str(sum(r.get(k, 0) for r in runs)) for k in INTEGRITY)
        verdicts = "/".join(sorted({r["status"] for r in runs}))
        shown = scenario if scenario != last else ""
        last = scenario
        if all("trials" in r for r in runs):  # summed over the runs, like the counts
            fig = (f"{sum(r['trials_with_loss'] for r in runs)} of {sum(r['trials'] for r in runs)} "
                   f"trials lost replies")
        else:
            fig = figure(runs[-1]) + (f" (last of {len(runs)} runs)" if len(runs) > 1 else "")
        print(f"| {shown} | {pairing} | {sent:,} | {received:,} | {lost:,} | {integrity} | {fig} | {verdicts} |")


def soak_table(rows):
    soaks = [(case, r) for case, runs in rows.items() for r in runs if "soak" in r]
    if not soaks:
        return
    print()
    print("| soak | process | RssAnon median early → late (KiB) | max (KiB) | slope KiB/min | fds | threads |")
    print("|---|---|---|---:|---:|---|---|")
    for case, r in soaks:
        label = f"{r['seconds']:g} s, {split_name(case)[1]}"
        for p in r["soak"]:
            print(f"| {label} | {p['process']} | {p['rss_early_kib']:,.0f} → {p['rss_late_kib']:,.0f} | "
                  f"{p['rss_max_kib']:,.0f} | {p['slope_kib_per_min']:+.1f} | "
                  f"{p['fds_early']} → {p['fds_late']} | {p['threads_early']} → {p['threads_late']} |")
            label = ""


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    rows = read_results(paths)
    case_table(rows)
    soak_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
