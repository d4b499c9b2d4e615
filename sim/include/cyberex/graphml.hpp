/* Import of GraphML backbones (Internet Topology Zoo) as routers and links. */
#pragma once

#include "cyberex/diagnostic.hpp"
#include "cyberex/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cyberex {

struct ImportedTopology {
  std::vector<Node> nodes; ///< kind router, id "<prefix>:<label>", site = spec.site, location when known
  std::vector<Link> links; ///< bandwidth from LinkSpeedRaw (bits/s → bytes/s) or the spec's default;
                           ///< latency from the great-circle distance when both ends have coordinates
};

/// Read `path` (already resolved against the including file) as GraphML. Problems are added to `diags`
/// (file:line:col of the GraphML file, code "graphml.*"); returns nothing when the file cannot be used.
std::optional<ImportedTopology> import_graphml(const std::string& path, const Topology& spec, Diagnostics& diags);

/// Same as import_graphml() for a document already in memory (`path` only names it in diagnostics).
std::optional<ImportedTopology> import_graphml_text(const std::string& path, std::string_view document,
                                                    const Topology& spec, Diagnostics& diags);

/// Propagation latency over a great-circle distance between two points (speed of light in fibre, 2e8 m/s).
double great_circle_latency(const GeoPoint& a, const GeoPoint& b);

} // namespace cyberex
