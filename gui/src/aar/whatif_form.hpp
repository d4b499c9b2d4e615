/* The after-action player's what-if form: team, action, target, indicator from the catalog (issue 18). Not written yet.
 */
#pragma once
