/* The Attention dock: what needs the controller now (issue 18). Not written yet. */
#pragma once
