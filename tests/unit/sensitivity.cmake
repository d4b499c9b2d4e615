# tests of area sensitivity (cyberex sensitivity, issue 17): hand-derived effects on tests/scenario/sensitivity, the
# agreement with batch and whatif on Cyber Atlantic 2011, the tornado chart and the report's section, diagnostics
list(APPEND CYBEREX_TEST_SOURCES unit/sensitivity_test.cpp)
cyberex_suite(sensitivity quick)
