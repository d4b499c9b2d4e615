# QtTest suites of issue geo: cyberex_gui_test(gui-<what> <what>_test.cpp quick|slow)
