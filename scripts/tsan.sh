#!/usr/bin/env bash
# The network suites (ctest -R net: the drill server's Asio, simulation and journal threads, over real connections)
# built with ThreadSanitizer in build-tsan/ (GCC, GUI and benchmarks off). Every process the tests start writes its
# reports to build-tsan/tsan/report.<pid>; the script prints one line per distinct report and exits 1 when there is
# any that tests/sanitizers/tsan.supp does not explain. See docs/robustness.md.
#
# usage: scripts/tsan.sh [CTEST ARGS...]     default: -R net
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f build-tsan/build.ninja ]; then
  cmake -S . -B build-tsan -G Ninja -DCYBEREX_TSAN=ON -DCYBEREX_BUILD_GUI=OFF -DCYBEREX_BUILD_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
fi
cmake --build build-tsan -j "$(nproc)" --target cyberex_tests

reports=build-tsan/tsan
rm -rf "$reports"
mkdir -p "$reports"
export TSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/tsan.supp:log_path=$PWD/$reports/report:second_deadlock_stack=1:history_size=4:halt_on_error=0:exitcode=0"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(-R net)
status=0
ctest --test-dir build-tsan --output-on-failure "${args[@]}" || status=$?

shopt -s nullglob
files=("$reports"/report.*)
if [ ${#files[@]} -gt 0 ]; then
  echo "tsan: ${#files[@]} process(es) reported; distinct reports:"
  grep -h "^SUMMARY: ThreadSanitizer" "${files[@]}" | sort | uniq -c | sort -rn
  echo "tsan: full reports in $reports/"
  status=1
else
  echo "tsan: no report"
fi
exit $status
