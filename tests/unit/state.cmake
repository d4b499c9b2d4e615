# tests of area 'state': ExerciseState, the one fold of an exercise's records (sim/src/state), without an engine
list(APPEND CYBEREX_TEST_SOURCES unit/state_records_test.cpp)
cyberex_suite(state-records quick)
