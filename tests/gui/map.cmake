# QtTest suites of gui/src/map: cyberex_gui_test(gui-map-<what> map_<what>_test.cpp quick|slow)
