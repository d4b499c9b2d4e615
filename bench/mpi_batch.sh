#!/usr/bin/env bash
# cyberex batch on MPI (issue 17), in one run: the same batch of Cyber Atlantic 2011 with scripted responses on 1 and
# on 2 MPI ranks (one run at a time per rank), their wall times, the speed-up (target >= 1.8x on 2 cores) and what
# rank 0 spends coordinating per run; the two CSV files must be identical. bench/README.md, section 7, records it.
#
# usage: bench/mpi_batch.sh [BUILD_DIR] [RUNS]      (defaults: build 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-1000}
cyberex=$build/sim/cyberex
scenario=scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json
play=scenarios/cyber-atlantic-2011/responses.json
command -v mpirun >/dev/null || { echo "mpi_batch: mpirun is not installed (Debian: openmpi-bin)" >&2; exit 1; }
[ -x "$cyberex" ] || { echo "mpi_batch: no $cyberex (build the cyberex target)" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 # as root (containers, CI)
tmp=$(mktemp -d /tmp/cyberex-mpi-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "mpi_batch: $runs runs of $scenario with $play, $(nproc) cores"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A wall
for n in 1 2; do
  start=$(date +%s.%N)
  mpirun -n "$n" "$cyberex" batch "$scenario" --runs "$runs" --play "$play" --csv "$tmp/n$n.csv" \
    >"$tmp/n$n.out" 2>"$tmp/n$n.err" || { echo "mpi_batch: mpirun -n $n failed:" >&2; cat "$tmp/n$n.err" >&2; exit 1; }
  end=$(date +%s.%N)
  wall[$n]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  echo "mpirun -n $n: ${wall[$n]} s wall (mpirun included); $(grep -E 'runs on [0-9]+ ranks? in' "$tmp/n$n.err")"
  echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
# the machine's own ceiling, without MPI: the same batch with 1 and 2 local child processes at once
for j in 1 2; do
  start=$(date +%s.%N)
  "$cyberex" batch "$scenario" --runs "$runs" --play "$play" --jobs "$j" --quiet >/dev/null 2>&1
  end=$(date +%s.%N)
  wall[j$j]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  echo "cyberex batch --jobs $j (no MPI): ${wall[j$j]} s wall"
done
awk -v a="${wall[1]}" -v b="${wall[2]}" 'BEGIN { printf "speed-up with 2 ranks: %.2fx (target >= 1.8x)\n", a / b }'
awk -v a="${wall[j1]}" -v b="${wall[j2]}" 'BEGIN { printf "speed-up of --jobs 2 over --jobs 1 without MPI (this machine'"'"'s ceiling): %.2fx\n", a / b }'
awk -v a="${wall[j2]}" -v b="${wall[2]}" 'BEGIN { printf "2 MPI ranks against --jobs 2: %.2f (1 = no cost of MPI)\n", a / b }'
if cmp -s "$tmp/n1.csv" "$tmp/n2.csv" && cmp -s "$tmp/n1.out" "$tmp/n2.out"; then
  echo "the CSV and the statistics of the two batches are identical"
else
  echo "mpi_batch: the two batches differ" >&2
  exit 1
fi
