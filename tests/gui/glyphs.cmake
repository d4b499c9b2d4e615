# QtTest suites of issue glyphs: cyberex_gui_test(gui-<what> <what>_test.cpp quick|slow)
