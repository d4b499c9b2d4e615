#!/usr/bin/env bash
# Regenerate the golden outputs (tests/golden/*.tesh) from the current build, on purpose, and show what changed.
# Review every changed line before committing: a golden file regenerated without review is a defect.
#   bash scripts/golden.sh [FILE.tesh...]    (default: every tests/golden/*.tesh)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target cyberex -j "$(nproc)" >/dev/null
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(tests/golden/*.tesh)
python3 tests/golden/tesh.py --cyberex build/sim/cyberex --regen "${files[@]}"
if git diff --quiet -- "${files[@]}"; then
  echo "golden outputs unchanged"
else
  git --no-pager diff --stat -- "${files[@]}"
  git --no-pager diff -- "${files[@]}"
fi
