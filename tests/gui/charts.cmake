# QtTest suites of gui/src/charts: cyberex_gui_test(gui-charts-<what> charts_<what>_test.cpp quick|slow)
cyberex_gui_test(gui-charts-series charts_series_test.cpp quick)
