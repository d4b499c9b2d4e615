#!/usr/bin/env bash
# cyberex batch on MPI (issue 17), in one run: the same batch of Cyber Atlantic 2011 with scripted responses on 1 and
# on 2 MPI ranks (one run at a time per rank), their wall times, the speed-up (target >= 1.8x on 2 cores) and what
# rank 0 spends coordinating per run; the two CSV files must be identical. bench/README.md, section 7, records it.
# The batches take turns in ROUNDS rounds (default 4), each on its own range of seeds, so that a change of load on
# the machine during the bench weighs on all of them alike.
#
# usage: [ROUNDS=R] bench/mpi_batch.sh [BUILD_DIR] [RUNS]      (defaults: build 1000)
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

rounds=${ROUNDS:-4} # the four batches take turns, so that a change in the machine's load falls on all of them
per=$(( (runs + rounds - 1) / rounds ))
echo "mpi_batch: $runs runs of $scenario with $play, $(nproc) cores, in $rounds rounds of $per runs per batch"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A wall=([1]=0 [2]=0 [j1]=0 [j2]=0)
seed=37 # the scenario's exercise.seed: rounds take the seeds 37, 38, ... in turn
now() { date +%s.%N; }
add() { wall[$1]=$(awk -v w="${wall[$1]}" -v a="$2" -v b="$3" 'BEGIN { printf "%.3f", w + b - a }'); }
for ((r = 1; r <= rounds; ++r)); do
  n_runs=$(( runs - (r - 1) * per < per ? runs - (r - 1) * per : per ))
  [ "$n_runs" -gt 0 ] || break
  base=$(( seed + (r - 1) * per ))
  for n in 1 2; do
    start=$(now)
    mpirun -n "$n" "$cyberex" batch "$scenario" --runs "$n_runs" --seed-base "$base" --play "$play" \
      --csv "$tmp/n$n.$r.csv" >"$tmp/n$n.$r.out" 2>"$tmp/n$n.$r.err" ||
      { echo "mpi_batch: mpirun -n $n failed:" >&2; cat "$tmp/n$n.$r.err" >&2; exit 1; }
    add "$n" "$start" "$(now)"
    echo "round $r, mpirun -n $n: $(grep -E 'runs on [0-9]+ ranks? in' "$tmp/n$n.$r.err")"
  done
  # the machine's own ceiling, without MPI: the same runs with 1 and 2 local child processes at once
  for j in 1 2; do
    start=$(now)
    "$cyberex" batch "$scenario" --runs "$n_runs" --seed-base "$base" --play "$play" --jobs "$j" --quiet \
      >/dev/null 2>&1
    add "j$j" "$start" "$(now)"
  done
  if ! cmp -s "$tmp/n1.$r.csv" "$tmp/n2.$r.csv" || ! cmp -s "$tmp/n1.$r.out" "$tmp/n2.$r.out"; then
    echo "mpi_batch: the two batches of round $r differ" >&2
    exit 1
  fi
  echo "  load average after round $r: $(cut -d' ' -f1-3 /proc/loadavg)"
done
printf 'mpirun -n 1: %.1f s wall (mpirun included)\nmpirun -n 2: %.1f s wall (mpirun included)\n' "${wall[1]}" "${wall[2]}"
printf 'cyberex batch --jobs 1 (no MPI): %.1f s wall\ncyberex batch --jobs 2 (no MPI): %.1f s wall\n' "${wall[j1]}" \
  "${wall[j2]}"
awk -v a="${wall[1]}" -v b="${wall[2]}" 'BEGIN { printf "speed-up with 2 ranks: %.2fx (target >= 1.8x)\n", a / b }'
awk -v a="${wall[j1]}" -v b="${wall[j2]}" 'BEGIN { printf "speed-up of --jobs 2 over --jobs 1 without MPI (this machine'"'"'s ceiling): %.2fx\n", a / b }'
awk -v a="${wall[j2]}" -v b="${wall[2]}" 'BEGIN { printf "2 MPI ranks against --jobs 2: %.2f (1 = no cost of MPI)\n", a / b }'
echo "the CSV and the statistics of the two MPI batches are identical in every round"
