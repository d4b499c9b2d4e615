/* The after-action report as data: overview, objectives and ratings, injects against responses, KPI series, team
 * results, observations, improvement plan and ATT&CK coverage, folded from the journal and the scenario. */
#include "report/aar.hpp"

#include "cyberex/attack_catalog.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace cyberex::report {

namespace {

double round3(double v)
{
  return std::round(v * 1000) / 1000;
}

double rating_value(const std::string& r)
{
  return r == "P" ? 100 : r == "S" ? 70 : r == "M" ? 40 : 0;
}

/// The HSEEP letter nearest to a mean rating value (midpoints between P 100, S 70, M 40, U 0).
std::string rating_letter(double v)
{
  return v >= 85 ? "P" : v >= 55 ? "S" : v >= 20 ? "M" : "U";
}

/// Upper-case the first letter (texts after a "Strength:" or "Corrective action:" marker start lower-case).
std::string sentence(std::string s)
{
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string trim(std::string s)
{
  const auto b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos)
    return {};
  const auto e = s.find_last_not_of(" \t\n");
  return s.substr(b, e - b + 1);
}

/// Split `text` at "Label:" markers: the part before the first marker and each marker's value.
std::map<std::string, std::string> split_markers(const std::string& text, const std::vector<std::string>& labels,
                                                 std::string& head)
{
  std::vector<std::pair<std::size_t, std::string>> found;
  for (const auto& l : labels) {
    const auto p = text.find(l + ":");
    if (p != std::string::npos)
      found.push_back({p, l});
  }
  std::sort(found.begin(), found.end());
  std::map<std::string, std::string> out;
  head = trim(text.substr(0, found.empty() ? text.size() : found.front().first));
  for (std::size_t i = 0; i < found.size(); ++i) {
    const std::size_t from = found[i].first + found[i].second.size() + 1;
    const std::size_t to = i + 1 < found.size() ? found[i + 1].first : text.size();
    out[found[i].second] = trim(text.substr(from, to - from));
  }
  return out;
}

/// One parsed record.
struct Rec {
  double time = 0;
  RecordKind kind = RecordKind::event;
  RecordType type = RecordType::clock;
  std::string subject;
  Json details;
};

/// What a team command does, in a few words.
std::string command_summary(const Json& c)
{
  const std::string type = str(c, "type");
  if (type == "action") {
    std::string s = str(c, "action");
    for (const char* k : {"target", "indicator", "service", "vulnerability", "kind", "mode"})
      if (!str(c, k).empty())
        s += " " + str(c, k);
    return s;
  }
  if (type == "message") {
    std::string to;
    if (c.contains("to") && c["to"].is_array())
      for (const auto& t : c["to"])
        to += (to.empty() ? "" : ", ") + (t.is_string() ? t.get<std::string>() : std::string());
    else
      to = str(c, "to");
    std::size_t n = c.contains("indicators") && c["indicators"].is_array() ? c["indicators"].size() : 0;
    return (n ? "share " + std::to_string(n) + " indicator" + (n > 1 ? "s" : "") : std::string("message")) + " to " +
           to;
  }
  if (type == "sitrep")
    return "situation report" + (str(c, "status").empty() ? std::string() : " (" + str(c, "status") + ")");
  if (type == "assess")
    return "severity assessment of " + str(c, "incident");
  return type;
}

} // namespace

Json attack_coverage(const Loaded& in, const std::string& team)
{
  const Scenario& sc = in.scenario;
  const double end = journal_time_reached(in.journal);
  ExerciseState final_state(sc);
  for (const auto& r : in.journal.records)
    final_state.apply(r);
  const AttackCatalog* catalog = nullptr;
  try {
    catalog = &AttackCatalog::shipped();
  } catch (const std::exception&) {
    catalog = nullptr; // names and tactic order then come from the scenario only
  }
  struct Tech {
    std::set<std::string> campaigns, used_by, succeeded_by, nodes;
    int attempts = 0, successes = 0, alerts = 0;
    double first_attempt = -1, last_attempt = -1, first_alert = -1;
  };
  std::map<std::string, Tech> tech;
  std::map<std::string, std::vector<std::string>> by_tactic; // tactic -> techniques in first-seen order
  for (const auto& c : sc.campaigns)
    for (const auto& s : c.steps) {
      tech[s.technique].campaigns.insert(c.id);
      std::string tactic = s.tactic;
      if (tactic.empty() && catalog)
        if (const Technique* t = catalog->find(s.technique); t && !t->tactics.empty())
          tactic = t->tactics.front();
      auto& v = by_tactic[tactic.empty() ? "other" : tactic];
      if (std::find(v.begin(), v.end(), s.technique) == v.end())
        v.push_back(s.technique);
    }
  std::set<std::pair<std::string, std::string>> attempts;
  // each campaign's containment against its impact: the state's (one rule, docs/after-action.md)
  std::map<std::string, std::string> outcome;
  for (const auto& c : final_state.kpis(end).campaigns)
    outcome[c.id] = containment_outcome(c);
  const std::string audience = "team:" + team;
  for (const auto& o : in.journal.records) {
    if (o.type != RecordType::step_attempt && o.type != RecordType::alert)
      continue;
    const Json j = Json::parse(o.json, nullptr, false);
    if (!j.is_object())
      continue;
    const Json details = j.contains("details") && j["details"].is_object() ? j["details"] : Json::object();
    const std::string t = str(details, "technique");
    if (o.type == RecordType::step_attempt) {
      attempts.insert({t, str(details, "target")});
      if (tech.count(t)) {
        Tech& x = tech[t];
        ++x.attempts;
        x.used_by.insert(strip(str(j, "subject"), "campaign:"));
        if (!str(details, "target").empty())
          x.nodes.insert(str(details, "target"));
        if (x.first_attempt < 0)
          x.first_attempt = o.time;
        x.last_attempt = o.time;
        if (str(details, "outcome") == "success") {
          ++x.successes;
          x.succeeded_by.insert(strip(str(j, "subject"), "campaign:"));
        }
      }
    } else if (team.empty() || str(j, "subject") == audience) {
      // a true alert: one on the node of an attempt with its technique (a team's view: the alerts it received)
      if (tech.count(t) && attempts.count({t, str(details, "node")})) {
        ++tech[t].alerts;
        if (tech[t].first_alert < 0)
          tech[t].first_alert = o.time;
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> tactic_order; // shortname, name
  if (catalog)
    for (const auto& t : catalog->tactics())
      if (by_tactic.count(t.shortname) &&
          std::none_of(tactic_order.begin(), tactic_order.end(), [&](const auto& p) { return p.first == t.shortname; }))
        tactic_order.push_back({t.shortname, t.name});
  for (const auto& entry : by_tactic) {
    const std::string& k = entry.first; // not a structured binding: Clang 14 cannot capture those in a lambda
    if (std::none_of(tactic_order.begin(), tactic_order.end(), [&](const auto& p) { return p.first == k; }))
      tactic_order.push_back({k, k});
  }
  int n_used = 0, n_detected = 0, n_contained = 0, n_late = 0, n_missed = 0, n_unused = 0;
  Json techniques_summary = Json::object();
  Json tactics = Json::array();
  for (const auto& [shortname, name] : tactic_order) {
    Json cells = Json::array();
    for (const auto& id : by_tactic[shortname]) {
      const Tech& t = tech[id];
      const bool used = t.attempts > 0;
      const bool detected = t.alerts > 0;
      // the campaigns that used it: contained before their impact, contained after it, or not contained
      int n_before = 0, n_after = 0, n_not = 0;
      for (const auto& c : t.used_by) {
        const std::string& o = outcome[c];
        (o == "contained before impact" ? n_before : o == "impact before containment" ? n_after : n_not) += 1;
      }
      const bool all_contained = used && n_not == 0 && n_after == 0;
      const std::string status = !used         ? "not used"
                                 : n_not > 0   ? (detected ? "detected" : "missed")
                                 : n_after > 0 ? "impact before containment"
                                               : "contained before impact";
      Json cell;
      cell["technique"] = id;
      const Technique* ct = catalog ? catalog->find(id) : nullptr;
      cell["name"] = ct ? ct->name : id;
      cell["domain"] = ct ? ct->domain + "-attack" : "";
      cell["status"] = status;
      cell["used"] = used;
      cell["detected"] = detected;
      cell["contained"] = all_contained;
      cell["attempts"] = t.attempts;
      cell["successes"] = t.successes;
      cell["true_alerts"] = t.alerts;
      cell["first_attempt"] = t.first_attempt < 0 ? Json(nullptr) : Json(round3(t.first_attempt));
      cell["last_attempt"] = t.last_attempt < 0 ? Json(nullptr) : Json(round3(t.last_attempt));
      cell["first_detected"] = t.first_alert < 0 ? Json(nullptr) : Json(round3(t.first_alert));
      cell["nodes"] = t.nodes;
      cell["campaigns"] = t.used_by;
      cell["campaigns_planned"] = t.campaigns;
      cell["campaigns_contained"] = n_before + n_after;
      cell["campaigns_contained_before_impact"] = n_before;
      cell["campaigns_impact_before_containment"] = n_after;
      cell["campaigns_not_contained"] = n_not;
      if (!techniques_summary.contains(id)) {
        techniques_summary[id] = status;
        n_used += used;
        n_detected += detected;
        n_contained += all_contained;
        n_late += status == "impact before containment";
        n_missed += status == "missed";
        n_unused += !used;
      }
      cells.push_back(std::move(cell));
    }
    tactics.push_back({{"tactic", shortname}, {"name", name}, {"techniques", std::move(cells)}});
  }
  return {{"summary",
           {{"techniques", techniques_summary.size()},
            {"used", n_used},
            {"detected", n_detected},
            {"contained", n_contained},
            {"impact_before_containment", n_late},
            {"missed", n_missed},
            {"not_used", n_unused}}},
          {"tactics", std::move(tactics)}};
}

Json build_aar(const Loaded& in)
{
  const Scenario& sc = in.scenario;
  const JournalContents& jn = in.journal;
  const double end = journal_time_reached(jn);
  ExerciseState final_state(sc); // the one fold: what the report's team results and KPIs read
  for (const auto& r : jn.records)
    final_state.apply(r);
  const std::string start = sc.exercise.start;
  const SituationClock clock(sc.exercise);

  std::vector<Rec> recs;
  recs.reserve(jn.records.size());
  for (const auto& o : jn.records) {
    Json j = Json::parse(o.json, nullptr, false);
    if (!j.is_object())
      continue;
    Rec r;
    r.time = o.time;
    r.kind = o.kind;
    r.type = o.type;
    r.subject = str(j, "subject");
    r.details = j.contains("details") && j["details"].is_object() ? j["details"] : Json::object();
    recs.push_back(std::move(r));
  }

  std::vector<std::string> players;
  std::map<std::string, std::string> team_name;
  std::map<std::string, std::set<std::string>> team_nodes;
  std::map<std::string, std::string> node_team;
  for (const auto& t : sc.teams) {
    team_name[t.id] = t.name;
    if (t.role != TeamRole::player)
      continue;
    players.push_back(t.id);
    for (Index n : t.asset_nodes) {
      team_nodes[t.id].insert(sc.nodes[n].id);
      node_team.emplace(sc.nodes[n].id, t.id);
    }
  }
  std::map<std::string, const Capability*> capability;
  std::map<std::string, std::string> task_capability;
  for (const auto& c : sc.capabilities) {
    capability[c.id] = &c;
    for (const auto& t : c.critical_tasks)
      task_capability[t.id] = c.id;
  }
  std::map<std::string, const Objective*> objective;
  for (const auto& o : sc.objectives)
    objective[o.id] = &o;
  auto applies = [&](const Objective& o, const std::string& team) {
    return o.teams.empty() || std::find(o.teams.begin(), o.teams.end(), team) != o.teams.end();
  };

  Json aar;
  aar["report"] = "cyberex after-action report and improvement plan";
  aar["format"] = 1;

  // -------------------------------------------------------------------------------------------------------------
  // Team commands (the responses)
  struct Response {
    double time;
    std::string team, type, summary;
    std::size_t index;
  };
  std::vector<Response> responses;
  for (const auto& c : jn.commands) {
    Json cmd = Json::parse(c.command, nullptr, false);
    if (!cmd.is_object())
      continue;
    const std::string type = str(cmd, "type");
    if (type != "action" && type != "message" && type != "sitrep" && type != "assess")
      continue;
    const std::string team = c.who.role == Role::player ? c.who.team : str(cmd, "team");
    if (team.empty())
      continue;
    responses.push_back({c.time, team, type, command_summary(cmd), c.index});
  }

  // -------------------------------------------------------------------------------------------------------------
  // Overview
  {
    Json o;
    o["exercise"] = sc.exercise.id;
    o["title"] = sc.exercise.title;
    o["description"] = sc.exercise.description;
    o["date"] = start.substr(0, std::min<std::size_t>(10, start.size()));
    o["start"] = clock_text(start, 0);
    o["timezone"] = sc.exercise.timezone;
    o["scheduled_duration"] = round3(sc.exercise.duration);
    o["played"] = round3(end);
    o["complete"] = jn.end.has_value();
    std::string reason;
    for (const auto& r : recs)
      if (r.type == RecordType::clock && str(r.details, "state") == "ended")
        reason = str(r.details, "reason");
    o["ended"] = jn.end ? (reason.empty() ? jn.end->state : reason) : "journal has no end line";
    o["scenario"] = in.scenario_path;
    o["scenario_hash"] = jn.header.scenario_hash;
    o["scenario_hash_matches"] = in.hash_matches;
    o["scenario_changes"] = in.changes;
    o["seed"] = jn.header.seed;
    o["cyberex_version"] = jn.header.version;
    o["origin"] = jn.header.origin;
    o["journal"] = in.journal_name;
    o["commands"] = jn.commands.size();
    o["records"] = jn.records.size();
    Json moves = Json::array();
    for (const auto& m : sc.exercise.moves)
      moves.push_back({{"id", m.id},
                       {"title", m.title},
                       {"offset", round3(m.offset)},
                       {"start", clock.text(m.offset)},
                       {"situation_time", m.situation_time},
                       {"situation", clock.date_time(m.offset)},
                       {"description", m.description}});
    o["moves"] = std::move(moves);
    Json parts = Json::array();
    for (const auto& t : sc.teams) {
      std::string org, country, sector;
      for (const auto& g : sc.organisations)
        if (g.id == t.organisation) {
          org = g.name;
          country = g.country;
          sector = g.sector;
        }
      parts.push_back({{"team", t.id},
                       {"name", t.name},
                       {"role", to_string(t.role)},
                       {"organisation", org},
                       {"country", country},
                       {"sector", sector}});
    }
    o["participants"] = std::move(parts);
    std::set<std::string> sectors;
    for (const auto& g : sc.organisations)
      if (!g.sector.empty())
        sectors.insert(g.sector);
    int tasks = 0, expectations = 0;
    for (const auto& c : sc.capabilities)
      tasks += static_cast<int>(c.critical_tasks.size());
    for (const auto& i : sc.msel)
      expectations += static_cast<int>(i.expectations.size());
    std::set<std::string> delivered, activated;
    for (const auto& r : recs) {
      if (r.kind == RecordKind::delivery && r.type == RecordType::inject)
        delivered.insert(str(r.details, "inject"));
      if (r.type == RecordType::expectation_active)
        activated.insert(str(r.details, "expectation") + "/" + str(r.details, "team"));
    }
    Json scope;
    scope["sectors"] = sectors;
    scope["organisations"] = sc.organisations.size();
    scope["player_teams"] = players.size();
    scope["nodes"] = sc.nodes.size();
    scope["services"] = sc.services.size();
    scope["campaigns"] = sc.campaigns.size();
    scope["capabilities"] = sc.capabilities.size();
    scope["critical_tasks"] = tasks;
    scope["objectives"] = sc.objectives.size();
    scope["injects_planned"] = sc.msel.size();
    scope["injects_delivered"] = delivered.size();
    scope["expectations_planned"] = expectations;
    scope["expectations_activated"] = activated.size();
    scope["team_responses"] = responses.size();
    o["scope"] = std::move(scope);
    aar["overview"] = std::move(o);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Expectations (latest state per expectation and team)
  std::map<std::string, Json> expectations; // "inject/expectation/team" -> record
  std::vector<std::string> expectation_order;
  for (const auto& r : recs) {
    if (r.type != RecordType::expectation_active && r.type != RecordType::expectation_met &&
        r.type != RecordType::expectation_missed && r.type != RecordType::expectation_not_applicable)
      continue;
    const std::string key =
        str(r.details, "inject") + "/" + str(r.details, "expectation") + "/" + str(r.details, "team");
    if (!expectations.count(key))
      expectation_order.push_back(key);
    Json e;
    e["expectation"] = str(r.details, "expectation");
    e["team"] = str(r.details, "team");
    e["inject"] = str(r.details, "inject");
    e["objective"] = str(r.details, "objective");
    e["critical_task"] = str(r.details, "critical_task");
    e["description"] = str(r.details, "description");
    e["status"] = str(r.details, "status");
    e["activated"] = num(r.details, "activated");
    e["deadline"] = num(r.details, "deadline");
    e["decided"] = r.type == RecordType::expectation_active ? Json(nullptr) : Json(num(r.details, "decided"));
    e["by"] = str(r.details, "by");
    expectations[key] = std::move(e);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Ratings (latest per team, objective and critical task)
  std::map<std::string, Json> latest_rating; // "objective/critical_task/team"
  for (const auto& r : recs)
    if (r.type == RecordType::rating) {
      Json x;
      x["team"] = str(r.details, "team");
      x["objective"] = str(r.details, "objective");
      x["critical_task"] = str(r.details, "critical_task");
      x["rating"] = str(r.details, "rating");
      x["text"] = str(r.details, "text");
      x["time"] = round3(r.time);
      x["clock"] = clock.text(r.time);
      x["by"] = str(r.details, "by");
      latest_rating[str(r.details, "objective") + "/" + str(r.details, "critical_task") + "/" +
                    str(r.details, "team")] = std::move(x);
    }

  // -------------------------------------------------------------------------------------------------------------
  // Objectives
  {
    Json objs = Json::array();
    for (const auto& o : sc.objectives) {
      Json j;
      j["id"] = o.id;
      j["title"] = o.title;
      j["description"] = o.description;
      j["capability"] = o.capability;
      j["capability_name"] = capability.count(o.capability) ? capability[o.capability]->name : o.capability;
      j["weight"] = o.weight;
      j["metrics"] = o.metrics;
      Json tasks = Json::array();
      for (const auto& t : o.critical_tasks) {
        std::string desc;
        for (const auto& c : sc.capabilities)
          for (const auto& ct : c.critical_tasks)
            if (ct.id == t)
              desc = ct.description;
        tasks.push_back({{"id", t}, {"description", desc}});
      }
      j["critical_tasks"] = std::move(tasks);
      Json teams = Json::array();
      Json ratings = Json::array();
      Json team_ratings = Json::array();
      for (const auto& team : players) {
        if (!applies(o, team))
          continue;
        teams.push_back(team);
        double sum = 0;
        int n = 0;
        std::vector<std::string> keys{""};
        keys.insert(keys.end(), o.critical_tasks.begin(), o.critical_tasks.end());
        for (const auto& ct : keys) {
          auto it = latest_rating.find(o.id + "/" + ct + "/" + team);
          if (it == latest_rating.end())
            continue;
          ratings.push_back(it->second);
          sum += rating_value(it->second["rating"].get<std::string>());
          ++n;
        }
        if (n > 0)
          team_ratings.push_back(
              {{"team", team}, {"value", round3(sum / n)}, {"rating", rating_letter(sum / n)}, {"ratings", n}});
      }
      j["teams"] = std::move(teams);
      j["ratings"] = std::move(ratings);
      j["team_ratings"] = std::move(team_ratings);
      int met = 0, missed = 0, pending = 0, not_applicable = 0;
      for (const auto& [k, e] : expectations)
        if (e["objective"] == o.id) {
          const std::string s = e["status"].get<std::string>();
          met += s == "met";
          missed += s == "missed";
          pending += s == "pending";
          not_applicable += s == "not_applicable";
        }
      j["expectations"] = {{"met", met}, {"missed", missed}, {"pending", pending}, {"not_applicable", not_applicable}};
      objs.push_back(std::move(j));
    }
    aar["objectives"] = std::move(objs);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Injects against responses
  {
    Json injects = Json::array();
    std::map<std::string, std::string> release_reason;
    for (const auto& r : recs) {
      if (r.type == RecordType::inject_released)
        release_reason[str(r.details, "inject")] = str(r.details, "reason");
      if (r.kind != RecordKind::delivery || r.type != RecordType::inject)
        continue;
      const std::string id = str(r.details, "inject");
      Json j;
      j["inject"] = id;
      j["time"] = round3(r.time);
      j["clock"] = clock.text(r.time);
      std::string move;
      for (const auto& m : sc.exercise.moves)
        if (m.offset <= r.time)
          move = m.id;
      j["move"] = move;
      j["type"] = str(r.details, "type");
      j["channel"] = str(r.details, "channel");
      j["from"] = str(r.details, "from");
      j["title"] = str(r.details, "title");
      j["reason"] = release_reason.count(id) ? release_reason[id] : "";
      Json to = Json::array();
      if (r.details.contains("to") && r.details["to"].is_array())
        for (const auto& t : r.details["to"])
          if (t.is_string() && std::find(players.begin(), players.end(), t.get<std::string>()) != players.end())
            to.push_back(t);
      j["to"] = to;
      Json exps = Json::array();
      for (const auto& key : expectation_order)
        if (expectations[key]["inject"] == id)
          exps.push_back(expectations[key]);
      int met = 0, missed = 0, pending = 0, not_applicable = 0;
      for (const auto& e : exps) {
        met += e["status"] == "met";
        missed += e["status"] == "missed";
        pending += e["status"] == "pending";
        not_applicable += e["status"] == "not_applicable";
      }
      j["expectations_met"] = met;
      j["expectations_missed"] = missed;
      j["expectations_pending"] = pending;
      j["expectations_not_applicable"] = not_applicable;
      j["expectations"] = std::move(exps);
      Json first = Json::array();
      for (const auto& t : to) {
        const Response* best = nullptr;
        for (const auto& resp : responses)
          if (resp.team == t.get<std::string>() && resp.time >= r.time) {
            best = &resp;
            break;
          }
        if (best)
          first.push_back({{"team", best->team},
                           {"after", round3(best->time - r.time)},
                           {"time", round3(best->time)},
                           {"what", best->summary}});
        else
          first.push_back({{"team", t}, {"after", nullptr}, {"time", nullptr}, {"what", ""}});
      }
      j["first_responses"] = std::move(first);
      injects.push_back(std::move(j));
    }
    aar["injects"] = std::move(injects);
    // timed injects not delivered because their skip_if held when they were due (their expectations: not applicable)
    Json skipped = Json::array();
    for (const auto& r : recs)
      if (r.type == RecordType::inject_skipped) {
        const std::string id = str(r.details, "inject");
        const auto it = sc.inject_by_id.find(id);
        skipped.push_back({{"inject", id},
                           {"time", round3(r.time)},
                           {"clock", clock_text(start, r.time)},
                           {"title", it == sc.inject_by_id.end() ? std::string() : sc.msel[it->second].title}});
      }
    aar["skipped_injects"] = std::move(skipped);
    Json resp = Json::array();
    for (const auto& r : responses)
      resp.push_back({{"time", round3(r.time)},
                      {"clock", clock.text(r.time)},
                      {"team", r.team},
                      {"type", r.type},
                      {"what", r.summary}});
    aar["responses"] = std::move(resp);
    // what the teams told the public, as the world recorded it (public_statement records, folded)
    Json pub = Json::array();
    for (const auto& st : final_state.public_statements())
      pub.push_back({{"time", st.time},
                     {"clock", clock_text(start, st.time)},
                     {"team", st.team},
                     {"team_name", team_name.count(st.team) ? team_name[st.team] : st.team},
                     {"kind", st.kind},
                     {"text", st.text}});
    aar["public_communication"] = std::move(pub);
  }

  // -------------------------------------------------------------------------------------------------------------
  // The grid's cascade, in order: what opened or tripped, the islands, the loads shed and restored (docs/engine.md,
  // "Networked grids"; a copper plate's unit trips too)
  {
    auto fmt = [](double v) {
      char b[32];
      std::snprintf(b, sizeof b, "%.1f", v);
      return std::string(b);
    };
    auto tail = [](const std::string& subject) {
      const auto colon = subject.find(':');
      return colon == std::string::npos ? subject : subject.substr(colon + 1);
    };
    Json cascade = Json::array();
    for (const auto& r : recs) {
      const Json& d = r.details;
      std::string what;
      switch (r.type) {
      case RecordType::unit_tripped:
        what = tail(r.subject) + " tripped from " + str(d, "by");
        break;
      case RecordType::breaker_opened:
        what = "breaker of " + tail(r.subject) + " opened from " + str(d, "by");
        break;
      case RecordType::branch_tripped:
        what = tail(r.subject) + " tripped by its protection: " + fmt(std::abs(num(d, "flow_mw"))) + " MW, " +
               fmt(num(d, "loading_pct")) + " % of its rating for " + fmt(num(d, "delay")) + " s";
        break;
      case RecordType::island_formed:
      case RecordType::island_merged:
        what = std::string(r.type == RecordType::island_formed ? "island formed: " : "islands merged: ") +
               std::to_string(d.contains("buses") && d["buses"].is_array() ? d["buses"].size() : 0) + " buses, " +
               fmt(num(d, "generation_mw")) + " MW of generation, " + fmt(num(d, "load_mw")) + " MW of load, " +
               fmt(num(d, "shed_mw")) + " MW shed";
        break;
      case RecordType::load_shed:
        what = tail(r.subject) + " shed (" + str(d, "cause") + "): " + fmt(num(d, "mw")) + " MW";
        break;
      case RecordType::load_restored:
        if (r.subject.rfind("load:", 0) == 0)
          what = tail(r.subject) + " restored: " + fmt(num(d, "mw")) + " MW";
        break;
      case RecordType::setpoint_changed:
        what = tail(r.subject) + " setpoint moved to " + fmt(num(d, "setpoint_mw")) + " MW from " + str(d, "by");
        break;
      case RecordType::breaker_closed:
        if (r.subject.rfind("branch:", 0) == 0)
          what = tail(r.subject) + " reclosed by " + str(d, "team");
        break;
      default:
        break;
      }
      if (!what.empty())
        cascade.push_back({{"time", round3(r.time)},
                           {"clock", clock_text(start, r.time)},
                           {"type", std::string(to_string(r.type))},
                           {"subject", r.subject},
                           {"what", what}});
    }
    aar["grid_cascade"] = std::move(cascade);
  }

  // -------------------------------------------------------------------------------------------------------------
  // KPIs and their series
  Json series = series_from_records(sc, jn.records, end);
  aar["kpis"] = series["kpis"];
  series.erase("kpis");
  aar["series"] = std::move(series);

  // -------------------------------------------------------------------------------------------------------------
  // Severity assessments
  std::map<std::string, std::map<std::string, Json>> team_assessment; // incident -> team -> latest
  std::map<std::string, Json> official;
  std::vector<std::string> incidents;
  for (const auto& r : recs) {
    if (r.type != RecordType::assessment && r.type != RecordType::official_assessment)
      continue;
    const std::string inc = str(r.details, "incident");
    if (std::find(incidents.begin(), incidents.end(), inc) == incidents.end())
      incidents.push_back(inc);
    if (r.type == RecordType::official_assessment)
      official[inc] = {{"score", num(r.details, "score")},
                       {"time", round3(r.time)},
                       {"levels", r.details.contains("levels") ? r.details["levels"] : Json(nullptr)}};
    else
      team_assessment[inc][str(r.details, "team")] = {
          {"team", str(r.details, "team")}, {"score", num(r.details, "score")}, {"time", round3(r.time)}};
  }
  {
    Json out = Json::array();
    for (const auto& inc : incidents) {
      Json j;
      j["incident"] = inc;
      j["official"] = official.count(inc) ? official[inc]["score"] : Json(nullptr);
      j["official_time"] = official.count(inc) ? official[inc]["time"] : Json(nullptr);
      j["official_levels"] = official.count(inc) ? official[inc]["levels"] : Json(nullptr);
      Json teams = Json::array();
      for (const auto& team : players) {
        auto it = team_assessment[inc].find(team);
        if (it == team_assessment[inc].end())
          continue;
        Json t = it->second;
        t["difference"] =
            official.count(inc)
                ? Json(std::round((t["score"].get<double>() - official[inc]["score"].get<double>()) * 100) / 100)
                : Json(nullptr);
        teams.push_back(std::move(t));
      }
      j["teams"] = std::move(teams);
      out.push_back(std::move(j));
    }
    aar["assessments"] = std::move(out);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Per-team results and the leaderboard
  {
    Json board = Json::array();
    for (const auto& r : recs)
      if (r.type == RecordType::leaderboard && r.details.contains("teams") && r.details["teams"].is_array())
        board = r.details["teams"];
    Json lb = Json::array();
    for (const auto& e : board) {
      if (!e.is_object())
        continue; // a journal's record: any JSON may stand there
      // the fields the renderers read, each present (null when the record lacks it)
      Json x = Json::object();
      for (const char* k : {"rank", "team", "total", "expectations", "ratings", "metrics"})
        x[k] = e.contains(k) ? e[k] : Json(nullptr);
      x["name"] = team_name[str(e, "team")];
      lb.push_back(std::move(x));
    }
    aar["leaderboard"] = lb;

    Json teams = Json::array();
    for (const auto& team : players) {
      Json t;
      t["team"] = team;
      t["name"] = team_name[team];
      for (const auto& e : board)
        if (str(e, "team") == team)
          for (const char* k : {"rank", "total", "expectations", "ratings", "metrics"})
            t[k] = e.contains(k) ? e[k] : Json(nullptr);
      int met = 0, missed = 0, pending = 0;
      Json missed_list = Json::array(), not_applicable = Json::array();
      for (const auto& key : expectation_order) {
        const Json& e = expectations[key];
        if (e["team"] != team)
          continue;
        const std::string s = e["status"].get<std::string>();
        met += s == "met";
        pending += s == "pending";
        if (s == "not_applicable")
          not_applicable.push_back(
              {{"expectation", e["expectation"]}, {"description", e["description"]}, {"by", e["by"]}});
        if (s == "missed") {
          ++missed;
          missed_list.push_back({{"expectation", e["expectation"]},
                                 {"description", e["description"]},
                                 {"deadline", e["deadline"]},
                                 {"critical_task", e["critical_task"]}});
        }
      }
      t["expectations_met"] = met;
      t["expectations_missed"] = missed;
      t["expectations_pending"] = pending;
      t["expectations_not_applicable"] = not_applicable.size();
      t["missed"] = std::move(missed_list);
      t["not_applicable"] = std::move(not_applicable);
      int injects = 0, actions = 0, messages = 0, shared = 0, sitreps = 0, assessments = 0;
      for (const auto& r : recs)
        if (r.kind == RecordKind::delivery && r.type == RecordType::inject && r.details.contains("to") &&
            r.details["to"].is_array())
          for (const auto& x : r.details["to"])
            injects += x == team;
      for (const auto& c : jn.commands) {
        Json cmd = Json::parse(c.command, nullptr, false);
        const std::string who = c.who.role == Role::player ? c.who.team : str(cmd, "team");
        if (who != team || !cmd.is_object())
          continue;
        const std::string type = str(cmd, "type");
        actions += type == "action";
        sitreps += type == "sitrep";
        assessments += type == "assess";
        if (type == "message") {
          ++messages;
          shared += cmd.contains("indicators") && cmd["indicators"].is_array()
                        ? static_cast<int>(cmd["indicators"].size())
                        : 0;
        }
      }
      t["injects_received"] = injects;
      t["actions"] = actions;
      t["messages"] = messages;
      t["indicators_shared"] = shared;
      t["sitreps"] = sitreps;
      t["assessments"] = assessments;
      // ground truth on the team's assets: the state's (the same facts its metrics are computed from)
      const TeamFacts f = final_state.team_facts(team);
      t["nodes_compromised"] = f.nodes_compromised;
      t["first_compromise"] = f.first_compromise < NEVER ? Json(round3(f.first_compromise)) : Json(nullptr);
      t["first_true_alert"] = f.first_true_alert < NEVER ? Json(round3(f.first_true_alert)) : Json(nullptr);
      t["time_to_detect"] = f.first_compromise < NEVER && f.first_true_alert < NEVER
                                ? Json(round3(f.first_true_alert - f.first_compromise))
                                : Json(nullptr);
      t["data_exfiltrated_mb"] = round3(f.exfiltrated / 1e6);
      Json counts = {{"P", 0}, {"S", 0}, {"M", 0}, {"U", 0}};
      for (const auto& [k, x] : latest_rating)
        if (x["team"] == team)
          counts[x["rating"].get<std::string>()] = counts[x["rating"].get<std::string>()].get<int>() + 1;
      t["ratings_count"] = std::move(counts);
      teams.push_back(std::move(t));
    }
    aar["teams"] = std::move(teams);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Observations and the improvement plan
  {
    Json strengths = Json::array(), afis = Json::array(), notes = Json::array(), plan = Json::array();
    for (const auto& r : recs) {
      if (r.type != RecordType::observation)
        continue;
      const std::string text = str(r.details, "text");
      Json o;
      o["time"] = round3(r.time);
      o["clock"] = clock.text(r.time);
      o["by"] = str(r.details, "by");
      o["team"] = str(r.details, "team");
      o["objective"] = str(r.details, "objective");
      o["critical_task"] = str(r.details, "critical_task");
      std::string cap = task_capability.count(str(r.details, "critical_task"))
                            ? task_capability[str(r.details, "critical_task")]
                            : "";
      if (cap.empty() && objective.count(str(r.details, "objective")))
        cap = objective[str(r.details, "objective")]->capability;
      o["capability"] = cap;
      o["capability_name"] = capability.count(cap) ? capability[cap]->name : cap;
      // the kind sent with the observation, else the one its text starts with ("Strength:", "Area for
      // improvement:", "Note:"; anything else is a note); a kind sent leaves the text as written
      std::string kind = str(r.details, "kind");
      std::string body = text;
      bool prefixed = false;
      if (kind.empty()) {
        const std::pair<std::string, const char*> prefixes[] = {
            {"Strength:", "strength"}, {"Area for improvement:", "improvement"}, {"Note:", "note"}};
        kind = "note";
        for (const auto& [prefix, k] : prefixes)
          if (text.rfind(prefix, 0) == 0) {
            kind = k;
            body = text.substr(prefix.size());
            prefixed = true;
          }
      }
      if (kind == "strength") {
        o["text"] = sentence(trim(body));
        strengths.push_back(std::move(o));
      } else if (kind == "improvement") {
        std::string issue;
        auto m = split_markers(body, {"Corrective action", "Element", "Due"}, issue);
        o["text"] = sentence(issue);
        Json p;
        p["item"] = static_cast<int>(plan.size()) + 1;
        p["capability"] = o["capability_name"];
        p["objective"] = o["objective"];
        p["critical_task"] = o["critical_task"];
        p["issue"] = sentence(issue);
        p["corrective_action"] = m.count("Corrective action")
                                     ? sentence(m["Corrective action"])
                                     : "Review and exercise the critical task " + str(r.details, "critical_task");
        std::string element = m.count("Element") ? m["Element"] : "Training";
        if (!element.empty() && element.back() == '.')
          element.pop_back();
        p["element"] = element;
        p["responsible"] = o["team"].get<std::string>().empty() ? "White Cell" : o["team"];
        p["start"] = date_after(start, 14);
        p["completion"] = m.count("Due") ? m["Due"] : date_after(start, 90);
        p["observed"] = o["clock"];
        plan.push_back(std::move(p));
        o["corrective_action"] = plan.back()["corrective_action"];
        afis.push_back(std::move(o));
      } else {
        o["text"] = sentence(prefixed ? trim(body) : body);
        notes.push_back(std::move(o));
      }
    }
    aar["observations"] = {{"strengths", strengths}, {"areas_for_improvement", afis}, {"notes", notes}};
    aar["improvement_plan"] = std::move(plan);
  }

  aar["attack"] = attack_coverage(in);

  aar["warnings"] = in.warnings;
  return aar;
}

} // namespace cyberex::report
