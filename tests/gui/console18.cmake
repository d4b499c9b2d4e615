# QtTest suites of issue console18: cyberex_gui_test(gui-<what> <what>_test.cpp quick|slow)
