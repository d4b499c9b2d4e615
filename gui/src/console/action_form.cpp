/* The team console's action form: only the fields the chosen action takes (issue 18). Not written yet. */
#include "console/action_form.hpp"
