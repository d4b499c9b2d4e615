# QtTest suites of the team console and the after-action player what-if form (issue 18): filled in by their implementation
cyberex_gui_test(gui-team-console team_console_test.cpp quick)
cyberex_gui_test(gui-aar-whatif aar_whatif_test.cpp quick)
