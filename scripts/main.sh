#!/usr/bin/env bash
# The main job: installs missing Debian packages, builds everything in Release and runs the
# showcase of ringmq's patterns and transports.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)"
build/release/perf/ringmq_showcase
