"""perf_report: compare.py's results: the experiments and table rows, medians and ratios,
and the markdown table, CSV, JSON and PNG chart made from them. Standard library only, plus
python3-matplotlib (Debian) for the chart."""

import csv
import datetime
import json
import os
import platform
import re
import statistics

LIBS = ("ringmq", "libzmq", "raw")
# libzmq's tools (zmq_*) run unchanged on ringmq's C ABI (capi/, LD_LIBRARY_PATH): what a libzmq
# user gains by swapping the library. A column of its own where measured.
ABI = "abi"
ALL_LIBS = LIBS + (ABI,)


class Experiment:
    """One workload measured for several libraries; `run(lib)` returns a dict of metrics."""

    def __init__(self, section, transport, size, run, libs=LIBS, label=""):
        self.section, self.transport, self.size, self.run, self.libs = section, transport, size, run, libs
        self.label = label
        self.samples = {lib: [] for lib in libs}   # lists of metric dicts
        self.failures = {lib: [] for lib in libs}  # reasons


class Row:
    """One line of the table: a metric of an experiment."""

    def __init__(self, exp, metric, unit, better, label=None, note=None):
        self.exp, self.metric, self.unit, self.better = exp, metric, unit, better
        self.label = label or exp.label or exp.section
        self.note = note  # callable(row) -> str, extra context

    def values(self, lib):
        return [s[self.metric] for s in self.exp.samples.get(lib, []) if s.get(self.metric) is not None]

    def median(self, lib):
        v = self.values(lib)
        return statistics.median(v) if v else None

    def reason(self, lib):
        if lib not in self.exp.libs:
            return "—"
        f = self.exp.failures.get(lib) or []
        return f[-1] if f else "no result"


def _median_of(row, lib, key):
    """The median of an extra metric (not the row's own) over a library's runs."""
    m = row.exp.samples.get(lib) or []
    vals = [s.get(key) for s in m if s.get(key) is not None]
    return statistics.median(vals) if vals else None


def _noise_note(row):
    """Names the libraries whose runs of this cell disagree by more than 2× (max / min)."""
    noisy = []
    for lib in row.exp.libs:
        v = [x for x in row.values(lib) if x and x > 0]
        if len(v) > 1 and max(v) / min(v) > 2:
            noisy.append(f"{lib} {max(v) / min(v):.1f}×")
    return "noisy, runs span: " + ", ".join(noisy) if noisy else ""


def _per_library(row, key, libs, fmt):
    """'lib value' for each library with a median of `key`, formatted by fmt(value)."""
    parts = []
    for lib in libs:
        v = _median_of(row, lib, key)
        if v is not None:
            parts.append(f"{lib} {fmt(v)}")
    return ", ".join(parts)


def _labelled(label, text):
    return f"{label}: {text}" if text else ""


def p99_note(row):
    return _labelled("p99 µs", _per_library(row, "p99_us", ("ringmq", "libzmq", "raw"), lambda v: f"{v:.1f}"))


def mbps_note(row):
    if row.exp.size < 1024:
        return ""
    return _labelled("Gb/s", _per_library(row, "mb_s", ("ringmq", "libzmq", "raw"), lambda v: f"{v / 1000:.2f}"))


def spin_note(row, spin, bp):
    v = [s["latency_us"] for s in spin.samples["raw"]]
    raw_spin = f"raw spinning {bp} µs: {statistics.median(v):.2f} µs" if v else \
        f"raw spinning: n/a ({(spin.failures['raw'] or ['no result'])[-1]})"
    return "libzmq has no busy-poll (default shown); raw = blocking; " + raw_spin


def deliveries_note(row):
    return _labelled("deliveries/s", _per_library(row, "deliveries_s", ("ringmq", "libzmq"), human))


def delivery_note(row):
    return _labelled("mean send→one SUB µs", _per_library(row, "delivery_us", ("ringmq", "libzmq"), lambda v: f"{v:.0f}"))


def connect_note(row):
    parts = []
    for lib in ("ringmq", "libzmq"):
        v = _median_of(row, lib, "connect_s")
        r = _median_of(row, lib, "rss_after_kib")
        if v is not None:
            parts.append(f"{lib} {v:.2f} s" + (f" ({r / 1024:.0f} MiB)" if r else ""))
    return "all connected in: " + ", ".join(parts) if parts else ""


def duration(seconds):
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def human(v):
    if v >= 1e6:
        return f"{v / 1e6:.2f} M"
    if v >= 1e3:
        return f"{v / 1e3:.1f} k"
    return f"{v:.0f}"


def fmt_value(v, unit):
    if v is None:
        return None
    if unit == "µs":
        return f"{v:.2f} µs" if v < 100 else f"{v:.0f} µs"
    if unit == "msg/s":
        return human(v) + " msg/s"
    if unit == "B":
        return f"{v / 1024:.1f} KiB"
    return f"{v:.3g} {unit}"


def ratio_between(row, lib, other):
    a, b = row.median(lib), row.median(other)
    if a is None or b is None or b == 0:
        return None
    return a / b


def ratio(row, other):
    return ratio_between(row, "ringmq", other)


def fmt_abi_ratio(row):
    if ABI not in row.exp.libs:
        return "—"
    r = ratio_between(row, ABI, "libzmq")
    return "n/a" if r is None else f"{r:.2f}×"


def fmt_ratio(row, other):
    if other not in row.exp.libs:
        return "—"
    r = ratio(row, other)
    if r is None:
        return "n/a"
    text = f"{r:.2f}×"
    # Flag where ringmq is clearly behind libzmq (more than 10 %); raw is a reference only.
    if other == "libzmq" and ((row.better == "lower" and r > 1.10) or (row.better == "higher" and r < 0.90)):
        text = f"**{text}** ⚠"
    return text


# ------------------------------------------------------------------------------------ reporting

def machine_info():
    info = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "host": platform.node(), "kernel": platform.release(), "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            info["cpu"] = m.group(1).strip() if m else "?"
    except OSError:
        info["cpu"] = "?"
    try:
        with open("/proc/meminfo") as f:
            info["mem_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    info["load_start"] = os.getloadavg()[0]
    info["RINGMQ_IO_BACKEND"] = os.environ.get("RINGMQ_IO_BACKEND", "")
    return info


def render_markdown(h, rows, info, args, elapsed, notes):
    lines = []
    backend = h.seen_backend.get("ringmq", "?")
    forced = f" (forced by RINGMQ_IO_BACKEND={info['RINGMQ_IO_BACKEND']})" if info["RINGMQ_IO_BACKEND"] else ""
    lines.append(f"### ringmq {h.versions.get('ringmq', '?')} vs libzmq {h.versions.get('libzmq', '?')} vs raw "
                 f"— ringmq I/O backend: {backend}{forced}")
    lines.append("")
    lines.append(f"{info['date']}, {info['cpu']} ×{info['cpus']}, {info.get('mem_gib', '?')} GiB, "
                 f"Linux {info['kernel']}; load average {info['load_start']:.2f} at start, "
                 f"{info.get('load_end', 0):.2f} at end; run took {duration(elapsed)}.")
    lines.append(f"Medians of {args.reps} runs per cell, libraries alternating run by run (the order rotates), "
                 "1 I/O thread per context, nothing pinned: this machine is shared and noisy, so read ratios, "
                 "not absolute numbers. Latency is one-way (half a round trip, as libzmq's remote_lat); "
                 "throughput counts from the first message received (as libzmq's local_thr). "
                 "Ratio ringmq/libzmq: for latency and memory >1 means ringmq is worse, for throughput <1 "
                 "means ringmq is worse; ⚠ marks ringmq more than 10 % behind libzmq.")
    abi = any(ABI in r.exp.libs for r in rows)
    if abi:
        lines.append("Column \"libzmq API on ringmq\": libzmq's own tools (zmq_local_lat, ...) run unchanged "
                     "with LD_LIBRARY_PATH at ringmq's libzmq.so.5 (capi/), the speed a libzmq or pyzmq user "
                     "gets by swapping the library; ABI/libzmq is its ratio to the same tools on libzmq.")
    lines.append("")
    libs = ALL_LIBS if abi else LIBS
    head = "| test | transport | size | ringmq | libzmq | raw |" + (" libzmq API on ringmq |" if abi else "")
    head += " ringmq/libzmq | ringmq/raw |" + (" ABI/libzmq |" if abi else "") + " notes |"
    lines.append(head)
    lines.append("|---|---|---:|" + "---:|" * (len(libs) + 2 + (1 if abi else 0)) + "---|")
    for r in rows:
        cells = []
        for lib in libs:
            if lib not in r.exp.libs:
                cells.append("—")
                continue
            v = fmt_value(r.median(lib), r.unit)
            cells.append(v if v is not None else f"n/a ({r.reason(lib)})")
        ratios = [fmt_ratio(r, "libzmq"), fmt_ratio(r, "raw")] + ([fmt_abi_ratio(r)] if abi else [])
        note = "; ".join(x for x in (r.note(r) if r.note else "", _noise_note(r)) if x)
        lines.append(f"| {r.label} | {r.exp.transport} | {r.exp.size} B | " + " | ".join(cells + ratios) +
                     f" | {note} |")
    raw_names = ("raw: tcp/ipc latency = blocking ping-pong between two processes (TCP_NODELAY / unix socket); "
                 "inproc latency = futex ping-pong between two threads; tcp/ipc throughput = one write() per "
                 "record, reader reads 256 KiB at a time; inproc throughput = SPSC byte ring between two threads "
                 "(spins 10 µs before sleeping on a futex).")
    lines.append("")
    lines.append(raw_names)
    for n in notes:
        lines.append("")
        lines.append(n)
    return "\n".join(lines) + "\n"


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["test", "transport", "size", "metric", "unit", "better", "library", "median", "samples",
                    "failures", "ratio_vs_libzmq", "ratio_vs_raw"])
        for r in rows:
            for lib in r.exp.libs:
                med = r.median(lib)
                rl, rr = (ratio(r, "libzmq"), ratio(r, "raw")) if lib == "ringmq" else (None, None)
                if lib == ABI:
                    rl = ratio_between(r, ABI, "libzmq")
                w.writerow([r.label, r.exp.transport, r.exp.size, r.metric, r.unit, r.better, lib,
                            "" if med is None else f"{med:.6g}",
                            ";".join(f"{v:.6g}" for v in r.values(lib)),
                            ";".join(r.exp.failures.get(lib) or []),
                            "" if rl is None else f"{rl:.4f}", "" if rr is None else f"{rr:.4f}"])


def write_json(path, h, rows, info, args, pairing, goals):
    out = {"machine": info, "reps": args.reps, "mode": "self-test" if args.self_test else
           ("quick" if args.quick else "full"), "ringmq_io_backend": h.seen_backend.get("ringmq"),
           "versions": h.versions, "rows": [], "pairing": pairing, "goals": goals}
    for r in rows:
        out["rows"].append({
            "test": r.label, "transport": r.exp.transport, "size": r.exp.size, "metric": r.metric, "unit": r.unit,
            "better": r.better,
            "libraries": {lib: {"median": r.median(lib), "samples": r.values(lib),
                                "failures": r.exp.failures.get(lib) or []} for lib in r.exp.libs},
            "ratio_vs_libzmq": ratio(r, "libzmq"), "ratio_vs_raw": ratio(r, "raw"),
            "ratio_abi_vs_libzmq": ratio_between(r, ABI, "libzmq")})
    with open(path, "w") as f:
        json.dump(out, f, indent=1)


def draw_chart(path, rows, title):
    """Top: latency and throughput against message size, one panel per transport, one line per
    library (log-log, so equal gaps are equal ratios). Bottom: every row's ringmq-vs-libzmq
    factor, oriented so that right of 1 is ringmq ahead and left is ringmq behind."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "chart skipped: python3-matplotlib is not installed"
    panels = [("latency", "latency_us", "one-way latency, µs (lower is better)"),
              ("throughput", "msg_s", "throughput, msg/s (higher is better)")]
    transports = ("tcp", "ipc", "inproc")
    styles = {"ringmq": ("#d62728", "o", "-"), "libzmq": ("#1f77b4", "s", "-"), "raw": ("#7f7f7f", "^", "--"),
              ABI: ("#9467bd", "D", ":")}
    factors = []
    for r in rows:
        q = ratio(r, "libzmq")
        if q:
            factors.append((f"{r.label}, {r.exp.transport} {r.exp.size} B", q if r.better == "higher" else 1 / q))
    fig = plt.figure(figsize=(15, 9 + 0.22 * len(factors)))
    grid = fig.add_gridspec(3, 3, height_ratios=[1, 1, max(0.9, 0.09 * len(factors))])
    drawn = False
    for i, (section, metric, ylabel) in enumerate(panels):
        for j, t in enumerate(transports):
            ax = fig.add_subplot(grid[i, j])
            sel = [r for r in rows if r.exp.section == section and r.exp.transport == t and r.metric == metric]
            ax.set_title(f"{section} — {t}", fontsize=10)
            if not sel:
                ax.text(0.5, 0.5, "not measured", ha="center", va="center", transform=ax.transAxes, color="#999")
                ax.set_xticks([])
                ax.set_yticks([])
                continue
            for lib in ALL_LIBS:
                pts = [(r.exp.size, r.median(lib)) for r in sel if r.median(lib) is not None]
                if pts:
                    color, marker, line = styles[lib]
                    ax.plot([p[0] for p in pts], [p[1] for p in pts], marker=marker, linestyle=line, color=color,
                            label="libzmq API on ringmq" if lib == ABI else lib)
                    drawn = True
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            sizes = sorted({r.exp.size for r in sel})
            ax.set_xticks(sizes)
            ax.set_xticklabels([f"{n} B" if n < 1024 else f"{n // 1024} KiB" for n in sizes], fontsize=8)
            if len(sizes) == 1:
                ax.set_xlim(sizes[0] / 2, sizes[0] * 2)
            ax.set_ylabel(ylabel, fontsize=8)
            ax.grid(alpha=0.3, which="both")
            ax.legend(fontsize=8)
    if factors:
        ax = fig.add_subplot(grid[2, :])
        names = [f[0] for f in factors][::-1]
        vals = [f[1] for f in factors][::-1]
        colors = ["#2ca02c" if v >= 1 else ("#ff7f0e" if v >= 0.9 else "#d62728") for v in vals]
        # Bars grow from 1 towards the factor, so "behind" points left and "ahead" right.
        ax.barh(range(len(vals)), [v - 1 for v in vals], left=1, color=colors)
        lo, hi = min(vals + [1.0]), max(vals + [1.0])
        ax.set_xlim(lo / 1.3, hi * 1.3)
        ax.set_yticks(range(len(vals)))
        ax.set_yticklabels(names, fontsize=7)
        ax.set_xscale("log")
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_xlabel("ringmq vs libzmq: factor by which ringmq is ahead (>1) or behind (<1)", fontsize=8)
        ax.grid(axis="x", alpha=0.3, which="both")
        drawn = True
    if not drawn:
        plt.close(fig)
        return "chart skipped: no results"
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return None
