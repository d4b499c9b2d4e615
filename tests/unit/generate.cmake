# tests of area 'generate'
list(APPEND CYBEREX_TEST_SOURCES unit/generate_test.cpp)
cyberex_suite(generate quick)
