# test sources, one file per area
list(APPEND CYBEREX_TEST_SOURCES
  unit/model_test.cpp
)
