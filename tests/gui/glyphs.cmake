# QtTest suites of issue glyphs: cyberex_gui_test(gui-<what> <what>_test.cpp quick|slow)
cyberex_gui_test(gui-glyphs glyphs_test.cpp quick)
