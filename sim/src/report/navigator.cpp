/* ATT&CK Navigator layers (layer format 4.5, docs/interchange.md): of a journaled exercise, the exercise's and each
 * player team's view of the report's ATT&CK coverage, one layer per ATT&CK domain; of a scenario, its planned
 * coverage before play. */
#include "report/aar.hpp"

#include "cyberex/attack_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>

namespace cyberex::report {

namespace {

/// The report's statuses as scores and colours: the score orders them from worst to best for the defenders, and
/// the gradient's colours are the statuses' colours at their scores, so the gradient and the explicit colours agree.
struct StatusStyle {
  const char* status;
  int score;
  const char* color;
  const char* legend;
};
const StatusStyle status_styles[] = {
    {"not used", 0, "#aab7b8", "planned, not used (score 0)"},
    {"missed", 1, "#c0392b", "missed: used, never detected, not contained (score 1)"},
    {"detected", 2, "#2e86c1", "detected: a true alert, not contained (score 2)"},
    {"impact before containment", 3, "#d68910", "contained, one campaign only after its impact (score 3)"},
    {"contained before impact", 4, "#1e8449", "contained before impact (score 4)"},
};

const StatusStyle& style_of(const std::string& status)
{
  for (const auto& s : status_styles)
    if (status == s.status)
      return s;
  return status_styles[0];
}

const char* domain_title(const std::string& domain)
{
  return domain == "enterprise-attack" ? "Enterprise" : domain == "ics-attack" ? "ICS" : "Mobile";
}

/// "T+01:05:00" (exercise time since the start).
std::string exercise_clock(double seconds)
{
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  std::snprintf(buf, sizeof buf, "T+%02ld:%02ld:%02ld", s / 3600, (s % 3600) / 60, s % 60);
  return buf;
}

std::string join(const Json& strings, const char* sep = ", ")
{
  std::string out;
  for (const auto& s : strings)
    out += (out.empty() ? "" : sep) + (s.is_string() ? s.get<std::string>() : s.dump());
  return out;
}

std::string join(const std::vector<std::string>& strings, const char* sep = ", ")
{
  std::string out;
  for (const auto& s : strings)
    out += (out.empty() ? "" : sep) + s;
  return out;
}

Json meta(const std::string& name, const std::string& value)
{
  return {{"name", name}, {"value", value}};
}

/// The tactic to file a technique under: the one the report files it under when the catalog lists it for the
/// technique (a tactic outside it would be refused by the Navigator), else none (the Navigator then shows the
/// annotation under every tactic of the technique).
std::string tactic_for(const AttackCatalog* catalog, const std::string& technique, const std::string& tactic)
{
  if (!catalog)
    return {};
  const Technique* t = catalog->find(technique);
  if (!t || std::find(t->tactics.begin(), t->tactics.end(), tactic) == t->tactics.end())
    return {};
  return tactic;
}

const AttackCatalog* shipped_catalog()
{
  try {
    return &AttackCatalog::shipped();
  } catch (const std::exception&) {
    return nullptr;
  }
}

/// The parts every layer shares, in the order of the format's property table.
Json layer_head(const std::string& name, const std::string& description, const std::string& domain,
                const AttackCatalog* catalog)
{
  Json l;
  l["name"] = name;
  l["versions"] = {{"attack", catalog ? catalog->version() : ""}, {"navigator", "4.9.1"}, {"layer", "4.5"}};
  l["domain"] = domain;
  l["description"] = description;
  l["sorting"] = 0;
  l["layout"] = {{"layout", "side"},
                 {"showID", true},
                 {"showName", true},
                 {"showAggregateScores", false},
                 {"countUnscored", false},
                 {"aggregateFunction", "average"},
                 {"expandedSubtechniques", "annotated"}};
  l["hideDisabled"] = false;
  return l;
}

void layer_tail(Json& l)
{
  l["showTacticRowBackground"] = false;
  l["tacticRowBackground"] = "#dddddd";
  l["selectTechniquesAcrossTactics"] = true;
  l["selectSubtechniquesWithParent"] = false;
  l["selectVisibleTechniques"] = false;
}

/// The domains the cells of a coverage use, in the catalog's order (Enterprise, then ICS, then Mobile).
std::vector<std::string> domains_of(const Json& coverage)
{
  std::set<std::string> used;
  for (const auto& tac : coverage["tactics"])
    for (const auto& c : tac["techniques"])
      if (!str(c, "domain").empty())
        used.insert(str(c, "domain"));
  std::vector<std::string> out;
  for (const char* d : {"enterprise-attack", "ics-attack", "mobile-attack"})
    if (used.count(d))
      out.push_back(d);
  return out;
}

/// One layer of a coverage (the exercise's or a team's) for one domain.
std::string coverage_layer(const Json& aar, const Json& coverage, const std::string& domain, const Json* team,
                           const SituationClock& clock, const AttackCatalog* catalog)
{
  const Json& ov = aar["overview"];
  auto when = [&](const Json& t) {
    return t.is_number() ? exercise_clock(t.get<double>()) + " (" + clock.text(t.get<double>()) + ")"
                         : std::string("never");
  };
  const std::string view = team ? str(*team, "name") + " (" + str(*team, "team") + ")" : std::string("exercise");
  std::string description =
      team ? "ATT&CK coverage of the adversary's techniques as team " + view +
                 " saw it: detected means a true alert this team received. Played " + str(ov, "date") + ", journal " +
                 str(ov, "journal") + ", seed " + std::to_string(ov["seed"].get<std::uint64_t>()) + "."
           : "ATT&CK coverage of the adversary's techniques (ground truth): detected means a true alert any team "
             "received. Played " +
                 str(ov, "date") + ", journal " + str(ov, "journal") + ", seed " +
                 std::to_string(ov["seed"].get<std::uint64_t>()) + ".";
  description += " Score: 0 planned, not used; 1 missed; 2 detected; 3 impact before containment; 4 contained before "
                 "impact. Times: exercise clock (T+ since the start) and the situation clock.";
  Json l = layer_head(str(ov, "title") + ": " + (team ? "team " + str(*team, "team") : std::string("exercise")) + ", " +
                          domain_title(domain),
                      description, domain, catalog);
  Json techniques = Json::array();
  std::set<std::pair<std::string, std::string>> seen; // (technique, tactic)
  int n = 0;
  for (const auto& tac : coverage["tactics"])
    for (const auto& c : tac["techniques"]) {
      if (str(c, "domain") != domain)
        continue;
      const std::string id = str(c, "technique");
      const std::string tactic = tactic_for(catalog, id, str(tac, "tactic"));
      if (!seen.insert({id, tactic}).second)
        continue;
      ++n;
      const std::string status = str(c, "status");
      const StatusStyle& st = style_of(status);
      Json t;
      t["techniqueID"] = id;
      if (!tactic.empty())
        t["tactic"] = tactic;
      t["score"] = st.score;
      t["color"] = st.color;
      std::string comment = status + ".";
      if (c["used"].get<bool>()) {
        comment += " " + std::to_string(c["attempts"].get<int>()) + " attempt" + (c["attempts"] == 1 ? "" : "s") +
                   " (" + std::to_string(c["successes"].get<int>()) + " succeeded) by " + join(c["campaigns"]) +
                   ", first " + when(c["first_attempt"]) + ", last " + when(c["last_attempt"]) + ", on " +
                   join(c["nodes"]) + ". First true alert" + (team ? " to this team" : "") + ": " +
                   when(c["first_detected"]) + ".";
      } else {
        comment += " Planned in " + join(c["campaigns_planned"]) + "; never attempted.";
      }
      t["comment"] = comment;
      t["enabled"] = true;
      t["metadata"] = Json::array(
          {meta("status", status), meta("campaigns", join(c["campaigns"])),
           meta("campaigns planned", join(c["campaigns_planned"])),
           meta("attempts", std::to_string(c["attempts"].get<int>())),
           meta("successes", std::to_string(c["successes"].get<int>())),
           meta(team ? "true alerts to this team" : "true alerts", std::to_string(c["true_alerts"].get<int>())),
           meta("first detection", when(c["first_detected"])), Json{{"divider", true}},
           meta("campaigns contained before impact", std::to_string(c["campaigns_contained_before_impact"].get<int>())),
           meta("campaigns contained after impact",
                std::to_string(c["campaigns_impact_before_containment"].get<int>())),
           meta("campaigns not contained", std::to_string(c["campaigns_not_contained"].get<int>()))});
      t["showSubtechniques"] = false;
      techniques.push_back(std::move(t));
    }
  l["techniques"] = std::move(techniques);
  Json colors = Json::array();
  Json legend = Json::array();
  for (const auto& s : status_styles) {
    colors.push_back(s.color);
    legend.push_back({{"label", s.legend}, {"color", s.color}});
  }
  l["gradient"] = {{"colors", colors}, {"minValue", 0}, {"maxValue", 4}};
  l["legendItems"] = std::move(legend);
  Json m =
      Json::array({meta("exercise", str(ov, "exercise")), meta("view", view), meta("journal", str(ov, "journal")),
                   meta("seed", std::to_string(ov["seed"].get<std::uint64_t>())),
                   meta("played", exercise_clock(ov["played"].get<double>())), meta("techniques", std::to_string(n))});
  if (team) {
    m.push_back(meta("first true alert", when((*team)["first_true_alert"])));
    m.push_back(meta("first compromise of its assets", when((*team)["first_compromise"])));
  }
  m.push_back(meta("generated by", "cyberex " + str(ov, "cyberex_version")));
  l["metadata"] = std::move(m);
  l["links"] = Json::array();
  layer_tail(l);
  return l.dump(2) + "\n";
}

/// A file name part made of letters, digits, '.', '_' and '-' only (a team id could hold anything else).
std::string file_part(const std::string& s)
{
  std::string out;
  for (char ch : s)
    out += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.') ? ch : '_';
  return out;
}

} // namespace

std::string navigator_file_name(const std::string& team, const std::string& domain)
{
  return (team.empty() ? std::string("exercise") : "team-" + file_part(team)) + "-" + domain + ".json";
}

std::vector<std::string> navigator_file_names(const Json& aar)
{
  std::vector<std::string> out;
  const std::vector<std::string> domains = domains_of(aar["attack"]);
  for (const auto& d : domains)
    out.push_back(navigator_file_name("", d));
  for (const auto& t : aar["teams"])
    for (const auto& d : domains)
      out.push_back(navigator_file_name(str(t, "team"), d));
  return out;
}

std::vector<std::pair<std::string, std::string>> render_navigator(const Json& aar, const Loaded& in)
{
  const AttackCatalog* catalog = shipped_catalog();
  if (!catalog)
    throw ReportError{"--format navigator needs the ATT&CK catalog: cannot open '" + attack_catalog_path() +
                      "' (set CYBEREX_DATA to the directory that holds attack/attack-catalog.json)"};
  const SituationClock clock(in.scenario.exercise);
  std::vector<std::pair<std::string, std::string>> files;
  const std::vector<std::string> domains = domains_of(aar["attack"]);
  for (const auto& d : domains)
    files.push_back({navigator_file_name("", d), coverage_layer(aar, aar["attack"], d, nullptr, clock, catalog)});
  for (const auto& t : aar["teams"]) {
    const Json coverage = attack_coverage(in, str(t, "team"));
    for (const auto& d : domains)
      files.push_back({navigator_file_name(str(t, "team"), d), coverage_layer(aar, coverage, d, &t, clock, catalog)});
  }
  return files;
}

} // namespace cyberex::report

namespace cyberex {

std::vector<std::pair<std::string, std::string>> planned_navigator_layers(const Scenario& sc,
                                                                          const std::string& scenario_name)
{
  using report::Json;
  using report::meta;
  const AttackCatalog* catalog = report::shipped_catalog();
  if (!catalog)
    throw ReportError{"--format navigator needs the ATT&CK catalog: cannot open '" + attack_catalog_path() +
                      "' (set CYBEREX_DATA to the directory that holds attack/attack-catalog.json)"};
  // (technique, tactic) entries in the order the steps first use them, per domain
  struct Entry {
    std::string technique, tactic;
    int steps = 0;
    std::vector<std::string> campaigns, uses, targets;
  };
  std::map<std::string, std::vector<Entry>> by_domain;
  for (const auto& c : sc.campaigns)
    for (const auto& s : c.steps) {
      const Technique* t = catalog->find(s.technique);
      if (!t)
        continue; // the loader refuses such a scenario; nothing to place in a layer
      std::string tactic = s.tactic.empty() && !t->tactics.empty() ? t->tactics.front() : s.tactic;
      tactic = report::tactic_for(catalog, s.technique, tactic);
      auto& v = by_domain[t->domain + "-attack"];
      auto it = std::find_if(v.begin(), v.end(),
                             [&](const Entry& e) { return e.technique == s.technique && e.tactic == tactic; });
      if (it == v.end()) {
        v.push_back({s.technique, tactic, 0, {}, {}, {}});
        it = std::prev(v.end());
      }
      ++it->steps;
      if (std::find(it->campaigns.begin(), it->campaigns.end(), c.id) == it->campaigns.end())
        it->campaigns.push_back(c.id);
      std::string nodes;
      for (Index n : s.target_nodes)
        nodes += (nodes.empty() ? "" : ", ") + sc.nodes[n].id;
      it->uses.push_back(c.id + "/" + s.id);
      it->targets.push_back(c.id + "/" + s.id + ": " + s.target + (nodes.empty() ? "" : " (" + nodes + ")"));
    }
  std::vector<std::pair<std::string, std::string>> files;
  for (const char* domain : {"enterprise-attack", "ics-attack", "mobile-attack"}) {
    auto found = by_domain.find(domain);
    if (found == by_domain.end())
      continue;
    int most = 1;
    for (const auto& e : found->second)
      most = std::max(most, e.steps);
    Json l =
        report::layer_head(sc.exercise.title + ": planned ATT&CK coverage, " + report::domain_title(domain),
                           "Every technique the campaigns' steps use, before play (cyberex analyze " + scenario_name +
                               "). Score: the number of steps that use the technique under "
                               "that tactic; comment: the campaigns and the steps' targets.",
                           domain, catalog);
    Json techniques = Json::array();
    for (const auto& e : found->second) {
      Json t;
      t["techniqueID"] = e.technique;
      if (!e.tactic.empty())
        t["tactic"] = e.tactic;
      t["score"] = e.steps;
      t["comment"] = "Campaigns: " + report::join(e.campaigns) + ". Targets: " + report::join(e.targets, "; ") + ".";
      t["enabled"] = true;
      t["metadata"] = Json::array({meta("steps", std::to_string(e.steps)), meta("campaigns", report::join(e.campaigns)),
                                   meta("uses", report::join(e.uses))});
      t["showSubtechniques"] = false;
      techniques.push_back(std::move(t));
    }
    l["techniques"] = std::move(techniques);
    // maxValue must exceed minValue: a scenario whose techniques each serve one step still gets a gradient
    l["gradient"] = {{"colors", Json::array({"#ffffff", "#c0392b"})}, {"minValue", 0}, {"maxValue", most}};
    l["legendItems"] = Json::array({{{"label", "used by no step (score 0)"}, {"color", "#ffffff"}},
                                    {{"label", "used by " + std::to_string(most) + " step" + (most == 1 ? "" : "s") +
                                                   " (score " + std::to_string(most) + ")"},
                                     {"color", "#c0392b"}}});
    l["metadata"] = Json::array({meta("exercise", sc.exercise.id), meta("scenario", scenario_name),
                                 meta("campaigns", std::to_string(sc.campaigns.size())),
                                 meta("techniques", std::to_string(found->second.size()))});
    l["links"] = Json::array();
    report::layer_tail(l);
    files.push_back({"planned-" + std::string(domain) + ".json", l.dump(2) + "\n"});
  }
  return files;
}

} // namespace cyberex
