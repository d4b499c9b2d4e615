list(APPEND CYBEREX_TEST_SOURCES unit/model_test.cpp)
cyberex_suite(model quick)
