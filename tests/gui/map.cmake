# QtTest suites of gui/src/map: cyberex_gui_test(gui-map-<what> map_<what>_test.cpp quick|slow)
cyberex_gui_test(gui-map-records map_records_test.cpp quick)
cyberex_gui_test(gui-map-layout map_layout_test.cpp quick)
