#!/usr/bin/env bash
# Enforces the tooling STYLE.md writes down: every tracked C++ source of the project matches
# .clang-format, and clang-tidy with the curated .clang-tidy finds nothing in the project's own
# files (sources and headers; system and third-party headers are not ours to fix). Any finding
# fails the run. scripts/test.sh calls this before the Release suite.
#
# Usage: scripts/lint.sh [--format-only|--tidy-only] [--build DIR] [--tidy-dirs 'lib|capi']
#   --build DIR  take compile_commands.json from an existing build directory instead of
#                configuring build/lint (a clang configuration, so that the database holds
#                no GCC-only flags; perf and the Python bindings are on so they are checked).
#   --tidy-dirs  run clang-tidy only on translation units under these top-level folders
#                (the whole tree takes ~8 minutes of 2 cores; CI tidies the library's code).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)

usage() { sed -n 's/^# \{0,1\}//; 7,12p' "$0"; }

# The project's own code: tracked files only, so build directories and anything untracked stay
# out; the repository vendors no third-party sources.
own_dirs='lib|include|tests|perf|bindings|capi|tools|examples'

mode=all
build=
tidy_dirs=$own_dirs
while [ $# -gt 0 ]; do
  case $1 in
    --format-only) mode=format ;;
    --tidy-only) mode=tidy ;;
    --build) build=${2:?--build needs a directory}; shift ;;
    --tidy-dirs) tidy_dirs=${2:?--tidy-dirs needs folders}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

own_sources() {
  git ls-files -z -- "lib/*" "include/*" "tests/*" "perf/*" "bindings/*" "capi/*" "tools/*" "examples/*" |
    grep -zE '\.(c|cc|cpp|h|hpp)$'
}

format_check() {
  echo "== lint: clang-format --dry-run --Werror"
  local out
  # A file that needs formatting makes clang-format exit non-zero; collect every file first.
  # One process at a time so that diagnostics do not interleave (a few seconds in all).
  out=$(own_sources | xargs -0 -n 64 clang-format --dry-run --Werror 2>&1) || true
  local bad
  bad=$(grep -oE '^[^:]+:[0-9]+:[0-9]+: (warning|error): code should be clang-formatted' <<<"$out" | cut -d: -f1 | sort -u)
  if [ -n "$bad" ]; then
    echo "$bad" | sed 's/^/  needs clang-format: /'
    echo "lint: $(wc -l <<<"$bad") file(s) not formatted (clang-format -i <file> fixes them)"
    return 1
  fi
  if grep -q . <<<"$out"; then  # clang-format itself failed (bad .clang-format, unreadable file)
    echo "$out" | head -20
    return 1
  fi
  echo "lint: format clean"
}

tidy_check() {
  if [ -z "$build" ]; then
    build=build/lint
    echo "== lint: configure $build (clang, Debug, compile database only)"
    CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DRINGMQ_BUILD_PERF=ON -DRINGMQ_BUILD_PYTHON=ON >/dev/null
  fi
  [ -f "$build/compile_commands.json" ] || { echo "lint: no $build/compile_commands.json" >&2; return 1; }
  local root_re
  root_re=$(sed 's/[.[\*^$()+?{}|]/\\&/g' <<<"$root")
  local log
  log=$(mktemp)
  echo "== lint: clang-tidy over $build/compile_commands.json (-j $jobs)"
  local status=0
  # Only translation units under our directories (not the header tests generated into the
  # build directory); diagnostics from our headers, wherever they are included from.
  # -Wno-unknown-warning-option: a GCC build's database carries GCC-only -Wno-... flags.
  run-clang-tidy -p "$build" -j "$jobs" -quiet \
    -header-filter="^$root_re/($own_dirs)/" \
    -extra-arg=-Wno-unknown-warning-option \
    "^$root_re/($tidy_dirs)/" >"$log" 2>&1 || status=$?
  # A header's finding is printed once per translation unit that includes it: list each once.
  local findings
  findings=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^/[^ ]+:[0-9]+:[0-9]+: (warning|error): ' |
    sed "s|^$root/||; s/,-warnings-as-errors\]/]/" | sort -u || true)
  if [ -n "$findings" ]; then
    echo "$findings"
    echo "lint: $(wc -l <<<"$findings") clang-tidy finding(s)"
    rm -f "$log"
    return 1
  fi
  if [ "$status" -ne 0 ]; then  # failed without a finding: a crash or a broken database
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -vE '^(clang-tidy|[0-9]+ warnings? (and [0-9]+ errors? )?generated|Suppressed)' | head -40
    echo "lint: clang-tidy failed (status $status) without a finding; full log above"
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
  echo "lint: clang-tidy clean"
}

status=0
if [ "$mode" != tidy ]; then format_check || status=1; fi
if [ "$mode" != format ]; then tidy_check || status=1; fi
exit "$status"
