# tests of area 'engine': list sources in CYBEREX_TEST_SOURCES and declare suites with cyberex_suite(NAME quick|slow)
list(APPEND CYBEREX_TEST_SOURCES
  unit/engine_network_test.cpp
  unit/engine_flood_test.cpp
  unit/engine_model_test.cpp
  unit/engine_scenario_test.cpp
)
cyberex_suite(engine-network quick)
cyberex_suite(engine-flood quick)
cyberex_suite(engine-campaign quick)
cyberex_suite(engine-power quick)
cyberex_suite(engine-cascade quick)
cyberex_suite(engine-calendar quick)
cyberex_suite(engine-scenarios slow)
cyberex_suite(engine-performance slow)
