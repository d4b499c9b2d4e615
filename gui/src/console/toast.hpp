/* Feedback for every command: a short-lived message naming what happened (issue 18). Not written yet. */
#pragma once
