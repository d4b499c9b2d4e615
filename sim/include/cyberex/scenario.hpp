/* Loading and validating scenarios. */
#pragma once

#include "cyberex/diagnostic.hpp"
#include "cyberex/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cyberex {

struct LoadOptions {
  std::string catalog_path;           ///< ATT&CK catalog; empty: the shipped one (see attack_catalog_path())
  std::size_t max_file_bytes = 64u << 20; ///< larger files are rejected with a diagnostic, never read whole
  int max_depth = 64;                 ///< deeper JSON nesting is rejected
};

struct LoadResult {
  std::optional<Scenario> scenario; ///< present when there is no error (warnings allowed)
  Diagnostics diagnostics;
  bool ok() const { return scenario.has_value(); }
};

/// Load FILE (and what it includes), check it completely, and return the model or every problem found.
LoadResult load_scenario(const std::string& path, const LoadOptions& options = {});

/// Nodes matched by a selector: "node:ID", "site:ID", "kind:KIND", "zone:SITE/ZONE", "team:ID", "tag:TAG",
/// "service:ID" (the node running it), "*" (all); words separated by spaces are combined with AND.
/// Sorted node indices. Unknown words give an empty result (the loader reports them).
std::vector<Index> select_nodes(const Scenario& scenario, const std::string& selector);

} // namespace cyberex
