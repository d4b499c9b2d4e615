# tests of area 'engine': list sources in CYBEREX_TEST_SOURCES and declare suites with cyberex_suite(NAME quick|slow)
