# tests of area 'exercise': the session driven through handle() (each test case runs its session in a child process)
list(APPEND CYBEREX_TEST_SOURCES unit/exercise_drill_test.cpp unit/exercise_auth_test.cpp)
cyberex_suite(exercise-drill quick)
cyberex_suite(exercise-auth quick)
