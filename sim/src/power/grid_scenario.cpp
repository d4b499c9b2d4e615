/* The grid section of a scenario: one report per networked grid (grid_networks(), from the scenario side). Kept
 * apart from contingency.cpp so that analysing a MATPOWER case alone needs nothing of the scenario side. */
#include "cyberex/grid_analysis.hpp"

namespace cyberex {

std::vector<GridSection> grid_sections(const Scenario& scenario)
{
  std::vector<GridSection> out;
  for (const GridNetwork& grid : grid_networks(scenario))
    out.push_back(grid_section(scenario, grid));
  return out;
}

} // namespace cyberex
