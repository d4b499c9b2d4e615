#!/usr/bin/env bash
# Install what cyberex needs on Debian 12 (as root), then configure and build it in ./build.
# Safe to run again: it installs only what is missing and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build ccache pkg-config libsimgrid-dev libboost-dev libboost-graph-dev
          nlohmann-json3-dev doctest-dev qt6-base-dev qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev
          libssl-dev openssl python3 python3-jsonschema qt6-websockets-dev libeigen3-dev
          libxlsxwriter-dev libzip-dev libexpat1-dev python3-openpyxl libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

build_type=${CYBEREX_BUILD_TYPE:-RelWithDebInfo}
if [ ! -f build/build.ninja ]; then
  # The schema test needs python3-jsonschema, installed above for Debian's own interpreter: use that one even when
  # another python3 (pyenv, a venv) comes first in PATH.
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DPython3_EXECUTABLE=/usr/bin/python3 \
    ${CYBEREX_CMAKE_ARGS:-}
fi
cmake --build build -j "$(nproc)"
