/* The MSEL timeline: lanes per team and move, expectation windows, a now line (issue 18). Not written yet. */
#pragma once
