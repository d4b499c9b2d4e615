/* Target "graphml": the GraphML importer (Internet Topology Zoo backbones) on a document's bytes. Beyond "no crash",
 * what the importer returns must be usable by the loader and the engine: unique node and link ids, links between
 * imported nodes, finite positive bandwidths and latencies. */
#include "support.hpp"
#include "targets.hpp"

#include "cyberex/graphml.hpp"

#include <cmath>
#include <set>
#include <string_view>

namespace cyberex::fuzz {

int graphml_run(const std::uint8_t* data, std::size_t size)
{
  Topology spec;
  spec.id = "zoo";
  spec.file = "fuzz-input.graphml";
  spec.site = "backbone";
  Diagnostics diags;
  const std::string_view doc(reinterpret_cast<const char*>(data), size);
  auto topo = import_graphml_text("fuzz-input.graphml", doc, spec, diags);
  for (const Diagnostic& d : diags.items())
    check(!d.code.empty() && !d.message.empty() && d.line >= 0 && d.column >= 0,
          "a diagnostic without code, message or position: " + d.format());
  check(!topo || !diags.has_errors(), "import_graphml returned a topology and an error");
  check(topo || diags.has_errors(), "import_graphml returned nothing and no error");
  if (!topo)
    return 0;
  std::set<std::string> node_ids, link_ids;
  for (const Node& n : topo->nodes) {
    check(node_ids.insert(n.id).second, "two imported nodes are called '" + n.id + "'");
    check(n.id.rfind("zoo:", 0) == 0, "imported node '" + n.id + "' without the topology's prefix");
    if (n.location)
      check(std::isfinite(n.location->lat) && std::isfinite(n.location->lon) && std::abs(n.location->lat) <= 90 &&
                std::abs(n.location->lon) <= 180,
            "node '" + n.id + "' has a location outside the globe");
  }
  for (const Link& l : topo->links) {
    check(link_ids.insert(l.id).second, "two imported links are called '" + l.id + "'");
    check(node_ids.count(l.a) && node_ids.count(l.b) && l.a != l.b, "link '" + l.id + "' does not join two nodes");
    check(l.a_index >= 0 && static_cast<std::size_t>(l.a_index) < topo->nodes.size() && l.b_index >= 0 &&
              static_cast<std::size_t>(l.b_index) < topo->nodes.size(),
          "link '" + l.id + "' has an end index outside the imported nodes");
    check(std::isfinite(l.bandwidth) && l.bandwidth > 0, "link '" + l.id + "' has a bandwidth that is not > 0");
    check(std::isfinite(l.latency) && l.latency >= 0, "link '" + l.id + "' has a latency that is not >= 0");
  }
  return 0;
}

} // namespace cyberex::fuzz
