# tests of area 'check' (cyberex check: pre-STARTEX checks from a batch of runs, issue 17)
list(APPEND CYBEREX_TEST_SOURCES unit/check_test.cpp)
cyberex_suite(check quick)
