#!/usr/bin/env bash
# The quick suites again, built with AddressSanitizer + UndefinedBehaviorSanitizer (GCC, -fno-sanitize-recover) in
# build-asan/ (GUI and benchmarks off); any sanitizer report fails its test and this script. scripts/test.sh runs it
# after the normal suites; docs/robustness.md records what it costs.
#
# usage: scripts/asan.sh [CTEST ARGS...]      e.g. scripts/asan.sh -R scenario
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
if [ ! -f build-asan/build.ninja ]; then
  # No NDEBUG: nlohmann/json's assertions (e.g. operator[] on a missing key of a const object) fire here too.
  cmake -S . -B build-asan -G Ninja -DCYBEREX_SANITIZE=ON -DCYBEREX_BUILD_GUI=OFF -DCYBEREX_BUILD_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DPython3_EXECUTABLE=/usr/bin/python3 ${CYBEREX_CMAKE_ARGS:-} >/dev/null
fi
# the quick suites need the test binary and the command it drives (cyberex_tests depends on cyberex)
cmake --build build-asan -j "$(nproc)" --target cyberex_tests
built=$(date +%s)

# Every report is fatal and makes the process exit non-zero, also in the `cyberex` children the tests start.
# detect_leaks: LeakSanitizer runs at every exit; lsan.supp lists the leaks that are by design, each with its reason.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=86:detect_leaks=1:detect_stack_use_after_return=0:strict_string_checks=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=87"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
status=0
ctest --test-dir build-asan -L quick --output-on-failure -j "$(nproc)" "$@" || status=$?
done_at=$(date +%s)
echo "asan: build $((built - start)) s, quick suites $((done_at - built)) s"
exit $status
