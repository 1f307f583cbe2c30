#!/usr/bin/env bash
# The main job: installs missing Debian packages, builds everything in Release, runs the
# showcase of ringmq's patterns and transports, then compares ringmq with libzmq and the raw
# kernel on this machine (perf/compare.py --quick: medians of 3 alternating runs per cell,
# about two minutes) and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)"
build/release/perf/ringmq_showcase
echo
echo "== performance: ringmq vs libzmq vs raw (perf/compare.py --quick)"
/usr/bin/python3 perf/compare.py --bin build/release/perf --quick --out build/release/perf-results/quick
echo
echo "== Python: ringmq bindings vs pyzmq (bindings/python/perf.py --quick)"
PYTHONPATH=build/release/bindings/python/python /usr/bin/python3 bindings/python/perf.py --quick --sizes 1,1024
