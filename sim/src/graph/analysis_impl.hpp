/* Parts of the analysis (internal to sim/src/graph). */
#pragma once

#include "cyberex/analysis.hpp"
#include "graph/network.hpp"

#include <string>
#include <vector>

namespace cyberex::graph_impl {

/// The attack graph of one campaign and its most likely path (definition in cyberex/analysis.hpp).
AttackPathResult attack_path(const Scenario& scenario, const Campaign& campaign);

/// Cascades through the dependency closure (definition in cyberex/analysis.hpp), prepared once per scenario; one
/// run at a time (it reuses a scratch buffer).
class CascadeModel {
public:
  CascadeModel(const Scenario& scenario, const NetworkGraph& network, const CutStructure& cuts);

  /// Entity numbering: nodes, then services, then grids. NO_INDEX when the subject is unknown.
  Index entity(const std::string& subject) const;
  std::size_t entity_count() const { return names_.size(); }
  const std::string& name(Index entity) const { return names_[static_cast<std::size_t>(entity)]; }

  CascadeImpact run(Index subject) const;

private:
  struct Dependency {
    Index dependent;
    double backup;
  };
  struct GridParts {
    std::vector<Index> units;       ///< generation units (node indices)
    std::vector<Index> substations; ///< by ascending shed_priority, then scenario order
  };

  /// Fills lost_ and returns the entities lost (in the order found); the caller resets them.
  std::vector<std::size_t> propagate(std::size_t subject) const;

  const Scenario& s_;
  const NetworkGraph& network_;
  const CutStructure& cuts_;
  std::vector<std::string> names_;                     ///< "node:ID", "service:ID", "grid:ID"
  std::vector<std::vector<Dependency>> dependents_of_; ///< entity → what depends on it
  std::vector<std::vector<Index>> services_on_;        ///< node → services it runs
  std::vector<GridParts> grids_;
  std::vector<std::vector<Index>> services_by_probe_; ///< probe node → services it probes (reachable at baseline)
  std::vector<std::size_t> probe_nodes_;              ///< nodes with services_by_probe_, ascending
  mutable std::vector<double> lost_; ///< scratch: loss time per entity, infinity between runs (not thread-safe)
};

} // namespace cyberex::graph_impl
