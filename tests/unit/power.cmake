# tests of area 'power' (DC power flow, MATPOWER import, N-1 screening, cyberex powerflow)
list(APPEND CYBEREX_TEST_SOURCES unit/power_test.cpp)
cyberex_suite(power-matpower quick)
cyberex_suite(power-n1 quick)
