#!/usr/bin/env bash
# Installs the Debian 12 packages ringmq needs to build, test and benchmark, skipping those
# already present. Runs apt-get through sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  liburing-dev libsodium-dev
  libgtest-dev libbenchmark-dev
  libzmq3-dev cppzmq-dev python3-zmq
  python3-dev python3-pybind11 pybind11-dev python3-pytest python3-pytest-asyncio python3-tornado
  python3-pip python3-setuptools python3-wheel python3-venv
  python3-matplotlib
  clang libclang-rt-14-dev clang-format clang-tidy
  doxygen
  iproute2 iptables
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "ringmq: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
