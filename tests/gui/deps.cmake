# QtTest suites of issue deps: cyberex_gui_test(gui-<what> <what>_test.cpp quick|slow)
cyberex_gui_test(gui-deps deps_test.cpp quick)
