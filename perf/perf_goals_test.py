"""perf_goals: verdicts from medians (met, missed, not measured, no result), on made-up rows."""

import sys

sys.dont_write_bytecode = True
from perf_goals import GOALS, Goal, check_goals, render_goals  # noqa: E402
from perf_report import Experiment, Row  # noqa: E402


def cell(section, transport, size, metric, better, medians):
    e = Experiment(section, transport, size, run=None)
    for lib, values in medians.items():
        e.samples[lib] = [{metric: v} for v in values]
    return Row(e, metric, "", better)


def test_at_most_goal_is_met_at_its_limit_and_missed_above():
    goal = Goal("tcp 1 B latency", "latency", "tcp", 1, "latency_us", "libzmq", 0.4, True)
    at_limit = cell("latency", "tcp", 1, "latency_us", "lower", {"ringmq": [4, 40, 4], "libzmq": [10, 10, 9]})
    assert goal.check([at_limit]) == (0.4, True, "")
    above = cell("latency", "tcp", 1, "latency_us", "lower", {"ringmq": [5], "libzmq": [10]})
    assert goal.check([above]) == (0.5, False, "")


def test_at_least_goal_uses_medians_not_means():
    goal = Goal("ipc 64 KiB throughput", "throughput", "ipc", 65536, "msg_s", "raw", 0.8, False)
    # One slow run pulls the mean below the limit; the median is what counts.
    row = cell("throughput", "ipc", 65536, "msg_s", "higher", {"ringmq": [90, 30, 85], "raw": [100, 100, 100]})
    assert goal.check([row]) == (0.85, True, "")
    row = cell("throughput", "ipc", 65536, "msg_s", "higher", {"ringmq": [70, 30, 90], "raw": [100]})
    assert goal.check([row]) == (0.7, False, "")


def test_a_cell_not_run_or_without_a_result_is_never_met():
    goal = Goal("tcp 8 B throughput", "throughput", "tcp", 8, "msg_s", "libzmq", 2, False)
    other_size = cell("throughput", "tcp", 64, "msg_s", "higher", {"ringmq": [9], "libzmq": [1]})
    assert goal.check([other_size]) == (None, None, "not measured in this run")
    failed = cell("throughput", "tcp", 8, "msg_s", "higher", {"ringmq": [9]})
    failed.exp.failures["libzmq"].append("timed out after 120 s")
    assert goal.check([failed]) == (None, None, "no result (timed out after 120 s)")


def test_table_lists_every_goal():
    table = render_goals(check_goals([]))
    assert all(f"| {g.text} | — | not measured in this run |" in table for g in GOALS)


def test_self_test_ratios_are_not_judged():
    row = cell("throughput", "tcp", 8, "msg_s", "higher", {"ringmq": [9], "libzmq": [1]})
    assert "| tcp 8 B throughput ≥ 2× libzmq | 9.00× | not judged: self-test counts are tiny |" in \
        render_goals(check_goals([row]), judge=False)
