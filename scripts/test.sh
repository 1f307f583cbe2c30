#!/usr/bin/env bash
# Runs every test: installs missing Debian packages, builds in Release and runs the whole
# suite, then builds with ASan+UBSan and runs it again. CI (.ci/run) calls this script.
# Usage: scripts/test.sh [--quick]   (--quick: Release build only)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)

scripts/deps.sh

run_suite() {
  local dir=$1; shift
  echo "== configure $dir ($*)"
  cmake -S "$root" -B "$dir" -G Ninja "$@" >/dev/null
  echo "== build $dir"
  cmake --build "$dir" -j "$jobs"
  echo "== test $dir"
  (cd "$dir" && ctest -j "$jobs" --output-on-failure --no-tests=error)
}

run_suite build/release -DCMAKE_BUILD_TYPE=Release
if [ "${1:-}" != "--quick" ]; then
  run_suite build/asan -DCMAKE_BUILD_TYPE=Debug -DRINGMQ_SANITIZE=address -DRINGMQ_BUILD_PERF=OFF
fi
echo "== all tests passed"
