#!/usr/bin/env bash
# Set up what is missing, build, and run the test suites (every label: quick and slow); then build the core and its
# tests again with AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/ and run the quick suites there
# (scripts/asan.sh; CYBEREX_SKIP_ASAN=1 skips that step). Exit status 0 only when both pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
status=0
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@" || status=$?
if [ "${CYBEREX_SKIP_ASAN:-0}" != 1 ]; then
  bash scripts/asan.sh || status=$?
fi
exit $status
