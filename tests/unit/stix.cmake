# issue 16: suites of this area (see tests/CMakeLists.txt): STIX 2.1 export and import (docs/interchange.md)
list(APPEND CYBEREX_TEST_SOURCES unit/stix_test.cpp)
cyberex_suite(stix-ids quick)
cyberex_suite(stix-patterns quick)
cyberex_suite(stix-export quick)
cyberex_suite(stix-import quick)

# Every object of the exported Cyber Atlantic 2011 bundle against the OASIS STIX 2.1 schemas (resolved locally), and
# the checker itself on a bundle that must fail
set(CYBEREX_STIX_SCHEMAS ${PROJECT_SOURCE_DIR}/../shared/data/standards/stix-2.1-json-schemas/schemas)
add_test(NAME stix-schema COMMAND ${Python3_EXECUTABLE} tests/unit/stix_schema.py --schemas ${CYBEREX_STIX_SCHEMAS}
                                  --cyberex $<TARGET_FILE:cyberex>)
add_test(NAME stix-schema-rejects COMMAND ${Python3_EXECUTABLE} tests/unit/stix_schema.py --schemas
                                          ${CYBEREX_STIX_SCHEMAS} --bundle tests/unit/stix_invalid_bundle.json)
set_tests_properties(stix-schema stix-schema-rejects PROPERTIES LABELS quick WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
# the checker names the object and the property at fault (and exits with 1, which the regular expression replaces)
set_tests_properties(stix-schema-rejects PROPERTIES PASS_REGULAR_EXPRESSION
  "/objects/1 \\(indicator indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\\) /: 'pattern' is a required property")
