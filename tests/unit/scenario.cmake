# tests of area 'scenario': units, the loader and its diagnostics
list(APPEND CYBEREX_TEST_SOURCES unit/units_test.cpp unit/scenario_test.cpp unit/diagnostics_test.cpp)
cyberex_suite(units quick)
cyberex_suite(scenario quick)
cyberex_suite(diagnostics quick)
