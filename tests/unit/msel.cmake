# issue 16: MSEL spreadsheets (docs/interchange.md, "MSEL spreadsheets")
list(APPEND CYBEREX_TEST_SOURCES unit/msel_test.cpp unit/msel_cli_test.cpp)
cyberex_suite(msel-roundtrip quick)
cyberex_suite(msel-openaev quick)
cyberex_suite(msel-errors quick)
cyberex_suite(msel-cli quick)
# another reader opens the exported workbook: openpyxl checks the header row and a few hand-checked rows
add_test(NAME msel-openpyxl COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/unit/msel_openpyxl.py
                                    $<TARGET_FILE:cyberex> ${PROJECT_SOURCE_DIR})
set_tests_properties(msel-openpyxl PROPERTIES LABELS quick)
