/* The grid section of a scenario: one report per networked grid (grid_networks(), from the scenario side). Kept
 * apart from contingency.cpp so that analysing a MATPOWER case alone needs nothing of the scenario side. */
#include "cyberex/grid_analysis.hpp"

namespace cyberex {

std::vector<GridReport> grid_reports(const Scenario& scenario)
{
  std::vector<GridReport> out;
  for (const GridNetwork& grid : grid_networks(scenario))
    out.push_back(grid_report(scenario, grid));
  return out;
}

} // namespace cyberex
