#!/bin/sh
# Runs every benchmark and prints its figures. Usage: bench/run_all.sh [BUILD_DIR]   (from the source root)
set -e
build=${1:-build-bench}
echo "== worm spread (engine vs plain binary-heap loop, Dijkstra answer key)"
"$build/bench/bench_worm_spread"
