# QtTest suites of gui/src/aar: cyberex_gui_test(gui-aar-<what> aar_<what>_test.cpp quick|slow)
cyberex_gui_test(gui-aar-player aar_player_test.cpp quick)
