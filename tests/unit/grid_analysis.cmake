# tests of the grid analysis: N-1 report, protection cascade, controller ranking, cyberex analyze on a MATPOWER case,
# cyberex generate grid
list(APPEND CYBEREX_TEST_SOURCES unit/grid_analysis_test.cpp)
cyberex_suite(grid-n1 quick)
cyberex_suite(grid-ranking quick)
cyberex_suite(grid-generate quick)
