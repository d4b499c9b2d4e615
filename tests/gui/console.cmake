# QtTest suites of gui/src/console: cyberex_gui_test(gui-console-<what> console_<what>_test.cpp quick|slow)
