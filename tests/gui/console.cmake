# QtTest suites of gui/src/console: cyberex_gui_test(gui-console-<what> console_<what>_test.cpp quick|slow)
cyberex_gui_test(gui-console-models console_models_test.cpp quick)
cyberex_gui_test(gui-console-e2e console_e2e_test.cpp slow)
cyberex_gui_test(gui-console-client console_client_test.cpp quick)
