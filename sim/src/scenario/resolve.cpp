/* Second pass of the loader: ids to indices, topologies and uplinks, and every check that needs the whole
 * scenario. Lookups go through maps by id and per-site/per-kind node lists, so the cost stays near linear in the
 * size of the scenario (the engine loads generated scenarios of 100,000 nodes). */
#include "cyberex/attack_catalog.hpp"
#include "cyberex/graphml.hpp"
#include "cyberex/grid_network.hpp"
#include "graph/reach.hpp"
#include "loader.hpp"
#include "selector.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <set>

namespace cyberex::scenario_impl {

/// Defaults for team actions the scenario does not list (seconds):
///   isolate 5m, reconnect 5m, block 10m, patch 30m, reset_credentials 20m, restore 10m then 2h offline,
///   manual_operations 15m keeping 50% of capacity, shutdown_service 2m, restore_service 5m,
///   share, report, communicate and public_statement immediate (0s), close_breaker 1h (a field crew's travel and
///   work), refuel 1h adding 8h of generator running time, filter_ddos 15m (the operator diverts the target's traffic
///   through its scrubbing centre) in mode scrubbing with 10 Gbit/s, stop_filtering 5m.
ActionSpec default_action(ActionType t)
{
  ActionSpec a;
  a.type = t;
  a.description = "default";
  switch (t) {
  case ActionType::isolate:
  case ActionType::reconnect:
  case ActionType::restore_service:
    a.duration = 300;
    break;
  case ActionType::block:
    a.duration = 600;
    break;
  case ActionType::patch:
    a.duration = 1800;
    break;
  case ActionType::reset_credentials:
    a.duration = 1200;
    break;
  case ActionType::restore:
    a.duration = 600;
    a.effect_duration = 7200;
    break;
  case ActionType::manual_operations:
    a.duration = 900;
    a.capacity = 0.5;
    break;
  case ActionType::shutdown_service:
    a.duration = 120;
    break;
  case ActionType::share:
  case ActionType::report:
  case ActionType::communicate:
  case ActionType::public_statement:
    a.duration = 0;
    break;
  case ActionType::close_breaker:
    a.duration = 3600;
    break;
  case ActionType::refuel:
    a.duration = 3600;
    a.extends = 28800;
    break;
  case ActionType::filter_ddos:
    a.duration = 900;
    a.mode = "scrubbing";
    a.scrubbing_capacity = 10e9 / 8;
    break;
  case ActionType::stop_filtering:
    a.duration = 300;
    break;
  }
  return a;
}

namespace {

namespace fs = std::filesystem;

/// Tactics that fit each step effect; a technique with none of them gets a warning. Enterprise and ICS shortnames.
const std::vector<std::string>& fitting_tactics(StepEffect e)
{
  static const std::map<StepEffect, std::vector<std::string>> table{
      {StepEffect::compromise,
       {"initial-access", "execution", "lateral-movement", "persistence", "privilege-escalation", "credential-access",
        "defense-evasion", "evasion"}},
      {StepEffect::escalate, {"privilege-escalation", "execution", "defense-evasion", "evasion", "credential-access"}},
      {StepEffect::credential, {"credential-access", "collection", "discovery"}},
      {StepEffect::discover, {"discovery", "reconnaissance", "collection"}},
      {StepEffect::persist, {"persistence", "privilege-escalation", "defense-evasion", "evasion"}},
      {StepEffect::exfiltrate, {"exfiltration", "command-and-control", "collection"}},
      {StepEffect::manipulate, {"impair-process-control", "inhibit-response-function", "impact", "execution"}},
      {StepEffect::trip, {"impair-process-control", "inhibit-response-function", "impact", "execution"}},
      {StepEffect::shutdown, {"impact", "inhibit-response-function", "impair-process-control"}},
      {StepEffect::encrypt, {"impact"}},
      {StepEffect::deface, {"impact"}},
      {StepEffect::publish, {"exfiltration", "impact", "collection"}},
      {StepEffect::destroy_backup, {"impact", "inhibit-response-function"}},
  };
  static const std::vector<std::string> any;
  auto it = table.find(e);
  return it == table.end() ? any : it->second;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ")
{
  std::string out;
  for (const auto& s : v) {
    if (!out.empty())
      out += sep;
    out += s;
  }
  return out;
}

/// 'a', 'b', 'c'
std::string quoted(const std::vector<std::string>& v)
{
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : ", ") + quote(s);
  return out;
}

/// Effects a step applies from its target itself, as the engine does (escalate, credential, persist, exfiltrate).
bool local_effect(StepEffect e)
{
  return e == StepEffect::escalate || e == StepEffect::credential || e == StepEffect::persist ||
         e == StepEffect::exfiltrate;
}

class Resolver {
public:
  Resolver(Context& ctx, Scenario& s, Extras& x) : ctx_(ctx), s_(s), x_(x) {}

  /// The reference checks of one trigger written outside the scenario (a --play file's "when"), against a scenario
  /// that is already resolved.
  void check_trigger(const Trigger& t, const Origin& o)
  {
    load_catalog();
    index(s_.campaigns, campaigns_, "campaign");
    index(s_.dependencies, dependencies_, "dependency");
    expectations_index();
    selector_ = std::make_unique<NodeSelector>(s_);
    trigger(t, o);
  }

  void run()
  {
    load_catalog();
    exercise();
    index(s_.organisations, orgs_, "organisation");
    index(s_.sites, s_.site_by_id, "site");
    index(s_.grids, s_.grid_by_id, "grid");
    index(s_.topologies, topologies_, "topology");
    topologies();
    index(s_.nodes, s_.node_by_id, "node");
    nodes();
    grids();
    index(s_.links, links_, "link");
    uplinks();
    links();
    index(s_.services, s_.service_by_id, "service");
    services();
    index(s_.dependencies, dependencies_, "dependency");
    dependencies();
    index(s_.indicators, s_.indicator_by_id, "indicator");
    index(s_.teams, s_.team_by_id, "team");
    index(s_.capabilities, capabilities_, "capability");
    index(s_.objectives, objectives_, "objective");
    index(s_.msel, s_.inject_by_id, "inject");
    index(s_.campaigns, campaigns_, "campaign");
    index(s_.botnets, botnets_, "botnet");
    index(s_.sensors, sensors_, "sensor");
    expectations_index();
    selector_ = std::make_unique<NodeSelector>(s_);
    teams();
    selector_ = std::make_unique<NodeSelector>(s_); // team: words need the resolved assets
    capabilities();
    campaigns();
    botnets();
    sensors();
    msel();
    objectives();
    actions();
    trigger_cycles();
    reachability();
  }

private:
  // --------------------------------------------------------------------------------------------------------------
  // helpers

  std::string where(const Origin& first, const Origin& here) const
  {
    if (first.file == here.file)
      return first.pointer;
    return first.pointer + " in " + first.file;
  }

  template <typename T>
  void index(std::vector<T>& items, std::map<std::string, Index>& map, const char* what)
  {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string& id = items[i].id;
      if (id.empty())
        continue;
      auto [it, inserted] = map.emplace(id, static_cast<Index>(i));
      if (!inserted)
        ctx_.error(items[i].origin, "/id", "scenario.duplicate-id",
                   std::string("duplicate ") + what + " id " + quote(id) + "; first defined at " +
                       where(items[static_cast<std::size_t>(it->second)].origin, items[i].origin));
    }
  }

  const std::vector<std::string>& names(const std::map<std::string, Index>& map)
  {
    auto& cached = names_[&map];
    if (cached.size() != map.size()) {
      cached.clear();
      cached.reserve(map.size());
      for (const auto& [k, v] : map)
        cached.push_back(k);
    }
    return cached;
  }

  /// The index of `id` in `map`, or NO_INDEX after reporting it at origin+suffix.
  Index ref(const std::map<std::string, Index>& map, const std::string& id, const Origin& o, const std::string& suffix,
            const char* what)
  {
    auto it = map.find(id);
    if (it != map.end())
      return it->second;
    if (ctx_.maybe_unread(id))
      return NO_INDEX; // defined, it seems, in a file that is not valid JSON: its syntax error says it all
    const bool node = std::string(what) == "node";
    ctx_.error(o, suffix, node ? "scenario.unknown-node" : "scenario.dangling-reference",
               node ? "no node " + quote(id) + node_suggestion(map, id, names(map))
                    : std::string("no ") + what + " " + quote(id) + suggestion(id, names(map)));
    return NO_INDEX;
  }

  /// Parses and resolves a selector; reports and returns nothing when it is invalid.
  std::optional<std::vector<Index>> select(const std::string& selector, const Origin& o, const std::string& suffix,
                                           bool allow_team = true)
  {
    SelectorError err;
    auto words = parse_selector(s_, selector, err, allow_team);
    if (!words) {
      if (!unread_word(selector))
        ctx_.error(o, suffix, err.code, err.message);
      return std::nullopt;
    }
    return selector_->select(*words);
  }

  /// Whether a selector names an id that a file which is not valid JSON seems to define (node:, site:, zone:,
  /// team:, service: words).
  bool unread_word(const std::string& selector) const
  {
    if (ctx_.unread_ids.empty())
      return false;
    std::size_t pos = 0;
    while (pos < selector.size()) {
      std::size_t end = selector.find(' ', pos);
      if (end == std::string::npos)
        end = selector.size();
      const std::string word = selector.substr(pos, end - pos);
      pos = end + 1;
      const std::size_t colon = word.find(':');
      if (colon == std::string::npos || word.compare(0, colon, "kind") == 0 || word.compare(0, colon, "tag") == 0)
        continue;
      std::string id = word.substr(colon + 1);
      if (word.compare(0, colon, "zone") == 0)
        id = id.substr(0, id.find('/'));
      if (ctx_.maybe_unread(id))
        return true;
    }
    return false;
  }

  void check_time(double t, const Origin& o, const std::string& suffix, const char* what)
  {
    if (t > s_.exercise.duration && x_.have_exercise && s_.exercise.duration > 0)
      ctx_.error(o, suffix, "scenario.time-outside-exercise",
                 std::string(what) + " " + format_duration(t) + " is after the end of the exercise (" +
                     format_duration(s_.exercise.duration) + ")");
  }

  Origin main_origin(const std::string& ptr) const
  {
    return Origin{ctx_.files.empty() ? std::string() : ctx_.files.front().doc.path, ptr};
  }

  // --------------------------------------------------------------------------------------------------------------
  // sections

  void load_catalog()
  {
    try {
      if (!ctx_.options.catalog_path.empty()) {
        own_catalog_ = AttackCatalog::load(ctx_.options.catalog_path);
        catalog_ = &*own_catalog_;
      } else {
        catalog_ = &AttackCatalog::shipped();
      }
    } catch (const std::exception& e) {
      Diagnostic d;
      d.file = ctx_.files.front().doc.path;
      d.code = "catalog.unreadable";
      d.message = e.what();
      ctx_.add_located(std::move(d));
      return;
    }
    for (const auto& [id, t] : catalog_->techniques())
      technique_ids_.push_back(id);
    std::set<std::string> tactics;
    for (const auto& t : catalog_->tactics())
      tactics.insert(t.shortname);
    tactic_names_.assign(tactics.begin(), tactics.end());
  }

  void exercise()
  {
    const Exercise& e = s_.exercise;
    std::map<std::string, Index> moves;
    for (std::size_t i = 0; i < e.moves.size(); ++i) {
      const Move& m = e.moves[i];
      const Origin o = main_origin("/exercise/moves/" + std::to_string(i));
      if (!m.id.empty() && !moves.emplace(m.id, static_cast<Index>(i)).second)
        ctx_.error(o, "/id", "scenario.duplicate-id", "duplicate move id " + quote(m.id));
      if (i > 0 && m.offset <= e.moves[i - 1].offset)
        ctx_.error(o, "/offset", "scenario.move-order",
                   "moves start in order: this move starts at " + format_duration(m.offset) +
                       ", not after the previous one (" + format_duration(e.moves[i - 1].offset) + ")");
      else if (e.duration > 0 && m.offset >= e.duration)
        ctx_.error(o, "/offset", "scenario.time-outside-exercise",
                   "move offset " + format_duration(m.offset) + " is not before the end of the exercise (" +
                       format_duration(e.duration) + ")");
    }
    moves_ = std::move(moves);
  }

  void topologies()
  {
    for (std::size_t i = 0; i < s_.topologies.size(); ++i) {
      Topology& t = s_.topologies[i];
      if (t.prefix.empty())
        t.prefix = t.id;
      if (t.site.empty())
        t.site = t.id;
      if (t.file.empty())
        continue;
      const int file = x_.topology_files[i];
      const std::string dir = ctx_.files[static_cast<std::size_t>(file)].dir;
      const std::string path = (fs::path(dir) / t.file).lexically_normal().string();
      std::error_code ec;
      if (!fs::is_regular_file(path, ec)) {
        ctx_.error(t.origin, "/file", "scenario.missing-file",
                   "no GraphML file " + quote(t.file) + " (looked for " + quote(path) + ")");
        continue;
      }
      Topology spec = t;
      spec.file = path;
      Diagnostics gd;
      auto imported = import_graphml(path, spec, gd);
      for (const Diagnostic& d : gd.items())
        ctx_.add_located(d);
      if (!imported)
        continue;
      // the file just imported, once even if two topologies import it: a journal fingerprints it with the others
      const bool listed =
          std::any_of(s_.sources.begin(), s_.sources.end(), [&](const ScenarioFile& f) { return f.path == path; });
      if (!listed)
        if (auto hash = file_hash(path))
          s_.sources.push_back({path, *hash});
      if (!s_.site_by_id.count(t.site)) {
        Site site;
        site.id = t.site;
        site.name = t.id;
        site.country = t.country;
        site.location = t.location;
        site.origin = t.origin;
        s_.site_by_id.emplace(site.id, static_cast<Index>(s_.sites.size()));
        s_.sites.push_back(std::move(site));
      }
      for (Node& n : imported->nodes) {
        n.site = t.site;
        if (n.imported_from.empty())
          n.imported_from = t.id;
        if (n.origin.file.empty())
          n.origin = t.origin;
        s_.nodes.push_back(std::move(n));
      }
      for (Link& l : imported->links) {
        if (l.imported_from.empty())
          l.imported_from = t.id;
        if (l.origin.file.empty())
          l.origin = t.origin;
        s_.links.push_back(std::move(l));
      }
    }
  }

  /// Networked grids (docs/scenario-format.md, "Networked grids"): the MATPOWER import, then the network built with
  /// its reports on; units and substations learn their bus index, controllers' branch breakers are checked.
  void grids()
  {
    for (std::size_t i = 0; i < s_.grids.size(); ++i) {
      Grid& g = s_.grids[i];
      if (g.matpower.empty())
        continue;
      const int file = i < x_.grid_files.size() ? x_.grid_files[i] : 0;
      const std::string dir = ctx_.files[static_cast<std::size_t>(file)].dir;
      const std::string path = (fs::path(dir) / g.matpower).lexically_normal().string();
      g.matpower_path = path;
      std::error_code ec;
      if (!fs::is_regular_file(path, ec)) {
        ctx_.error(g.origin, "/matpower", "scenario.missing-file",
                   "no MATPOWER case file " + quote(g.matpower) + " (looked for " + quote(path) + ")");
        continue;
      }
      try {
        g.imported = std::make_shared<const power::Network>(power::read_matpower(path));
      } catch (const power::CaseError& e) {
        // "file:line:column: message" → a diagnostic located in the case file
        Diagnostic d;
        d.file = path;
        const std::string where = e.where();
        const auto c2 = where.rfind(':');
        const auto c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : where.rfind(':', c2 - 1);
        if (c1 != std::string::npos) {
          d.file = where.substr(0, c1);
          d.line = std::atoi(where.substr(c1 + 1, c2 - c1 - 1).c_str());
          d.column = std::atoi(where.substr(c2 + 1).c_str());
        }
        d.code = "scenario.bad-case";
        std::string message = e.what();
        if (message.rfind(where + ": ", 0) == 0)
          message = message.substr(where.size() + 2);
        d.message = message + " (MATPOWER case of grid " + quote(g.id) + ")";
        ctx_.add_located(std::move(d));
        continue;
      }
      const bool listed =
          std::any_of(s_.sources.begin(), s_.sources.end(), [&](const ScenarioFile& f) { return f.path == path; });
      if (!listed)
        if (auto hash = file_hash(path))
          s_.sources.push_back({path, *hash});
    }
    const GridReport report = [this](const Origin& o, const std::string& suffix, const std::string& code,
                                     const std::string& message) { ctx_.error(o, suffix, code, message); };
    for (std::size_t i = 0; i < s_.grids.size(); ++i) {
      const Grid& g = s_.grids[i];
      if (!g.networked())
        continue; // a case file that could not be read leaves the scenario's own buses: no errors in cascade
      if (g.reserve_mw > 0)
        ctx_.warning(g.origin, "/reserve", "scenario.ignored",
                     "grid " + quote(g.id) +
                         " has buses: its reserve is its generators' headroom, and the \"reserve\" is ignored (an "
                         "import capacity is a generation_unit at the border bus)");
      networks_.push_back(build_grid_network(s_, static_cast<Index>(i), report));
      const GridNetwork& gn = networks_.back();
      for (std::size_t k = 0; k < gn.generator_node.size(); ++k)
        if (gn.generator_node[k] >= 0)
          s_.nodes[static_cast<std::size_t>(gn.generator_node[k])].bus_index =
              static_cast<Index>(gn.network.generators[k].bus);
      for (std::size_t k = 0; k < gn.load_node.size(); ++k)
        if (gn.load_node[k] >= 0)
          s_.nodes[static_cast<std::size_t>(gn.load_node[k])].bus_index = static_cast<Index>(gn.network.loads[k].bus);
    }
    for (std::size_t i = 0; i < s_.nodes.size(); ++i) {
      const Node& n = s_.nodes[i];
      const bool networked = n.grid_index >= 0 && s_.grids[static_cast<std::size_t>(n.grid_index)].networked();
      if (!n.bus.empty() && n.grid_index >= 0 && !networked)
        ctx_.warning(n.origin, "/bus", "scenario.ignored",
                     "grid " + quote(n.grid) + " has no buses (a copper plate): the \"bus\" of " + quote(n.id) +
                         " is ignored");
      if (n.setpoint_mw && !networked && n.kind == NodeKind::generation_unit)
        ctx_.warning(n.origin, "/setpoint", "scenario.ignored",
                     "a setpoint applies to units of a grid with buses; " + quote(n.id) + "'s is ignored");
      for (std::size_t k = 0; k < n.controls.size(); ++k)
        if (n.controls[k].rfind("branch:", 0) == 0 && !find_branch(networks_, s_, n.controls[k]))
          ctx_.error(n.origin, "/controls/" + std::to_string(k), "scenario.unknown-branch",
                     "no branch " + quote(n.controls[k].substr(7)) + " in any grid with buses");
    }
  }

  static bool physical(NodeKind k)
  {
    return k == NodeKind::generation_unit || k == NodeKind::substation || k == NodeKind::pumping_station;
  }

  /// A unit or substation outside every grid, a controller of something that is not physical equipment: both load
  /// without error and change what the model computes (docs/scenario-format.md, "Warnings"). Copies of a counted
  /// node share their entry: `warned` keeps one warning per entry.
  void physical_links(const Node& n, std::set<std::string>& warned)
  {
    if (!n.imported_from.empty() || ctx_.malformed(n.origin, "/kind") || !warned.insert(n.origin.pointer).second)
      return;
    if ((n.kind == NodeKind::generation_unit || n.kind == NodeKind::substation) && n.grid.empty() &&
        !ctx_.malformed(n.origin, "/grid"))
      ctx_.warning(n.origin, "", "scenario.no-grid",
                   n.kind == NodeKind::generation_unit
                       ? "generation unit " + quote(n.id) +
                             " belongs to no grid: its power supplies no substation; give it \"grid\""
                       : "substation " + quote(n.id) +
                             " belongs to no grid: it is never short of power, so its customers never lose it; "
                             "give it \"grid\"");
    for (std::size_t k = 0; k < n.controls.size(); ++k) {
      auto it = s_.node_by_id.find(n.controls[k]);
      if (it == s_.node_by_id.end())
        continue;
      const Node& c = s_.nodes[static_cast<std::size_t>(it->second)];
      if (physical(c.kind) || ctx_.malformed(c.origin, "/kind"))
        continue;
      ctx_.warning(n.origin, "/controls/" + std::to_string(k), "scenario.not-physical",
                   std::string(to_string(n.kind)) + " " + quote(n.id) + " controls " + quote(c.id) + " (kind " +
                       to_string(c.kind) +
                       "): a controller trips or derates physical equipment (generation_unit, substation, "
                       "pumping_station); a step on " +
                       quote(n.id) + " does nothing to " + quote(c.id));
    }
  }

  void nodes()
  {
    std::set<std::string> warned;
    for (std::size_t i = 0; i < s_.nodes.size(); ++i) {
      Node& n = s_.nodes[i];
      n.site_index = n.site.empty() ? NO_INDEX : ref(s_.site_by_id, n.site, n.origin, "/site", "site");
      if (!n.zone.empty() && n.site_index != NO_INDEX) {
        const Site& site = s_.sites[static_cast<std::size_t>(n.site_index)];
        std::vector<std::string> zones;
        for (const Zone& z : site.zones)
          zones.push_back(z.id);
        if (std::find(zones.begin(), zones.end(), n.zone) == zones.end())
          ctx_.error(n.origin, "/zone", "scenario.dangling-reference",
                     "site " + quote(site.id) + " has no zone " + quote(n.zone) + suggestion(n.zone, zones));
      }
      if (!n.grid.empty())
        n.grid_index = ref(s_.grid_by_id, n.grid, n.origin, "/grid", "grid");
      if (!n.backup.empty()) {
        n.backup_index = ref(s_.node_by_id, n.backup, n.origin, "/backup", "node");
        if (n.backup_index != NO_INDEX && n.backup == n.id)
          ctx_.error(n.origin, "/backup", "scenario.bad-value",
                     "node " + quote(n.id) + " cannot hold its own backup: name another node");
      }
      n.controls_index.clear();
      for (std::size_t k = 0; k < n.controls.size(); ++k) {
        if (n.controls[k].rfind("branch:", 0) == 0)
          continue; // a branch breaker of a networked grid: grids() checks it
        const Index c = ref(s_.node_by_id, n.controls[k], n.origin, "/controls/" + std::to_string(k), "node");
        if (c != NO_INDEX)
          n.controls_index.push_back(c);
      }
      physical_links(n, warned);
      for (std::size_t k = 0; k < n.vulnerabilities.size(); ++k)
        for (std::size_t j = 0; j < n.vulnerabilities[k].techniques.size(); ++j)
          technique(n.vulnerabilities[k].techniques[j], n.origin,
                    "/vulnerabilities/" + std::to_string(k) + "/techniques/" + std::to_string(j));
      for (const auto& c : n.credentials)
        credentials_.insert(c);
    }
    for (const Site& site : s_.sites) {
      std::set<std::string> zones;
      for (std::size_t k = 0; k < site.zones.size(); ++k)
        if (!site.zones[k].id.empty() && !zones.insert(site.zones[k].id).second)
          ctx_.error(site.origin, "/zones/" + std::to_string(k) + "/id", "scenario.duplicate-id",
                     "duplicate zone id " + quote(site.zones[k].id) + " in site " + quote(site.id));
      if (!site.organisation.empty())
        ref(orgs_, site.organisation, site.origin, "/organisation", "organisation");
    }
    for (Site& site : s_.sites)
      if (!site.organisation.empty()) {
        auto it = orgs_.find(site.organisation);
        site.organisation_index = it == orgs_.end() ? NO_INDEX : it->second;
      }
  }

  void uplinks()
  {
    const std::size_t from_files = x_.nodes.size();
    for (std::size_t i = 0; i < from_files; ++i) {
      const NodeExtra& e = x_.nodes[i];
      if (e.uplink.empty())
        continue;
      const Node& n = s_.nodes[i];
      const Index up = ref(s_.node_by_id, e.uplink, n.origin, "/uplink", "node");
      if (up == NO_INDEX)
        continue;
      if (up == static_cast<Index>(i)) {
        ctx_.error(n.origin, "/uplink", "scenario.bad-value", "a node cannot be its own uplink");
        continue;
      }
      Link l;
      l.id = n.id + "~" + e.uplink;
      l.a = n.id;
      l.b = e.uplink;
      const Site* site = n.site_index == NO_INDEX ? nullptr : &s_.sites[static_cast<std::size_t>(n.site_index)];
      l.bandwidth = e.uplink_bandwidth ? *e.uplink_bandwidth : site ? site->lan_bandwidth : 125e6;
      l.latency = e.uplink_latency ? *e.uplink_latency : site ? site->lan_latency : 1e-4;
      l.origin = n.origin;
      auto [it, inserted] = links_.emplace(l.id, static_cast<Index>(s_.links.size()));
      if (!inserted) {
        ctx_.error(n.origin, "/uplink", "scenario.duplicate-id",
                   "the uplink makes link " + quote(l.id) + ", which is already defined at " +
                       where(s_.links[static_cast<std::size_t>(it->second)].origin, n.origin));
        continue;
      }
      s_.links.push_back(std::move(l));
    }
  }

  void links()
  {
    for (Link& l : s_.links) {
      if (!l.a.empty())
        l.a_index = ref(s_.node_by_id, l.a, l.origin, "/a", "node");
      if (!l.b.empty())
        l.b_index = ref(s_.node_by_id, l.b, l.origin, "/b", "node");
      if (!l.a.empty() && l.a == l.b)
        ctx_.error(l.origin, "/b", "scenario.bad-value",
                   "a link joins two different nodes; both ends are " + quote(l.a));
    }
  }

  void services()
  {
    for (Service& sv : s_.services) {
      if (!sv.node.empty())
        sv.node_index = ref(s_.node_by_id, sv.node, sv.origin, "/node", "node");
      if (sv.probe && !sv.probe->from.empty())
        sv.probe->from_index = ref(s_.node_by_id, sv.probe->from, sv.origin, "/probe/from", "node");
    }
  }

  /// "service:x", "node:x" or "grid:x" (when allowed); reports and returns false otherwise.
  bool entity_ref(const std::string& text, const Origin& o, const std::string& suffix, bool allow_grid)
  {
    const std::size_t colon = text.find(':');
    const std::string kind = colon == std::string::npos ? std::string() : text.substr(0, colon);
    const std::string id = colon == std::string::npos ? std::string() : text.substr(colon + 1);
    if (kind == "service")
      return ref(s_.service_by_id, id, o, suffix, "service") != NO_INDEX;
    if (kind == "node")
      return ref(s_.node_by_id, id, o, suffix, "node") != NO_INDEX;
    if (kind == "grid" && allow_grid)
      return ref(s_.grid_by_id, id, o, suffix, "grid") != NO_INDEX;
    if (kind == "bus" && allow_grid) {
      const auto slash = id.find('/');
      const std::string grid = id.substr(0, slash);
      const Index g = ref(s_.grid_by_id, grid, o, suffix, "grid");
      if (g == NO_INDEX)
        return false;
      if (slash == std::string::npos || !s_.grids[static_cast<std::size_t>(g)].networked()) {
        ctx_.error(o, suffix, "scenario.bad-value",
                   slash == std::string::npos
                       ? "expected \"bus:GRID/BUS\"; got \"" + text + "\""
                       : "grid " + quote(grid) + " has no buses: depend on \"grid:" + grid + "\" instead");
        return false;
      }
      if (find_bus_ref(networks_, s_, text))
        return true;
      ctx_.error(o, suffix, "scenario.unknown-bus",
                 "grid " + quote(grid) + " has no bus " + quote(id.substr(slash + 1)));
      return false;
    }
    ctx_.error(o, suffix, "scenario.bad-value",
               std::string("expected \"service:ID\", \"node:ID\"") + (allow_grid ? " or \"grid:ID\"" : "") +
                   "; got \"" + text + "\"");
    return false;
  }

  void dependencies()
  {
    for (const Dependency& d : s_.dependencies) {
      if (!d.dependent.empty())
        entity_ref(d.dependent, d.origin, "/dependent", false);
      if (!d.on.empty())
        entity_ref(d.on, d.origin, "/on", true);
      if (!d.on.empty() && d.on == d.dependent)
        ctx_.error(d.origin, "/on", "scenario.bad-value", "a dependency of " + quote(d.on) + " on itself");
    }
  }

  void teams()
  {
    for (Team& t : s_.teams) {
      if (!t.organisation.empty())
        t.organisation_index = ref(orgs_, t.organisation, t.origin, "/organisation", "organisation");
      std::vector<Index> assets;
      bool valid = !ctx_.malformed(t.origin, "/role") && !ctx_.malformed(t.origin, "/assets");
      for (std::size_t k = 0; k < t.assets.size(); ++k)
        if (auto sel = select(t.assets[k], t.origin, "/assets/" + std::to_string(k), false))
          assets.insert(assets.end(), sel->begin(), sel->end());
        else
          valid = false; // reported (or defined in an unread file): "owns no node" would say it again
      std::sort(assets.begin(), assets.end());
      assets.erase(std::unique(assets.begin(), assets.end()), assets.end());
      t.asset_nodes = std::move(assets);
      if (valid && t.role == TeamRole::player && t.asset_nodes.empty())
        ctx_.warning(t.origin, "", "scenario.team-without-assets",
                     "player team " + quote(t.id) + " owns no node; give it \"assets\" such as [\"site:ID\"]");
    }
  }

  void capabilities()
  {
    for (std::size_t i = 0; i < s_.capabilities.size(); ++i) {
      const Capability& c = s_.capabilities[i];
      std::set<std::string> ids;
      for (std::size_t k = 0; k < c.critical_tasks.size(); ++k)
        if (!c.critical_tasks[k].id.empty() && !ids.insert(c.critical_tasks[k].id).second)
          ctx_.error(c.origin, "/critical_tasks/" + std::to_string(k) + "/id", "scenario.duplicate-id",
                     "duplicate critical task id " + quote(c.critical_tasks[k].id));
    }
  }

  std::vector<std::string> critical_tasks_of(const std::string& capability)
  {
    std::vector<std::string> out;
    auto it = capabilities_.find(capability);
    if (it != capabilities_.end())
      for (const auto& t : s_.capabilities[static_cast<std::size_t>(it->second)].critical_tasks)
        out.push_back(t.id);
    return out;
  }

  void objectives()
  {
    for (const Objective& o : s_.objectives) {
      if (!o.capability.empty() &&
          ref(capabilities_, o.capability, o.origin, "/capability", "capability") != NO_INDEX) {
        const auto tasks = critical_tasks_of(o.capability);
        for (std::size_t k = 0; k < o.critical_tasks.size(); ++k)
          if (std::find(tasks.begin(), tasks.end(), o.critical_tasks[k]) == tasks.end())
            ctx_.error(o.origin, "/critical_tasks/" + std::to_string(k), "scenario.dangling-reference",
                       "capability " + quote(o.capability) + " has no critical task " + quote(o.critical_tasks[k]) +
                           suggestion(o.critical_tasks[k], tasks));
      }
      for (std::size_t k = 0; k < o.teams.size(); ++k) {
        const Index t = ref(s_.team_by_id, o.teams[k], o.origin, "/teams/" + std::to_string(k), "team");
        if (t == NO_INDEX)
          continue;
        const Team& team = s_.teams[static_cast<std::size_t>(t)];
        if (team.role != TeamRole::player && !ctx_.malformed(team.origin, "/role"))
          ctx_.warning(o.origin, "/teams/" + std::to_string(k), "scenario.non-player-objective",
                       "objective " + quote(o.id) + " is scored for team " + quote(team.id) + ", whose role is " +
                           to_string(team.role) + "; only player teams are scored, so it counts for nobody");
      }
    }
  }

  /// Checks an ATT&CK technique id; returns it from the catalog when known.
  const Technique* technique(const std::string& id, const Origin& o, const std::string& suffix)
  {
    if (!catalog_)
      return nullptr;
    if (const Technique* t = catalog_->find(id))
      return t;
    ctx_.error(o, suffix, "scenario.unknown-technique",
               "unknown ATT&CK technique " + quote(id) + suggestion(id, technique_ids_));
    return nullptr;
  }

  std::vector<Index> indicator_refs(const std::vector<std::string>& ids, const Origin& o, const std::string& suffix)
  {
    std::vector<Index> out;
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const Index i = ref(s_.indicator_by_id, ids[k], o, suffix + "/" + std::to_string(k), "indicator");
      if (i != NO_INDEX)
        out.push_back(i);
    }
    return out;
  }

  void credential_refs(const std::vector<std::string>& ids, const Origin& o, const std::string& suffix)
  {
    for (std::size_t k = 0; k < ids.size(); ++k)
      if (!credentials_.count(ids[k])) {
        if (credential_names_.empty())
          credential_names_.assign(credentials_.begin(), credentials_.end());
        ctx_.error(o, suffix + "/" + std::to_string(k), "scenario.dangling-reference",
                   "no node holds credential " + quote(ids[k]) + suggestion(ids[k], credential_names_));
      }
  }

  void campaigns()
  {
    for (Campaign& c : s_.campaigns) {
      check_time(c.start, c.origin, "/start", "campaign start");
      if (!c.c2.node.empty())
        c.c2.node_index = ref(s_.node_by_id, c.c2.node, c.origin, "/c2/node", "node");
      c.c2.indicators_index = indicator_refs(c.c2.indicators, c.origin, "/c2/indicators");
      for (std::size_t k = 0; k < c.entry.size(); ++k)
        nonempty(c.entry[k], c.origin, "/entry/" + std::to_string(k));
      for (std::size_t k = 0; k < c.goals.size(); ++k)
        nonempty(c.goals[k], c.origin, "/goals/" + std::to_string(k));
      std::map<std::string, Index> steps;
      for (std::size_t i = 0; i < c.steps.size(); ++i) {
        Step& st = c.steps[i];
        const Origin& o = st.origin;
        if (!st.id.empty()) {
          auto [it, inserted] = steps.emplace(st.id, static_cast<Index>(i));
          if (!inserted)
            ctx_.error(o, "/id", "scenario.duplicate-id",
                       "duplicate step id " + quote(st.id) + " in campaign " + quote(c.id));
        }
        st.requires_.steps_index.clear();
        for (std::size_t k = 0; k < st.requires_.steps.size(); ++k) {
          const std::string& req = st.requires_.steps[k];
          auto it = steps.find(req);
          if (it == steps.end() || it->second == static_cast<Index>(i)) {
            std::vector<std::string> earlier;
            for (std::size_t j = 0; j < i; ++j)
              earlier.push_back(c.steps[j].id);
            const bool later = std::any_of(c.steps.begin() + static_cast<std::ptrdiff_t>(i), c.steps.end(),
                                           [&](const Step& x) { return x.id == req; });
            ctx_.error(o, "/requires/steps/" + std::to_string(k), "scenario.dangling-reference",
                       later ? "step " + quote(req) + " is not earlier in campaign " + quote(c.id) +
                                   "; a step can only require earlier steps"
                             : "no earlier step " + quote(req) + " in campaign " + quote(c.id) +
                                   suggestion(req, earlier));
          } else {
            st.requires_.steps_index.push_back(it->second);
          }
        }
        if (!st.target.empty())
          if (auto targets = select(st.target, o, "/target"))
            st.target_nodes = std::move(*targets);
        if (!st.source.empty() && st.source != "external" && st.source != "compromised")
          select(st.source, o, "/source");
        credential_refs(st.requires_.credentials, o, "/requires/credentials");
        credential_refs(st.credentials, o, "/credentials");
        st.indicators_index = indicator_refs(st.indicators, o, "/indicators");
        const Technique* tech = st.technique.empty() ? nullptr : technique(st.technique, o, "/technique");
        if (!st.tactic.empty() && catalog_) {
          if (!catalog_->is_tactic(st.tactic))
            ctx_.error(o, "/tactic", "scenario.unknown-tactic",
                       "unknown ATT&CK tactic " + quote(st.tactic) + suggestion(st.tactic, tactic_names_));
          else if (tech && std::find(tech->tactics.begin(), tech->tactics.end(), st.tactic) == tech->tactics.end())
            ctx_.warning(o, "/tactic", "scenario.tactic-mismatch",
                         "technique " + tech->id + " (" + tech->name + ") is not in tactic " + quote(st.tactic) +
                             "; its tactics: " + join(tech->tactics));
        }
        if (tech) {
          const auto& fits = fitting_tactics(st.effect);
          const bool stated = !st.tactic.empty() && std::find(fits.begin(), fits.end(), st.tactic) != fits.end();
          const bool any = std::any_of(tech->tactics.begin(), tech->tactics.end(), [&](const std::string& t) {
            return std::find(fits.begin(), fits.end(), t) != fits.end();
          });
          if (!fits.empty() && !stated && !any)
            ctx_.warning(o, "/technique", "scenario.tactic-mismatch",
                         "technique " + tech->id + " (" + tech->name + ", " + join(tech->tactics) +
                             ") does not fit effect " + quote(to_string(st.effect)) + ", which expects " + join(fits));
        }
        if (st.effect == StepEffect::exfiltrate) {
          if (c.c2.node.empty() && !ctx_.malformed(c.origin, "/c2"))
            ctx_.error(o, "/effect", "scenario.missing-field",
                       "an exfiltrate step needs the campaign's \"c2\" to receive the data");
          if (st.exfiltrate_bytes <= 0 && !ctx_.malformed(o, "/exfiltrate"))
            ctx_.error(o, "", "scenario.missing-field",
                       "an exfiltrate step needs \"exfiltrate\": the data size, such as \"500MB\"");
        }
      }
    }
  }

  /// A selector that should match something: reports errors, warns when it matches no node.
  std::optional<std::vector<Index>> nonempty(const std::string& selector, const Origin& o, const std::string& suffix)
  {
    auto sel = select(selector, o, suffix);
    if (sel && sel->empty())
      ctx_.warning(o, suffix, "scenario.empty-selector", "selector " + quote(selector) + " matches no node");
    return sel;
  }

  void botnets()
  {
    for (Botnet& b : s_.botnets) {
      b.attach_index.clear();
      for (std::size_t k = 0; k < b.attach.size(); ++k) {
        const Index n = ref(s_.node_by_id, b.attach[k], b.origin, "/attach/" + std::to_string(k), "node");
        if (n != NO_INDEX)
          b.attach_index.push_back(n);
      }
      if (!b.target.empty())
        entity_ref(b.target, b.origin, "/target", false);
      b.indicators_index = indicator_refs(b.indicators, b.origin, "/indicators");
      for (std::size_t k = 0; k < b.schedule.size(); ++k) {
        check_time(b.schedule[k].start, b.origin, "/schedule/" + std::to_string(k) + "/start", "wave start");
        check_time(b.schedule[k].end, b.origin, "/schedule/" + std::to_string(k) + "/end", "wave end");
      }
    }
  }

  void sensors()
  {
    for (Sensor& sn : s_.sensors) {
      if (!sn.team.empty())
        sn.team_index = ref(s_.team_by_id, sn.team, sn.origin, "/team", "team");
      std::vector<Index> covered;
      bool valid = true;
      for (std::size_t k = 0; k < sn.covers.size(); ++k) {
        if (auto sel = select(sn.covers[k], sn.origin, "/covers/" + std::to_string(k)))
          covered.insert(covered.end(), sel->begin(), sel->end());
        else
          valid = false;
      }
      std::sort(covered.begin(), covered.end());
      covered.erase(std::unique(covered.begin(), covered.end()), covered.end());
      sn.covers_nodes = std::move(covered);
      if (valid && sn.covers_nodes.empty())
        ctx_.warning(sn.origin, "/covers", "scenario.sensor-covers-nothing",
                     "sensor " + quote(sn.id) + " covers no node");
      for (std::size_t k = 0; k < sn.detects.size(); ++k)
        technique_or_tactic(sn.detects[k], sn.origin, "/detects/" + std::to_string(k));
    }
  }

  void technique_or_tactic(const std::string& what, const Origin& o, const std::string& suffix)
  {
    if (!catalog_)
      return;
    const bool looks_like_technique = what.size() > 1 && what[0] == 'T' && what[1] >= '0' && what[1] <= '9';
    if (looks_like_technique) {
      technique(what, o, suffix);
    } else if (!catalog_->is_tactic(what)) {
      ctx_.error(o, suffix, "scenario.unknown-tactic",
                 "unknown ATT&CK tactic " + quote(what) + suggestion(what, tactic_names_) +
                     " (a sensor detects technique ids such as T1566.001 or tactic names such as lateral-movement)");
    }
  }

  void expectations_index()
  {
    for (std::size_t i = 0; i < s_.msel.size(); ++i)
      for (std::size_t k = 0; k < s_.msel[i].expectations.size(); ++k) {
        const Expectation& e = s_.msel[i].expectations[k];
        if (e.id.empty())
          continue;
        auto [it, inserted] =
            expectation_at_.emplace(e.id, std::make_pair(static_cast<Index>(i), static_cast<Index>(k)));
        if (!inserted) {
          const auto [fi, fk] = it->second;
          ctx_.error(e.origin, "/id", "scenario.duplicate-id",
                     "duplicate expectation id " + quote(e.id) + "; first defined at " +
                         where(s_.msel[static_cast<std::size_t>(fi)].expectations[static_cast<std::size_t>(fk)].origin,
                               e.origin));
        } else {
          expectations_.emplace(e.id, static_cast<Index>(expectations_.size()));
        }
      }
  }

  void trigger(const Trigger& t, const Origin& o)
  {
    using K = Trigger::Kind;
    const Origin at{o.file, t.pointer};
    switch (t.kind) {
    case K::always:
      break;
    case K::all:
    case K::any:
    case K::not_:
      for (const Trigger& c : t.children)
        trigger(c, o);
      break;
    case K::node_compromised:
      nonempty(t.subject, at, "/node_compromised");
      break;
    case K::service_down:
      ref(s_.service_by_id, t.subject, at, "/service_down", "service");
      break;
    case K::service_degraded:
      ref(s_.service_by_id, t.subject, at, "/service_degraded", "service");
      break;
    case K::exfiltrated_over:
      if (!t.subject.empty())
        ref(campaigns_, t.subject, at, "/campaign", "campaign");
      break;
    case K::action:
      ref(s_.team_by_id, t.team, at, "/team", "team");
      if (!t.subject.empty())
        select(t.subject, at, "/target");
      if (!t.indicator.empty())
        ref(s_.indicator_by_id, t.indicator, at, "/indicator", "indicator");
      break;
    case K::message:
      ref(s_.team_by_id, t.team, at, "/message/from", "team");
      if (!t.to.empty())
        ref(s_.team_by_id, t.to, at, "/message/to", "team");
      break;
    case K::alert:
      ref(s_.team_by_id, t.team, at, "/alert/team", "team");
      if (!t.subject.empty())
        technique_or_tactic(t.subject, at, "/alert/technique");
      break;
    case K::expectation_met:
      ref(expectations_, t.subject, at, "/expectation_met", "expectation");
      break;
    case K::expectation_missed:
      ref(expectations_, t.subject, at, "/expectation_missed", "expectation");
      break;
    case K::inject_delivered:
      ref(s_.inject_by_id, t.subject, at, "/inject_delivered", "inject");
      break;
    case K::power_lost_over:
      if (!t.subject.empty())
        ref(s_.grid_by_id, t.subject, at, "/grid", "grid");
      break;
    case K::data_published: {
      const Index c = ref(campaigns_, t.subject, at, "/data_published", "campaign");
      if (c != NO_INDEX && !has_effect(s_.campaigns[static_cast<std::size_t>(c)], StepEffect::publish))
        ctx_.error(at, "/data_published", "scenario.never-fires",
                   "campaign " + quote(t.subject) + " never publishes data: none of its steps has effect \"publish\"");
      break;
    }
    case K::probe_down:
    case K::probe_degraded: {
      const char* key = t.kind == K::probe_down ? "/probe_down" : "/probe_degraded";
      const Index s = ref(s_.service_by_id, t.subject, at, key, "service");
      if (s == NO_INDEX)
        break;
      const Service& sv = s_.services[static_cast<std::size_t>(s)];
      if (!sv.probe) {
        ctx_.error(at, key, "scenario.never-fires",
                   "service " + quote(t.subject) +
                       " has no availability probe, so no probe_status: give it a \"probe\" or use service_down / "
                       "service_degraded (ground truth)");
        break;
      }
      if (t.team.empty())
        break;
      const Index tm = ref(s_.team_by_id, t.team, at, "/team", "team");
      if (tm == NO_INDEX)
        break;
      const auto& assets = s_.teams[static_cast<std::size_t>(tm)].asset_nodes;
      if (!std::binary_search(assets.begin(), assets.end(), sv.node_index))
        ctx_.error(at, "/team", "scenario.never-fires",
                   "team " + quote(t.team) + " does not receive the probe_status of service " + quote(t.subject) +
                       ": it does not own node " + quote(sv.node));
      break;
    }
    case K::unit_derated:
    case K::unit_tripped: {
      const bool trip = t.kind == K::unit_tripped;
      const char* key = trip ? "/unit_tripped" : "/unit_derated";
      if (auto sel = select(t.subject, at, key)) {
        const bool any = std::any_of(sel->begin(), sel->end(), [&](Index n) {
          const NodeKind k = s_.nodes[static_cast<std::size_t>(n)].kind;
          return k == NodeKind::generation_unit || (trip && k == NodeKind::substation);
        });
        if (!any)
          ctx_.error(at, key, "scenario.never-fires",
                     "selector " + quote(t.subject) + " matches no generation unit" +
                         (trip ? std::string(" or substation") : std::string()) + "; only those are " +
                         (trip ? "tripped" : "derated"));
      }
      break;
    }
    case K::dependency_lost:
    case K::backup_exhausted: {
      const bool dry = t.kind == K::backup_exhausted;
      const char* key = dry ? "/backup_exhausted" : "/dependency_lost";
      std::vector<Index> deps;
      if (t.subject.find(':') == std::string::npos) {
        const Index d = ref(dependencies_, t.subject, at, key, "dependency");
        if (d == NO_INDEX)
          break;
        deps.push_back(d);
      } else {
        for (std::size_t d = 0; d < s_.dependencies.size(); ++d)
          if (s_.dependencies[d].dependent == t.subject)
            deps.push_back(static_cast<Index>(d));
        if (deps.empty()) {
          std::vector<std::string> dependents;
          for (const Dependency& d : s_.dependencies)
            dependents.push_back(d.dependent);
          ctx_.error(at, key, "scenario.dangling-reference",
                     "no dependency has the dependent " + quote(t.subject) + suggestion(t.subject, dependents));
          break;
        }
      }
      if (dry && std::none_of(deps.begin(), deps.end(),
                              [&](Index d) { return s_.dependencies[static_cast<std::size_t>(d)].backup.has_value(); }))
        ctx_.error(at, key, "scenario.never-fires",
                   (deps.size() == 1 ? "dependency " + quote(s_.dependencies[static_cast<std::size_t>(deps[0])].id)
                                     : "no dependency of " + quote(t.subject)) +
                       " has no backup, so none runs dry: use dependency_lost");
      break;
    }
    case K::step_succeeded: {
      std::vector<const Campaign*> camps;
      if (!t.subject.empty()) {
        const Index c = ref(campaigns_, t.subject, at, "/step_succeeded/campaign", "campaign");
        if (c == NO_INDEX)
          break;
        camps.push_back(&s_.campaigns[static_cast<std::size_t>(c)]);
      } else {
        for (const Campaign& c : s_.campaigns)
          camps.push_back(&c);
      }
      if (!t.step.empty()) {
        const Campaign& c = *camps.front();
        auto st = std::find_if(c.steps.begin(), c.steps.end(), [&](const Step& x) { return x.id == t.step; });
        if (st == c.steps.end()) {
          std::vector<std::string> ids;
          for (const Step& x : c.steps)
            ids.push_back(x.id);
          ctx_.error(at, "/step_succeeded/step", "scenario.dangling-reference",
                     "campaign " + quote(c.id) + " has no step " + quote(t.step) + suggestion(t.step, ids));
          break;
        }
      }
      if (!t.technique.empty()) {
        if (!technique(t.technique, at, "/step_succeeded/technique"))
          break;
        bool used = false;
        for (const Campaign* c : camps)
          for (const Step& x : c->steps)
            used = used || ((t.step.empty() || x.id == t.step) && technique_prefix(t.technique, x.technique));
        if (!used)
          ctx_.error(at, "/step_succeeded/technique", "scenario.never-fires",
                     (t.step.empty() ? std::string("no step") : "step " + quote(t.step)) +
                         (t.subject.empty() ? std::string(" of any campaign") : " of campaign " + quote(t.subject)) +
                         " uses technique " + quote(t.technique) + " or one of its sub-techniques");
      }
      break;
    }
    case K::node_encrypted:
      if (auto sel = nonempty(t.subject, at, "/node_encrypted")) {
        bool encrypts = false;
        for (const Campaign& c : s_.campaigns)
          for (const Step& x : c.steps)
            encrypts = encrypts || x.effect == StepEffect::encrypt;
        if (!encrypts && !sel->empty())
          ctx_.error(at, "/node_encrypted", "scenario.never-fires",
                     "no campaign step has effect \"encrypt\": no node is ever encrypted");
      }
      break;
    }
  }

  static bool has_effect(const Campaign& c, StepEffect e)
  {
    return std::any_of(c.steps.begin(), c.steps.end(), [&](const Step& x) { return x.effect == e; });
  }

  /// `want` is `got` or a parent technique of it (T1566 matches T1566.001), as alerts match.
  static bool technique_prefix(const std::string& want, const std::string& got)
  {
    return want == got ||
           (got.size() > want.size() && got.compare(0, want.size(), want) == 0 && got[want.size()] == '.');
  }

  void msel()
  {
    std::set<std::string> contingencies_used;
    for (std::size_t i = 0; i < s_.msel.size(); ++i) {
      Inject& in = s_.msel[i];
      double base = 0;
      if (!in.move.empty()) {
        auto it = moves_.find(in.move);
        if (it == moves_.end()) {
          std::vector<std::string> ids;
          for (const Move& m : s_.exercise.moves)
            ids.push_back(m.id);
          ctx_.error(in.origin, "/move", "scenario.dangling-reference",
                     "no move " + quote(in.move) + suggestion(in.move, ids));
        } else {
          base = s_.exercise.moves[static_cast<std::size_t>(it->second)].offset;
        }
      }
      if (i < x_.inject_times.size() && x_.inject_times[i]) {
        in.time = base + *x_.inject_times[i];
        check_time(*in.time, in.origin, "/time", "inject time");
      }
      if (in.not_before) {
        in.not_before = base + *in.not_before;
        check_time(*in.not_before, in.origin, "/not_before", "not_before");
      }
      if (in.trigger)
        trigger(*in.trigger, in.origin);
      if (in.skip_if)
        trigger(*in.skip_if, in.origin);
      in.to_index.clear();
      for (std::size_t k = 0; k < in.to.size(); ++k) {
        const Index t = ref(s_.team_by_id, in.to[k], in.origin, "/to/" + std::to_string(k), "team");
        if (t != NO_INDEX)
          in.to_index.push_back(t);
      }
      if (in.to.empty() && !in.hidden)
        ctx_.warning(in.origin, "", "scenario.unreceived-inject",
                     "inject " + quote(in.id) + " has no recipient: give it \"to\" (team ids) or \"hidden\": true");
      for (std::size_t k = 0; k < in.expectations.size(); ++k) {
        Expectation& e = in.expectations[k];
        if (!e.team.empty())
          e.team_index = ref(s_.team_by_id, e.team, e.origin, "/team", "team");
        if (e.team_index != NO_INDEX && in.to_index.size() == in.to.size() && !ctx_.malformed(in.origin, "/to") &&
            std::find(in.to_index.begin(), in.to_index.end(), e.team_index) == in.to_index.end())
          ctx_.warning(e.origin, "/team", "scenario.expectation-unreceived",
                       "expectation " + quote(e.id) + " is for team " + quote(e.team) +
                           ", which does not receive inject " + quote(in.id) + " (" +
                           (in.to.empty() ? std::string("it reaches no team") : "it goes to " + quoted(in.to)) +
                           "); add " + quote(e.team) + " to its \"to\" or expect this of a team that receives it");
        if (!e.objective.empty() && ref(objectives_, e.objective, e.origin, "/objective", "objective") != NO_INDEX &&
            !e.critical_task.empty()) {
          const Objective& o = s_.objectives[static_cast<std::size_t>(objectives_.at(e.objective))];
          const auto tasks = critical_tasks_of(o.capability);
          if (std::find(tasks.begin(), tasks.end(), e.critical_task) == tasks.end())
            ctx_.error(e.origin, "/critical_task", "scenario.dangling-reference",
                       "objective " + quote(o.id) + " (capability " + quote(o.capability) + ") has no critical task " +
                           quote(e.critical_task) + suggestion(e.critical_task, tasks));
        }
        trigger(e.met_by, e.origin);
        if (e.premise)
          trigger(*e.premise, e.origin);
        if (!e.contingency.empty()) {
          const Index c = ref(s_.inject_by_id, e.contingency, e.origin, "/contingency", "inject");
          if (c != NO_INDEX) {
            contingencies_used.insert(e.contingency);
            if (s_.msel[static_cast<std::size_t>(c)].type != InjectType::contingency)
              ctx_.error(e.origin, "/contingency", "scenario.bad-value",
                         "inject " + quote(e.contingency) +
                             " is released on a missed expectation, so its type is "
                             "\"contingency\"");
          }
        }
      }
    }
    for (const Inject& in : s_.msel)
      if (in.type == InjectType::contingency && !in.id.empty() && !contingencies_used.count(in.id))
        ctx_.warning(in.origin, "", "scenario.unused-contingency",
                     "contingency inject " + quote(in.id) + " is never released: no expectation names it");
  }

  void actions()
  {
    std::vector<ActionSpec> all;
    for (int t = 0; t <= static_cast<int>(LAST_ACTION_TYPE); ++t) {
      const auto type = static_cast<ActionType>(t);
      auto it = std::find_if(s_.actions.begin(), s_.actions.end(), [&](const ActionSpec& a) { return a.type == type; });
      all.push_back(it != s_.actions.end() ? *it : default_action(type));
    }
    s_.actions = std::move(all);
  }

  // --------------------------------------------------------------------------------------------------------------
  // trigger cycles: injects and expectations wait for each other; a cycle never fires.

  void waits_for(const Trigger& t, std::vector<Index>& out)
  {
    using K = Trigger::Kind;
    const Index injects = static_cast<Index>(s_.msel.size());
    if (t.kind == K::inject_delivered) {
      auto it = s_.inject_by_id.find(t.subject);
      if (it != s_.inject_by_id.end())
        out.push_back(it->second);
    } else if (t.kind == K::expectation_met || t.kind == K::expectation_missed) {
      auto it = expectations_.find(t.subject);
      if (it != expectations_.end())
        out.push_back(injects + it->second);
    }
    if (t.kind == K::not_)
      return; // "not X" holds before X happens: it does not wait for X
    for (const Trigger& c : t.children)
      waits_for(c, out);
  }

  void trigger_cycles()
  {
    // Vertices: injects 0..I-1, then expectations in order of expectations_ values.
    const std::size_t injects = s_.msel.size();
    std::vector<const Expectation*> exps(expectations_.size(), nullptr);
    std::vector<Index> owner(expectations_.size(), NO_INDEX);
    for (const auto& [id, at] : expectation_at_) {
      const Index v = expectations_.at(id);
      exps[static_cast<std::size_t>(v)] =
          &s_.msel[static_cast<std::size_t>(at.first)].expectations[static_cast<std::size_t>(at.second)];
      owner[static_cast<std::size_t>(v)] = at.first;
    }
    const std::size_t n = injects + exps.size();
    std::vector<std::vector<Index>> edges(n);
    for (std::size_t i = 0; i < injects; ++i)
      if (s_.msel[i].trigger)
        waits_for(*s_.msel[i].trigger, edges[i]);
    for (std::size_t k = 0; k < exps.size(); ++k) {
      if (!exps[k])
        continue;
      edges[injects + k].push_back(owner[k]); // judged only once its inject is delivered
      waits_for(exps[k]->met_by, edges[injects + k]);
      auto c = s_.inject_by_id.find(exps[k]->contingency);
      if (!exps[k]->contingency.empty() && c != s_.inject_by_id.end())
        edges[static_cast<std::size_t>(c->second)].push_back(static_cast<Index>(injects + k));
    }
    const auto name = [&](Index v) {
      if (static_cast<std::size_t>(v) < injects)
        return "inject " + quote(s_.msel[static_cast<std::size_t>(v)].id);
      return "expectation " + quote(exps[static_cast<std::size_t>(v) - injects]->id);
    };
    const auto origin = [&](Index v) -> const Origin& {
      if (static_cast<std::size_t>(v) < injects)
        return s_.msel[static_cast<std::size_t>(v)].origin;
      return exps[static_cast<std::size_t>(v) - injects]->origin;
    };
    // Iterative depth-first search; each back edge closes one reported cycle.
    std::vector<int> state(n, 0); // 0 new, 1 on stack, 2 done
    for (std::size_t root = 0; root < n; ++root) {
      if (state[root])
        continue;
      std::vector<std::pair<Index, std::size_t>> stack{{static_cast<Index>(root), 0}};
      state[root] = 1;
      while (!stack.empty()) {
        auto& [v, next] = stack.back();
        const auto& out = edges[static_cast<std::size_t>(v)];
        if (next == out.size()) {
          state[static_cast<std::size_t>(v)] = 2;
          stack.pop_back();
          continue;
        }
        const Index w = out[next++];
        if (state[static_cast<std::size_t>(w)] == 0) {
          state[static_cast<std::size_t>(w)] = 1;
          stack.emplace_back(w, 0);
        } else if (state[static_cast<std::size_t>(w)] == 1) {
          std::size_t from = 0;
          while (stack[from].first != w)
            ++from;
          std::string chain;
          for (std::size_t k = from; k < stack.size(); ++k)
            chain += name(stack[k].first) + (k == from ? " waits for " : ", which waits for ");
          chain += name(w);
          const Index at = stack[from].first;
          const bool is_inject = static_cast<std::size_t>(at) < injects;
          const bool has_trigger = is_inject && s_.msel[static_cast<std::size_t>(at)].trigger.has_value();
          ctx_.error(origin(at),
                     has_trigger ? "/trigger"
                     : is_inject ? ""
                                 : "/met_by",
                     "scenario.trigger-cycle", "trigger cycle: " + chain + "; none of them can ever happen");
        }
      }
    }
  }

  // --------------------------------------------------------------------------------------------------------------
  // reachability of step targets over the links

  void reachability()
  {
    // Judged on a scenario without errors: a dangling link end or a file that is not valid JSON leaves links out,
    // and every step beyond them would be reported for a mistake that is already an error.
    if (s_.nodes.empty() || ctx_.has_errors())
      return;
    const graph_impl::Reach network(s_);
    std::vector<Index> outside; // "external" sources: the internet and the adversary's own nodes, as in the engine
    std::vector<char> owned(s_.nodes.size(), 0);
    for (std::size_t i = 0; i < s_.nodes.size(); ++i)
      if (s_.nodes[i].kind == NodeKind::internet || s_.nodes[i].kind == NodeKind::attacker) {
        outside.push_back(static_cast<Index>(i));
        owned[i] = 1;
      }
    for (const Campaign& c : s_.campaigns) {
      // held: nodes the steps so far can have compromised (the reachable targets of "compromise" steps, in order)
      std::vector<char> held = owned;
      std::vector<Index> footholds;
      for (const Step& st : c.steps) {
        SelectorError err;
        auto target_words = parse_selector(s_, st.target, err);
        if (!target_words)
          continue; // reported by campaigns()
        const auto targets = selector_->select(*target_words);
        if (targets.empty()) {
          ctx_.warning(st.origin, "/target", "scenario.empty-selector",
                       "selector " + quote(st.target) + " matches no node");
          continue;
        }
        const std::string from = st.source.empty() ? std::string("compromised") : st.source;
        if (local_effect(st.effect)) {
          step_from_target(c, st, targets, held, network);
          continue;
        }
        std::vector<Index> sources;
        if (from == "external") {
          sources = outside;
        } else if (from == "compromised") {
          sources = footholds;
        } else {
          auto src = parse_selector(s_, st.source, err);
          if (!src)
            continue; // reported by campaigns()
          for (Index i : selector_->select(*src))
            if (held[static_cast<std::size_t>(i)])
              sources.push_back(i);
        }
        const auto reached = network.from(sources, st.protocol, true);
        std::vector<Index> hit;
        for (Index t : targets)
          if (reached[static_cast<std::size_t>(t)])
            hit.push_back(t);
        if (hit.empty()) {
          unreachable(c, st, from, sources, targets, network);
          hit = targets; // later steps are judged as if this one were fixed: one warning per mistake
        }
        if (st.effect == StepEffect::compromise)
          for (Index t : hit)
            if (!held[static_cast<std::size_t>(t)]) {
              held[static_cast<std::size_t>(t)] = 1;
              footholds.push_back(t);
            }
      }
    }
  }

  /// Why no target of a step is reachable: no source at all, no link path, or firewall rules on every path.
  void unreachable(const Campaign& c, const Step& st, const std::string& from, const std::vector<Index>& sources,
                   const std::vector<Index>& targets, const graph_impl::Reach& network)
  {
    if (sources.empty()) {
      ctx_.warning(st.origin, "/source", "scenario.unreachable-target",
                   from == "compromised"
                       ? "step " + quote(st.id) + " starts from a compromised node, and no earlier step of campaign " +
                             quote(c.id) + " can have compromised one"
                       : "step " + quote(st.id) + " starts from " + quote(from) +
                             ", which no earlier step of campaign " + quote(c.id) +
                             " can have compromised (and which holds no attacker or internet node)");
      return;
    }
    const auto linked = network.from(sources, st.protocol, false);
    const bool by_links =
        std::any_of(targets.begin(), targets.end(), [&](Index t) { return linked[static_cast<std::size_t>(t)]; });
    if (!by_links)
      ctx_.warning(st.origin, "/target", "scenario.unreachable-target",
                   "no link path leads from the step's possible sources (" + from + ") to " + quote(st.target));
    else
      ctx_.warning(st.origin, "/target", "scenario.unreachable-target",
                   "firewall rules stop " + quote(st.protocol) + " traffic on every link path from the step's " +
                       "possible sources (" + from + ") to " + quote(st.target));
  }

  /// A step acting from its target (escalate, credential, persist, exfiltrate) needs a target that the steps so far
  /// can have compromised, and an exfiltration a way from there to the C2 node.
  void step_from_target(const Campaign& c, const Step& st, const std::vector<Index>& targets,
                        const std::vector<char>& held, const graph_impl::Reach& network)
  {
    std::vector<Index> from;
    for (Index t : targets)
      if (held[static_cast<std::size_t>(t)])
        from.push_back(t);
    if (from.empty()) {
      ctx_.warning(st.origin, "/target", "scenario.unreachable-target",
                   "step " + quote(st.id) + " (" + to_string(st.effect) +
                       ") acts on a node the adversary holds, and no earlier step of campaign " + quote(c.id) +
                       " can have compromised " + quote(st.target));
      return;
    }
    if (st.effect != StepEffect::exfiltrate || c.c2.node_index == NO_INDEX)
      return;
    if (!network.from(from, st.protocol, true)[static_cast<std::size_t>(c.c2.node_index)])
      ctx_.warning(st.origin, "/target", "scenario.unreachable-target",
                   (network.from(from, st.protocol, false)[static_cast<std::size_t>(c.c2.node_index)]
                        ? "firewall rules stop " + quote(st.protocol) + " traffic on every link path from "
                        : std::string("no link path leads from ")) +
                       quote(st.target) + " to the C2 node " + quote(c.c2.node) + ": nothing can be exfiltrated");
  }

  Context& ctx_;
  Scenario& s_;
  Extras& x_;
  const AttackCatalog* catalog_ = nullptr;
  std::optional<AttackCatalog> own_catalog_;
  std::vector<std::string> technique_ids_;
  std::vector<std::string> tactic_names_;
  std::vector<GridNetwork> networks_; ///< the networked grids, built by grids()
  std::map<std::string, Index> orgs_, topologies_, links_, dependencies_, capabilities_, objectives_, campaigns_,
      botnets_, sensors_, moves_, expectations_;
  std::map<std::string, std::pair<Index, Index>> expectation_at_;
  std::set<std::string> credentials_;
  std::vector<std::string> credential_names_;
  std::map<const void*, std::vector<std::string>> names_;
  std::unique_ptr<NodeSelector> selector_;
};

} // namespace

void check_trigger(Context& ctx, const Scenario& scenario, const Trigger& t, const Origin& o)
{
  Scenario s = scenario; // the resolver rebuilds its indexes in the scenario it checks
  Extras x;
  Resolver(ctx, s, x).check_trigger(t, o);
}

void resolve(Context& ctx, Scenario& s, Extras& extras)
{
  Resolver(ctx, s, extras).run();
}

} // namespace cyberex::scenario_impl
