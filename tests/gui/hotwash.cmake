# QtTest suites of Access and print (issue 18): drill info, token slips, hot wash exports
cyberex_gui_test(gui-hot-wash hot_wash_test.cpp quick)
