# QtTest suites of issue console18: cyberex_gui_test(gui-<what> <what>_test.cpp quick|slow)
cyberex_gui_test(gui-map-window map_window_test.cpp quick)
cyberex_gui_test(gui-msel-groups msel_groups_test.cpp quick)
