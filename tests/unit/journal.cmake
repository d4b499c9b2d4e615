# tests of area journal (docs/journal.md): the file format (torn lines, diagnostics) and play/replay/seek through the
# CLI (each run a child process; the Timeline folds in the test process)
list(APPEND CYBEREX_TEST_SOURCES unit/journal_format_test.cpp unit/journal_replay_test.cpp
                                  unit/journal_integrity_test.cpp unit/journal_responses_test.cpp
                                  unit/journal_conditional_test.cpp)
cyberex_suite(journal-format quick)
# the tamper-evident journal (format 3): MAC chain, commit file, modes, format 2
cyberex_suite(journal-integrity quick)
cyberex_suite(journal-replay slow)
# issue 13: one path for team responses (run --play, batch --play, play refuse alike) and the journal's fingerprint of
# every file of the scenario (readers refuse or warn, naming the file)
cyberex_suite(play-responses quick)
cyberex_suite(journal-fingerprint quick)
# issue 14: conditional responses (when + after) in run, batch, play and whatif; journaled as commands, verified
cyberex_suite(play-conditional quick)
