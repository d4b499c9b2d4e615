# QtTest suites of issue plan: cyberex_gui_test(gui-<what> <what>_test.cpp quick|slow)
