#!/usr/bin/env bash
# Set up what is missing, build, and run the test suites (every label: quick and slow).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
