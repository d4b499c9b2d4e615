# tests of area state (sim/src/state, docs/architecture.md "The record path"): one fold of records, one set of KPIs
list(APPEND CYBEREX_TEST_SOURCES unit/state_records_test.cpp unit/state_fold_test.cpp unit/state_grid_test.cpp)
# one test per RecordType folded into ExerciseState (a type without one fails the suite)
cyberex_suite(state-records quick)
# run, play, report and replay --at agree (through the CLI); the fold of a journal equals the live session's
cyberex_suite(state-kpis slow)
cyberex_suite(state-fold slow)
# networked grids in the state view: the flows re-solved from the records equal the engine's (hand figures)
cyberex_suite(state-grid quick)
