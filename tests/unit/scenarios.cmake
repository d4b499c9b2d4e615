# tests of area 'scenarios': list sources in CYBEREX_TEST_SOURCES and declare suites with cyberex_suite(NAME quick|slow)

# "schema": every JSON file under scenarios/ validates against scenarios/schema/ (python3-jsonschema), the schema
# accepts and rejects the documents embedded in the script as expected, `cyberex validate` agrees with it on each
# of them, and the schema's enums match sim/src/common/model_strings.cpp.
if(Python3_Interpreter_FOUND)
  add_test(NAME schema COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/scenario/check_schema.py
                               --root ${PROJECT_SOURCE_DIR} --cyberex $<TARGET_FILE:cyberex>)
  set_tests_properties(schema PROPERTIES LABELS quick WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
else()
  message(WARNING "Python 3 not found: the 'schema' test is not registered")
endif()
