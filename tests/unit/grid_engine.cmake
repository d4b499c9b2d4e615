# issue 15: networked grids in the engine and the scenario format (tests/scenario/grid): the hand-derived cascade,
# breakers, setpoints, bus dependencies, case9 as a scenario grid (grid-engine); the fields and their located
# diagnostics, malformed case files included (grid-scenario)
list(APPEND CYBEREX_TEST_SOURCES unit/grid_engine_test.cpp)
cyberex_suite(grid-engine quick)
cyberex_suite(grid-scenario quick)
