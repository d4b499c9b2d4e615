# tests of area 'exercise': the session driven through handle() (each test case runs its session in a child process)
list(APPEND CYBEREX_TEST_SOURCES unit/exercise_drill_test.cpp unit/exercise_auth_test.cpp unit/exercise_triggers_test.cpp)
cyberex_suite(exercise-drill quick)
cyberex_suite(exercise-auth quick)
# expectations that reward prevention: met by state, premises, skip_if (tests/scenario/expectations)
list(APPEND CYBEREX_TEST_SOURCES unit/expectations_test.cpp)
cyberex_suite(exercise-expectations quick)
# issue 14: triggers for every consequence (at their event's time and as a state check), not_before, their validation
cyberex_suite(exercise-triggers quick)
