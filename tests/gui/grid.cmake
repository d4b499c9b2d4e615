# QtTest suites of gui/src/grid: the one-line diagram of networked grids
cyberex_gui_test(gui-grid grid_view_test.cpp quick)
