#!/usr/bin/python3
"""Smoke check for ctest: smoke.py REGEX COMMAND ARGS... runs COMMAND, echoes its output, and
passes only if it exits 0 *and* its output matches REGEX. (ctest's PASS_REGULAR_EXPRESSION
alone ignores the exit status, so a tool that printed its line and then crashed would pass.)"""
import re
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    pattern, command = sys.argv[1], sys.argv[2:]
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(run.stdout)
    if run.returncode != 0:
        print(f"smoke: {command[0]} exited with {run.returncode}")
        return 1
    if not re.search(pattern, run.stdout):
        print(f"smoke: output does not match {pattern!r}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
