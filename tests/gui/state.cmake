# QtTest suites of gui/src/state: cyberex_gui_test(gui-state-<what> state_<what>_test.cpp quick|slow)
cyberex_gui_test(gui-state-model state_model_test.cpp quick)
