/* Team activity at a glance: teams x (unread, last action, ...) (issue 18). Not written yet. */
#include "console/team_matrix.hpp"
