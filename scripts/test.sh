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

fuzz() {
  # The ZMTP decoder and the CURVE server handshake under libFuzzer with ASan+UBSan, each for
  # a fixed time, from their seed corpora. New inputs go to scratch directories; the
  # checked-in corpora are only read.
  local dir=build/fuzz seconds=${RINGMQ_FUZZ_SECONDS:-60} curve_seconds=${RINGMQ_FUZZ_CURVE_SECONDS:-30}
  echo "== fuzz zmtp for ${seconds}s"
  CXX=clang++ cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRINGMQ_BUILD_FUZZ=ON \
    -DRINGMQ_BUILD_PERF=OFF -DRINGMQ_BUILD_PYTHON=OFF >/dev/null
  cmake --build "$dir" -j "$jobs" --target fuzz_zmtp fuzz_curve_server
  mkdir -p "$dir/corpus-zmtp" "$dir/corpus-curve"
  "$dir/tests/fuzz/fuzz_zmtp" -dict=tests/fuzz/zmtp.dict -max_len=65536 -rss_limit_mb=1024 -timeout=5 \
    -max_total_time="$seconds" -print_final_stats=1 "$dir/corpus-zmtp" tests/fuzz/corpus/zmtp 2>&1 | tail -12
  echo "== fuzz curve server for ${curve_seconds}s"
  "$dir/tests/fuzz/fuzz_curve_server" -max_len=4096 -rss_limit_mb=1024 -timeout=5 \
    -max_total_time="$curve_seconds" -print_final_stats=1 "$dir/corpus-curve" tests/fuzz/corpus/curve_server \
    2>&1 | tail -12
}

run_suite build/release -DCMAKE_BUILD_TYPE=Release
if [ "${1:-}" != "--quick" ]; then
  run_suite build/asan -DCMAKE_BUILD_TYPE=Debug -DRINGMQ_SANITIZE=address -DRINGMQ_BUILD_PERF=OFF
  fuzz
fi
echo "== all tests passed"
