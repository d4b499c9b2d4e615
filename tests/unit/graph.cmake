# tests of area 'graph': GraphML import and Boost.Graph analysis
list(APPEND CYBEREX_TEST_SOURCES unit/graphml_test.cpp unit/analysis_test.cpp)
cyberex_suite(graphml quick)
cyberex_suite(analysis quick)
