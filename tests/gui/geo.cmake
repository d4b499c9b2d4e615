# QtTest suites of issue geo: cyberex_gui_test(gui-<what> <what>_test.cpp quick|slow)
cyberex_gui_test(gui-geo geo_test.cpp quick)
