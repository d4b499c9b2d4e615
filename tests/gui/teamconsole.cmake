# QtTest suites of the team console and the after-action player what-if form (issue 18): filled in by their implementation
