# tests of the fuzz targets (tests/fuzz, docs/robustness.md): their regression inputs and seeds replayed through the
# very functions the fuzzers call, by any compiler (no libFuzzer needed)
include(${CMAKE_CURRENT_LIST_DIR}/sources.cmake)
list(APPEND CYBEREX_TEST_SOURCES fuzz/regressions_test.cpp ${CYBEREX_FUZZ_TARGET_SOURCES})
cyberex_suite(fuzz-regressions quick)
