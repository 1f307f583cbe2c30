"""perf_goals: the performance goals ringmq is held to, checked against a harness run's medians.

Each goal is a ratio of ringmq's median to another library's median in the same run, in one
cell of the table (section, transport, size, metric). A goal whose cell this run did not
measure (--quick, --only) is reported as not measured, never as met."""

from perf_report import ratio


class Goal:
    def __init__(self, text, section, transport, size, metric, other, limit, at_most):
        self.text, self.section, self.transport, self.size = text, section, transport, size
        self.metric, self.other, self.limit, self.at_most = metric, other, limit, at_most

    def row(self, rows):
        for r in rows:
            e = r.exp
            if (e.section, e.transport, e.size, r.metric) == (self.section, self.transport, self.size, self.metric):
                return r
        return None

    def check(self, rows):
        """(ratio, met, why): ratio and met are None, and why says why, when not measured."""
        r = self.row(rows)
        if r is None:
            return None, None, "not measured in this run"
        q = ratio(r, self.other)
        if q is None:
            missing = "ringmq" if r.median("ringmq") is None else self.other
            return None, None, f"no result ({r.reason(missing)})"
        return q, q <= self.limit if self.at_most else q >= self.limit, ""


def _lat(t, other, limit, section="latency", size=1):
    what = "latency with ringmq busy-polling" if section == "busy-poll" else "latency"
    against = "raw blocking ping-pong" if other == "raw" else other
    return Goal(f"{t} {size} B {what} ≤ {limit}× {against}", section, t, size, "latency_us", other, limit, True)


def _thr(t, size, other, limit, note=""):
    against = "raw streaming loop" if other == "raw" else other
    shown = f"{size // 1024} KiB" if size >= 1024 else f"{size} B"
    return Goal(f"{t} {shown} throughput ≥ {limit}× {against}{note}", "throughput", t, size, "msg_s", other,
                limit, False)


# The busy-poll workload is measured at 64 B (the harness's busy-poll rows); the others at
# the sizes the goals name.
GOALS = [
    _lat("tcp", "libzmq", 0.4),
    _lat("ipc", "libzmq", 0.4),
    _lat("tcp", "raw", 1.0, section="busy-poll", size=64),
    _lat("ipc", "raw", 1.0, section="busy-poll", size=64),
    _lat("inproc", "libzmq", 0.4),
    _thr("tcp", 8, "libzmq", 2),
    _thr("tcp", 65536, "raw", 0.8),
    _thr("ipc", 65536, "raw", 0.8, note=" (the goal names tcp; ipc is held to it too)"),
    _thr("inproc", 8, "libzmq", 3),
    Goal("idle connections: RSS per connection ≤ 1× libzmq", "connections", "tcp", 64, "rss_per_conn_b", "libzmq",
         1.0, True),
]


def check_goals(rows):
    """Every goal against this run: dicts of goal, ratio, met and why_not_measured (as in
    results.json)."""
    return [dict(zip(("goal", "ratio", "met", "why_not_measured"), (g.text, *g.check(rows)))) for g in GOALS]


def render_goals(results, judge=True):
    """A markdown table of check_goals' results: each goal, the ratio this run measured, and
    whether it is met."""
    lines = ["Goals (ringmq's median over the other's, this run):", "",
             "| goal | measured | met |", "|---|---:|---|"]
    for g in results:
        q = g["ratio"]
        verdict = g["why_not_measured"] or ("not judged: self-test counts are tiny" if not judge else
                                            "yes" if g["met"] else "**no**")
        lines.append(f"| {g['goal']} | {'—' if q is None else f'{q:.2f}×'} | {verdict} |")
    return "\n".join(lines)
