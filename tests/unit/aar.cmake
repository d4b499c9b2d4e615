# tests of area 'aar' (after-action review): cyberex batch, driven through the CLI binary
list(APPEND CYBEREX_TEST_SOURCES unit/aar_batch_test.cpp)
cyberex_suite(aar-batch quick)
