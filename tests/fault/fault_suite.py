#!/usr/bin/python3
"""The fault-injection suite's driver: lists the cases or runs one (or all).

usage: fault_suite.py --bin-dir DIR --list [--tier quick|full]
       fault_suite.py --bin-dir DIR --case NAME [--keep]
       fault_suite.py --bin-dir DIR --all [--tier quick|full] [--match REGEX]

DIR holds fault_peer, fault_peer_zmq and chaos_proxy (build/tests/fault). ctest runs each
case of the tier it was configured with (RINGMQ_FAULT_TIER, quick by default) as
fault.<NAME>; --tier full (the default here) is every case. Environment:
  RINGMQ_FAULT_SECONDS       traffic time per case (default 2; the long run uses 60+)
  RINGMQ_FAULT_SOAK_SECONDS  the soak's duration (default 60; the documented long run 1800)
  RINGMQ_FAULT_SEED          the proxy's seed (default: derived from the case name)
Exit status: 0 pass (PASS, XFAIL), 1 fail (FAIL, XPASS), 77 skipped (ctest SKIP_RETURN_CODE).
"""
import argparse
import os
import re
import sys
import traceback
import zlib

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fault_cases import TIERS, all_cases, select_cases  # noqa: E402
from fault_procs import Hang  # noqa: E402
from fault_run import EXIT_FAIL, EXIT_SKIP, Run, Skip  # noqa: E402


def run_case(case, bin_dir, keep, sanitized=False):
    seconds = float(os.environ.get("RINGMQ_FAULT_SECONDS", "2"))
    if case.family == "soak":
        seconds = float(os.environ.get("RINGMQ_FAULT_SOAK_SECONDS", "60"))
    seed = int(os.environ.get("RINGMQ_FAULT_SEED", zlib.crc32(case.name.encode())))
    run = Run(case, bin_dir, seconds, seed, keep)
    run.sanitized = sanitized
    try:
        if case.family.startswith("netns."):
            import fault_netns
            return fault_netns.dispatch(run)
        if case.family == "soak":
            import fault_soak
            return fault_soak.run_soak(run)
        import fault_scenarios
        return fault_scenarios.dispatch(run)
    except Skip as e:
        print(f"SKIPPED: {e}")
        return EXIT_SKIP
    except Hang as e:
        return run.fail_now(f"hang or early exit: {e}")
    except Exception:  # a broken driver must fail the case, never pass it
        return run.fail_now("driver error:\n" + traceback.format_exc())
    finally:
        run.cleanup()
        if keep:
            print(f"files kept in {run.dir}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin-dir", default=os.path.join(os.getcwd(), "build", "tests", "fault"))
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--case")
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--match", default="")
    ap.add_argument("--keep", action="store_true", help="keep the run's directory (logs, tallies)")
    ap.add_argument("--tier", choices=TIERS, default="full",
                    help="quick: the cases CI runs; full: all of them (fault_cases.in_quick_tier)")
    ap.add_argument("--sanitized", action="store_true",
                    help="a sanitizer build: its subset of cases, and no RSS bounds (ASan's quarantine "
                         "keeps freed memory)")
    a = ap.parse_args()
    cases = select_cases(all_cases(), a.tier, a.sanitized)
    if a.list:
        for c in cases:
            print(c.name)
        return 0
    if a.case:
        chosen = [c for c in cases if c.name == a.case]
        if not chosen:
            print(f"no case {a.case}", file=sys.stderr)
            return 2
        return run_case(chosen[0], a.bin_dir, a.keep, a.sanitized)  # 77 when skipped: ctest says so
    if a.all:
        chosen = [c for c in cases if re.search(a.match, c.name)]
    else:
        ap.print_usage()
        return 2
    worst = 0
    for c in chosen:
        code = run_case(c, a.bin_dir, a.keep, a.sanitized)
        if code == EXIT_FAIL:
            worst = EXIT_FAIL
        sys.stdout.flush()
    return worst


if __name__ == "__main__":
    sys.exit(main())
