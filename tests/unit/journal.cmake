# tests of area journal (docs/journal.md): list(APPEND CYBEREX_TEST_SOURCES unit/journal_x_test.cpp) and cyberex_suite(journal-x quick)
