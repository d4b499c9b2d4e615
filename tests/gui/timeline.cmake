# QtTest suites of the timeline, the MSEL filters, command feedback and the event log (issue 18)
cyberex_gui_test(gui-timeline-feedback timeline_feedback_test.cpp quick)
cyberex_gui_test(gui-timeline timeline_test.cpp slow)
