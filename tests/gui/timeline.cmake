# QtTest suites of the timeline, the MSEL filters, command feedback and the event log (issue 18): filled in by their implementation
