#!/bin/sh
# Runs every benchmark and prints its figures.
#   bench/run_all.sh [BUILD_DIR]        (from the source root; BUILD_DIR defaults to build-bench)
# Build first, in Release:
#   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCYBEREX_BUILD_GUI=OFF -DCYBEREX_BUILD_BENCH=ON
#   cmake --build build-bench -j2 --target cyberex bench_worm_spread bench_scale bench_journal_mac bench_flood
set -eu
build=${1:-build-bench}
cyberex="$build/sim/cyberex"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

echo "== 1. worm spread: engine vs plain binary-heap loop, checked against Boost.Graph Dijkstra"
"$build/bench/bench_worm_spread" || status=1

echo
echo "== 2. national scale: generate 100,000 nodes over 1,000 sites, then load, build and simulate 24 h"
/usr/bin/time -f "generate: %e s wall, peak %M KB" \
  "$cyberex" generate --nodes 100000 --sites 1000 --seed 1 --duration 24h -o "$tmp/national.json" || status=1
if [ -x "$build/bench/bench_scale" ]; then
  "$build/bench/bench_scale" "$tmp/national.json" --progress || status=1
else
  echo "bench_scale not built (it needs the scenario loader and the engine)"
fi

echo
echo "== 3. Cyber Atlantic 2011: 8 simulated hours with scripted responses (target: under 1 s wall)"
ca=scenarios/cyber-atlantic-2011
if [ -f "$ca/cyber-atlantic-2011.json" ] && [ -f "$ca/responses.json" ]; then
  for i in 1 2 3; do
    /usr/bin/time -f "run $i: %e s wall, peak %M KB" "$cyberex" run "$ca/cyber-atlantic-2011.json" \
      --play "$ca/responses.json" --until 8h > "$tmp/ca.out" || status=1
  done
  tail -n 20 "$tmp/ca.out"
else
  echo "$ca/cyber-atlantic-2011.json or responses.json missing: skipped"
fi

echo
echo "== 4. cyberex batch: 1,000 runs of Cyber Atlantic 2011 on 2 cores (target: under 60 s wall)"
echo "   baseline in the same session: 100 runs with --exact-probes (every probe as SimGrid transfers)"
if [ -f "$ca/cyber-atlantic-2011.json" ] && [ -f "$ca/responses.json" ]; then
  batch() { # label, runs, extra options
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$cyberex" batch "$ca/cyber-atlantic-2011.json" --runs "$2" --jobs 2 \
    --play "$ca/responses.json" --quiet --csv "$tmp/$1.csv" $3 > /dev/null || status=1
  read -r wall user sys < "$tmp/time"
  echo "$1 $2 $wall $user $sys" >> "$tmp/batch"
  awk -v l="$1" -v n="$2" -v w="$wall" -v u="$user" -v s="$sys" \
    'BEGIN { printf "%-14s %5d runs: %7.1f s wall, %7.1f s CPU, %.4f s CPU per run\n", l, n, w, u + s, (u + s) / n }'
  }
  batch closed-form 1000 ""
  batch exact-probes 100 --exact-probes
  awk '{ cpu[$1] = ($4 + $5) / $2 } END { printf "CPU per run, exact-probes / closed-form: %.1fx\n", cpu["exact-probes"] / cpu["closed-form"] }' \
    "$tmp/batch"
else
  echo "$ca/cyber-atlantic-2011.json or responses.json missing: skipped"
fi

echo
echo "== 6. floods: aggregated against per-flow (Cyber Europe 2012, 20,000 bots), with against without botnets"
if [ -x "$build/bench/bench_flood" ]; then
  "$build/bench/bench_flood" || status=1
else
  echo "bench_flood not built"
fi

echo
echo "== journal integrity: 100,000 lines with a MAC each (format 3) against none (format 2)"
if [ -x "$build/bench/bench_journal_mac" ]; then
  "$build/bench/bench_journal_mac" || status=1
else
  echo "bench_journal_mac not built"
fi

echo
echo "== DC power flow: one solve and N-1 screening of case300 and of a 4,000-bus synthetic grid"
if [ -x "$build/bench/bench_powerflow" ]; then
  "$build/bench/bench_powerflow" || status=1
else
  echo "bench_powerflow not built"
fi
exit $status
