/* Loading and validating scenarios. */
#pragma once

#include "cyberex/diagnostic.hpp"
#include "cyberex/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cyberex {

struct LoadOptions {
  std::string catalog_path;               ///< ATT&CK catalog; empty: the shipped one (see attack_catalog_path())
  std::size_t max_file_bytes = 64u << 20; ///< larger files are rejected with a diagnostic, never read whole
  int max_depth = 64;                     ///< deeper JSON nesting is rejected
};

struct LoadResult {
  std::optional<Scenario> scenario; ///< present when there is no error (warnings allowed)
  Diagnostics diagnostics;
  bool ok() const { return scenario.has_value(); }
};

/// Load FILE (and what it includes), check it completely, and return the model or every problem found.
///
/// Files are read depth first: the main file's sections, then each file it includes (paths relative to the
/// including file), each followed by its own includes; arrays of the same section are appended in that order.
/// Nodes: those written in files (a node with "count": N becomes "<id>-1" .. "<id>-N"), then imported topology
/// routers ("<prefix>:<label>"). Links: those written in files, then imported ones, then one per node "uplink"
/// (id "<node>~<uplink>"). Actions: exactly one per ActionType, in enum order, defaults filled in.
/// Diagnostics are in the order found; positions are 1-based line and column (in code points).
LoadResult load_scenario(const std::string& path, const LoadOptions& options = {});

/// Same as load_scenario() for a main file whose bytes are already in memory (`text`); `path` names it in
/// diagnostics and locates its includes, which are read from disk.
LoadResult load_scenario_text(const std::string& path, std::string text, const LoadOptions& options = {});

/// FNV-1a 64 of `bytes` as "fnv1a64:" + 16 hex digits: how journals fingerprint the files of a scenario.
std::string content_hash(std::string_view bytes);
/// content_hash() of a file's bytes; nullopt if the file cannot be read.
std::optional<std::string> file_hash(const std::string& path);

/// Nodes matched by a selector: "node:ID", "site:ID", "kind:KIND", "zone:SITE/ZONE", "team:ID", "tag:TAG",
/// "service:ID" (the node running it), "*" (all); words separated by spaces are combined with AND.
/// Sorted node indices. Unknown words give an empty result (the loader reports them).
std::vector<Index> select_nodes(const Scenario& scenario, const std::string& selector);

} // namespace cyberex
