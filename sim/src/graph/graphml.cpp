/* GraphML import. The file is read with expat through a strict pull reader (graph/xml_reader.hpp: no DOCTYPE, no
 * entities beyond XML's five, nesting limited) so that every problem carries the GraphML file's line and column.
 *
 * Rules (also documented in docs/scenario-format.md by the loader's author):
 *  - nodes become routers with id "<prefix>:<label>" (prefix = topology prefix, or its id when empty); the label is
 *    the node's data for the key whose attr.name is "label" (or that key's <default>); a node without a label is an
 *    error (graphml.missing-label), since scenario nodes attach to imported ones by label, except for the Topology
 *    Zoo's unlabelled junctions marked with data "hyperedge" = 1, which are named "hyperedge-<graphml id>";
 *  - duplicated labels are renamed deterministically in document order: the second "Paris" becomes "Paris (2)", the
 *    third "Paris (3)", skipping names already taken; a note (graphml.duplicate-label) says so;
 *  - coordinates come from the "Latitude" and "Longitude" keys when both are present and valid numbers in range;
 *  - edges become links "<prefix>:<labelA>--<labelB>", a parallel edge gets "#2", "#3", ...; bandwidth from
 *    "LinkSpeedRaw" (bit/s, converted to bytes/s) else the topology's default; latency from the great-circle
 *    distance at 2e8 m/s when both ends have coordinates, else the topology's default; self-loops are skipped with a
 *    note (graphml.self-loop); edges may appear before the nodes they name;
 *  - hyperedges and nested graphs are not supported: skipped with a warning (graphml.unsupported);
 *  - files larger than 64 MiB are rejected (graphml.too-large) without being read. */
#include "cyberex/graphml.hpp"

#include "graph/xml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace cyberex {

namespace {

constexpr std::size_t MAX_GRAPHML_BYTES = 64u << 20;

struct KeyDecl {
  std::string name; ///< attr.name
  std::optional<std::string> default_value;
};

struct DataItem {
  std::string key;
  std::string value;
  std::size_t offset;
};

struct RawNode {
  std::string id;
  std::size_t offset;
  std::vector<DataItem> data;
};

struct RawEdge {
  std::string source;
  std::string target;
  std::size_t offset;
  std::vector<DataItem> data;
};

std::string trim(const std::string& s)
{
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_space(s[b]))
    ++b;
  while (e > b && is_space(s[e - 1]))
    --e;
  return s.substr(b, e - b);
}

std::optional<double> parse_number(const std::string& text)
{
  std::string s = trim(text);
  if (s.empty())
    return std::nullopt;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (*first == '+')
    ++first;
  double v = 0;
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last || !std::isfinite(v))
    return std::nullopt;
  return v;
}

std::string format_link_id(const std::string& prefix, const std::string& a, const std::string& b)
{
  return prefix + ":" + a + "--" + b;
}

class Importer {
public:
  Importer(const std::string& path, const Topology& spec, Diagnostics& diags, std::string_view doc)
      : path_(path), spec_(spec), diags_(diags), reader_(doc)
  {
  }

  std::optional<ImportedTopology> run()
  {
    if (!parse())
      return std::nullopt;
    return build();
  }

private:
  void report(Diagnostic::Severity sev, std::size_t offset, const std::string& code, const std::string& message)
  {
    xml::Position p = reader_.position(offset);
    Diagnostic d;
    d.severity = sev;
    d.file = path_;
    d.line = p.line;
    d.column = p.column;
    d.code = code;
    d.message = message;
    diags_.add(std::move(d));
    if (sev == Diagnostic::Severity::error)
      failed_ = true;
  }
  void error(std::size_t offset, const std::string& code, const std::string& message)
  {
    report(Diagnostic::Severity::error, offset, code, message);
  }

  // Reads the whole document; collects keys, nodes and edges of the first top-level graph.
  bool parse()
  {
    enum class Ctx { root, graphml, key, graph, node, edge, data, default_, skip };
    std::vector<Ctx> stack;
    std::string* text_target = nullptr;
    bool graph_seen = false;
    std::string current_key_id;
    xml::Event ev;
    for (;;) {
      if (!reader_.next(ev)) {
        error(reader_.error_offset(), "graphml.syntax", reader_.error());
        return false;
      }
      if (ev.kind == xml::Event::Kind::eof)
        break;
      if (ev.kind == xml::Event::Kind::text) {
        if (text_target != nullptr && !stack.empty() && (stack.back() == Ctx::data || stack.back() == Ctx::default_))
          *text_target += ev.text;
        continue;
      }
      if (ev.kind == xml::Event::Kind::end) {
        if (!stack.empty()) {
          if (stack.back() == Ctx::data || stack.back() == Ctx::default_)
            text_target = nullptr;
          stack.pop_back();
        }
        continue;
      }
      // start tag
      Ctx parent = stack.empty() ? Ctx::root : stack.back();
      Ctx ctx = Ctx::skip;
      const std::string& name = ev.name;
      switch (parent) {
      case Ctx::root:
        if (name != "graphml") {
          error(ev.offset, "graphml.not-graphml", "the root element is <" + name + ">, expected <graphml>");
          return false;
        }
        ctx = Ctx::graphml;
        root_offset_ = ev.offset;
        break;
      case Ctx::graphml:
        if (name == "key") {
          ctx = Ctx::key;
          const auto* id = ev.attribute("id");
          if (id == nullptr) {
            error(ev.offset, "graphml.missing-attribute", "<key> without an 'id' attribute");
            current_key_id.clear();
          } else if (keys_.count(id->value) != 0) {
            error(id->offset, "graphml.duplicate-key", "key '" + id->value + "' is declared twice");
            current_key_id.clear();
          } else {
            const auto* attr_name = ev.attribute("attr.name");
            keys_[id->value].name = attr_name != nullptr ? attr_name->value : std::string();
            current_key_id = id->value;
          }
        } else if (name == "graph") {
          if (graph_seen) {
            report(Diagnostic::Severity::warning, ev.offset, "graphml.unsupported",
                   "only the first <graph> of a file is imported; this one is ignored");
          } else {
            graph_seen = true;
            graph_offset_ = ev.offset;
            ctx = Ctx::graph;
            if (const auto* ed = ev.attribute("edgedefault");
                ed != nullptr && ed->value != "directed" && ed->value != "undirected")
              error(ed->offset, "graphml.bad-value",
                    "edgedefault is '" + ed->value + "', expected 'directed' or 'undirected'");
          }
        }
        break;
      case Ctx::key:
        if (name == "default" && !current_key_id.empty()) {
          ctx = Ctx::default_;
          auto& def = keys_[current_key_id].default_value;
          def.emplace();
          text_target = &*def;
        }
        break;
      case Ctx::graph:
        if (name == "node") {
          ctx = Ctx::node;
          const auto* id = ev.attribute("id");
          if (id == nullptr) {
            error(ev.offset, "graphml.missing-attribute", "<node> without an 'id' attribute");
            ctx = Ctx::skip;
          } else {
            nodes_.push_back(RawNode{id->value, ev.offset, {}});
            raw_ids_.insert(id->value);
          }
        } else if (name == "edge") {
          ctx = Ctx::edge;
          const auto* s = ev.attribute("source");
          const auto* t = ev.attribute("target");
          if (s == nullptr || t == nullptr) {
            error(ev.offset, "graphml.missing-attribute",
                  std::string("<edge> without a '") + (s == nullptr ? "source" : "target") + "' attribute");
            ctx = Ctx::skip;
          } else {
            edges_.push_back(RawEdge{s->value, t->value, ev.offset, {}});
          }
        } else if (name == "hyperedge") {
          report(Diagnostic::Severity::warning, ev.offset, "graphml.unsupported",
                 "hyperedges are not supported; this one is ignored");
        }
        break;
      case Ctx::node:
      case Ctx::edge:
        if (name == "data") {
          ctx = Ctx::data;
          const auto* key = ev.attribute("key");
          if (key == nullptr) {
            error(ev.offset, "graphml.missing-attribute", "<data> without a 'key' attribute");
            ctx = Ctx::skip;
          } else {
            auto& items = parent == Ctx::node ? nodes_.back().data : edges_.back().data;
            items.push_back(DataItem{key->value, {}, ev.offset});
            text_target = &items.back().value;
          }
        } else if (name == "graph") {
          report(Diagnostic::Severity::warning, ev.offset, "graphml.unsupported",
                 "nested graphs are not supported; this one is ignored");
        }
        break;
      case Ctx::data:
      case Ctx::default_:
        // Markup inside data (e.g. yEd's graphics): its text is not part of the value.
        text_target = nullptr;
        break;
      case Ctx::skip:
        break;
      }
      stack.push_back(ctx);
    }
    if (!graph_seen) {
      error(root_offset_, "graphml.no-graph", "no <graph> element in the file");
      return false;
    }
    return true;
  }

  // Value of the data whose key is named `attr_name`, or that key's default; nullptr when none.
  const DataItem* find_data(const std::vector<DataItem>& items, const std::string& attr_name, DataItem& tmp) const
  {
    for (const auto& d : items) {
      auto it = keys_.find(d.key);
      if (it != keys_.end() && it->second.name == attr_name)
        return &d;
    }
    for (const auto& [id, key] : keys_) {
      if (key.name == attr_name && key.default_value) {
        tmp = DataItem{id, *key.default_value, 0};
        return &tmp;
      }
    }
    return nullptr;
  }

  void check_keys(const std::vector<DataItem>& items)
  {
    for (const auto& d : items)
      if (keys_.count(d.key) == 0)
        error(d.offset, "graphml.unknown-key", "data refers to the undeclared key '" + d.key + "'");
  }

  std::optional<double> number_data(const std::vector<DataItem>& items, const std::string& attr_name, double lo,
                                    double hi, const std::string& what)
  {
    DataItem tmp;
    const DataItem* d = find_data(items, attr_name, tmp);
    if (d == nullptr)
      return std::nullopt;
    auto v = parse_number(d->value);
    if (!v || *v < lo || *v > hi) {
      report(Diagnostic::Severity::warning, d->offset, "graphml.bad-value",
             attr_name + " is '" + trim(d->value) + "', expected " + what + "; ignored");
      return std::nullopt;
    }
    return v;
  }

  std::optional<ImportedTopology> build()
  {
    const std::string prefix = spec_.prefix.empty() ? spec_.id : spec_.prefix;
    ImportedTopology out;
    std::map<std::string, Index> by_graphml_id;
    std::set<std::string> labels_taken;
    std::vector<std::string> labels;
    for (const auto& raw : nodes_)
      check_keys(raw.data);
    // First pass: labels as written, so that a renamed duplicate never takes a later node's own label.
    for (const auto& raw : nodes_) {
      DataItem tmp;
      const DataItem* d = find_data(raw.data, "label", tmp);
      labels.push_back(d != nullptr ? trim(d->value) : std::string());
      // The Topology Zoo draws a shared medium as an unlabelled node marked hyperedge=1: name it after its id.
      DataItem tmp_h;
      const DataItem* h = find_data(raw.data, "hyperedge", tmp_h);
      if (labels.back().empty() && h != nullptr && trim(h->value) == "1")
        labels.back() = "hyperedge-" + raw.id;
      if (!labels.back().empty())
        labels_taken.insert(labels.back());
    }
    std::set<std::string> used;
    std::map<std::string, int> next_suffix;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const RawNode& raw = nodes_[i];
      if (by_graphml_id.count(raw.id) != 0) {
        error(raw.offset, "graphml.duplicate-node", "node id '" + raw.id + "' is used twice");
        continue;
      }
      std::string label = labels[i];
      if (label.empty()) {
        error(raw.offset, "graphml.missing-label",
              "node '" + raw.id +
                  "' has no label (a data with key attr.name=\"label\"); imported nodes are named by "
                  "label");
        continue;
      }
      if (used.count(label) != 0) {
        std::string base = label;
        int& k = next_suffix[base]; // remembered, so that many copies of one label stay linear
        for (k = std::max(k, 2);; ++k) {
          label = base + " (" + std::to_string(k) + ")";
          if (used.count(label) == 0 && labels_taken.count(label) == 0)
            break;
        }
        report(Diagnostic::Severity::note, raw.offset, "graphml.duplicate-label",
               "label '" + base + "' is used by several nodes; node '" + raw.id + "' is imported as '" + label + "'");
      }
      used.insert(label);
      Node n;
      n.id = prefix + ":" + label;
      n.name = label;
      n.site = spec_.site;
      n.kind = NodeKind::router;
      n.imported_from = spec_.id;
      n.origin.file = path_;
      auto lat = number_data(raw.data, "Latitude", -90, 90, "a latitude in [-90, 90]");
      auto lon = number_data(raw.data, "Longitude", -180, 180, "a longitude in [-180, 180]");
      if (lat && lon)
        n.location = GeoPoint{*lat, *lon};
      by_graphml_id[raw.id] = static_cast<Index>(out.nodes.size());
      out.nodes.push_back(std::move(n));
    }
    if (nodes_.empty())
      error(graph_offset_, "graphml.no-nodes", "the graph has no nodes");

    std::map<std::string, int> link_count;
    for (const auto& raw : edges_) {
      check_keys(raw.data);
      auto s = by_graphml_id.find(raw.source);
      auto t = by_graphml_id.find(raw.target);
      bool ok = true;
      for (const std::string* end : {&raw.source, &raw.target}) {
        if (by_graphml_id.count(*end) != 0)
          continue;
        ok = false;
        if (raw_ids_.count(*end) == 0) // a node that exists but failed was reported already
          error(raw.offset, "graphml.unknown-node", "edge refers to the unknown node '" + *end + "'");
        if (raw.source == raw.target)
          break;
      }
      if (!ok)
        continue;
      if (raw.source == raw.target) {
        report(Diagnostic::Severity::note, raw.offset, "graphml.self-loop",
               "edge from node '" + raw.source + "' to itself is skipped");
        continue;
      }
      const Node& a = out.nodes[static_cast<std::size_t>(s->second)];
      const Node& b = out.nodes[static_cast<std::size_t>(t->second)];
      Link l;
      std::string base = format_link_id(prefix, a.name, b.name);
      int k = ++link_count[base];
      l.id = k == 1 ? base : base + "#" + std::to_string(k);
      l.a = a.id;
      l.b = b.id;
      l.a_index = s->second;
      l.b_index = t->second;
      l.imported_from = spec_.id;
      l.origin.file = path_;
      auto speed = number_data(raw.data, "LinkSpeedRaw", 1, 1e18, "a link speed in bit/s (a positive number)");
      l.bandwidth = speed ? *speed / 8 : spec_.default_bandwidth;
      l.latency = a.location && b.location ? great_circle_latency(*a.location, *b.location) : spec_.default_latency;
      out.links.push_back(std::move(l));
    }
    if (failed_)
      return std::nullopt;
    return out;
  }

  const std::string& path_;
  const Topology& spec_;
  Diagnostics& diags_;
  xml::Reader reader_;
  std::map<std::string, KeyDecl> keys_;
  std::vector<RawNode> nodes_;
  std::vector<RawEdge> edges_;
  std::set<std::string> raw_ids_; ///< every node id written in the file
  std::size_t root_offset_ = 0;
  std::size_t graph_offset_ = 0;
  bool failed_ = false;
};

} // namespace

double great_circle_latency(const GeoPoint& a, const GeoPoint& b)
{
  constexpr double earth_radius_m = 6371000.0;
  constexpr double fibre_speed_m_s = 2e8;
  constexpr double deg = 3.14159265358979323846 / 180.0;
  double dlat = (b.lat - a.lat) * deg;
  double dlon = (b.lon - a.lon) * deg;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(a.lat * deg) * std::cos(b.lat * deg) * std::sin(dlon / 2) * std::sin(dlon / 2);
  h = std::min(1.0, std::max(0.0, h));
  double distance = 2 * earth_radius_m * std::asin(std::sqrt(h));
  return distance / fibre_speed_m_s;
}

std::optional<ImportedTopology> import_graphml(const std::string& path, const Topology& spec, Diagnostics& diags)
{
  auto unreadable = [&](const std::string& code, const std::string& message) {
    Diagnostic d;
    d.file = path;
    d.code = code;
    d.message = message;
    diags.add(std::move(d));
    return std::nullopt;
  };
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    return unreadable("graphml.unreadable", "cannot read the GraphML file: not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return unreadable("graphml.unreadable", "cannot open the GraphML file");
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0)
    return unreadable("graphml.unreadable", "cannot read the GraphML file (not a regular file?)");
  if (static_cast<std::uint64_t>(size) > MAX_GRAPHML_BYTES)
    return unreadable("graphml.too-large", "the file is " + std::to_string(size) +
                                               " bytes; GraphML files are limited to " +
                                               std::to_string(MAX_GRAPHML_BYTES) + " bytes");
  in.seekg(0, std::ios::beg);
  std::string doc(static_cast<std::size_t>(size), '\0');
  if (size > 0 && !in.read(doc.data(), size))
    return unreadable("graphml.unreadable", "cannot read the GraphML file");
  return import_graphml_text(path, doc, spec, diags);
}

std::optional<ImportedTopology> import_graphml_text(const std::string& path, std::string_view document,
                                                    const Topology& spec, Diagnostics& diags)
{
  if (document.size() > MAX_GRAPHML_BYTES) {
    Diagnostic d;
    d.file = path;
    d.code = "graphml.too-large";
    d.message = "the file is " + std::to_string(document.size()) + " bytes; GraphML files are limited to " +
                std::to_string(MAX_GRAPHML_BYTES) + " bytes";
    diags.add(std::move(d));
    return std::nullopt;
  }
  return Importer(path, spec, diags, document).run();
}

} // namespace cyberex
