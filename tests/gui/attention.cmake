# QtTest suites of the Attention dock, the team matrix and the layout of the controller console (issue 18): filled in by their implementation
cyberex_gui_test(gui-attention attention_test.cpp quick)
