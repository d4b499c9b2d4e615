/* STIX 2.1 bundle of a journaled exercise (docs/interchange.md, "STIX 2.1 export"): the scenario's organisations,
 * teams, adversary, campaigns, ATT&CK techniques and indicators, and from the journal the teams' detections and
 * reports (sightings) and the mitigations they applied (courses of action). Ids are UUIDv5 of stable keys and every
 * timestamp is exercise time, so one journal gives the same bytes. */
#include "common/civil_date.hpp"
#include "report/aar.hpp"
#include "report/stix.hpp"

#include "cyberex/attack_catalog.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

namespace cyberex::report {
namespace {

/// The exercise clock in UTC: the scenario's start (local time in its time zone) plus exercise seconds.
class ExerciseClock {
public:
  ExerciseClock(const Exercise& exercise, std::vector<std::string>& warnings)
  {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    const int n = std::sscanf(exercise.start.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s);
    if (n < 5) {
      warnings.push_back("stix: the exercise has no start date and time (\"exercise\"/\"start\"): timestamps count "
                         "from 1970-01-01T00:00:00Z");
      return;
    }
    const long long local = (static_cast<long long>(days_from_civil(y, mo, d)) * 86400) + h * 3600 + mi * 60 + s;
    start_ = static_cast<double>(local);
    if (exercise.timezone.empty())
      return; // a start without a time zone is taken as UTC (docs/interchange.md)
    if (!std::filesystem::exists(std::filesystem::path("/usr/share/zoneinfo") / exercise.timezone)) {
      warnings.push_back("stix: time zone \"" + exercise.timezone +
                         "\" is not in this system's tz database (/usr/share/zoneinfo): the exercise start is "
                         "taken as UTC");
      return;
    }
    // The C library's tz database does the local-to-UTC conversion; TZ is restored right after.
    const char* old = std::getenv("TZ");
    const std::string saved = old ? old : "";
    ::setenv("TZ", exercise.timezone.c_str(), 1);
    ::tzset();
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    const std::time_t utc = std::mktime(&tm);
    if (old)
      ::setenv("TZ", saved.c_str(), 1);
    else
      ::unsetenv("TZ");
    ::tzset();
    if (utc != static_cast<std::time_t>(-1))
      start_ = static_cast<double>(utc);
  }

  /// "2011-11-03T08:10:00.000Z": the exercise start plus `seconds`, to the millisecond.
  std::string at(double seconds) const
  {
    const long long ms = std::llround((start_ + seconds) * 1000.0);
    long long secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    const int milli = static_cast<int>(ms - secs * 1000);
    long long days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    long long rest = secs - days * 86400;
    // civil from days (H. Hinnant)
    days += 719468;
    const long long era = (days >= 0 ? days : days - 146096) / 146097;
    const long long doe = days - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long long mp = (5 * doy + 2) / 153;
    const long long d = doy - (153 * mp + 2) / 5 + 1;
    const long long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03dZ", y, m, d, rest / 3600,
                  (rest / 60) % 60, rest % 60, milli);
    return buf;
  }

private:
  double start_ = 0; ///< seconds since 1970-01-01T00:00:00Z
};

/// STIX industry sectors (industry-sector-ov) of the scenario's sectors.
std::string sector_of(const std::string& sector)
{
  static const std::map<std::string, std::string> sectors{{"government", "government"},
                                                          {"energy", "energy"},
                                                          {"telecom", "telecommunications"},
                                                          {"finance", "financial-services"},
                                                          {"water", "water"},
                                                          {"transport", "transportation"},
                                                          {"health", "healthcare"},
                                                          {"defence", "defense"},
                                                          {"defense", "defense"},
                                                          {"education", "education"},
                                                          {"manufacturing", "manufacturing"}};
  const auto it = sectors.find(sector);
  return it == sectors.end() ? std::string() : it->second;
}

std::string technique_url(const std::string& id)
{
  std::string path = id;
  std::replace(path.begin(), path.end(), '.', '/');
  return "https://attack.mitre.org/techniques/" + path + "/";
}

/// The bundle being built: objects in order, each id once.
class Bundle {
public:
  explicit Bundle(const ExerciseClock& clock) : clock_(clock) {}

  /// A new object with the common properties; `key` names it stably ("campaign:apt-de").
  Json make(const std::string& type, const std::string& key, double created, double modified) const
  {
    Json o;
    o["type"] = type;
    o["spec_version"] = "2.1";
    o["id"] = stix::object_id(type, key);
    o["created"] = clock_.at(created);
    o["modified"] = clock_.at(modified);
    return o;
  }
  void add(Json o)
  {
    const std::string id = o["id"].get<std::string>();
    if (ids_.insert(id).second)
      objects_.push_back(std::move(o));
  }
  bool has(const std::string& id) const { return ids_.count(id) > 0; }
  /// A relationship; `extra` adds properties (a custom x_cyberex_ one).
  void relate(const std::string& source, const std::string& type, const std::string& target, double created,
              const Json& extra = Json::object())
  {
    if (!has(source) || !has(target))
      return;
    Json r = make("relationship", "relationship:" + source + "|" + type + "|" + target, created, created);
    r["relationship_type"] = type;
    r["source_ref"] = source;
    r["target_ref"] = target;
    for (const auto& [key, value] : extra.items())
      r[key] = value;
    relationships_.push_back(std::move(r));
  }
  std::string text(const std::string& bundle_key)
  {
    Json b;
    b["type"] = "bundle";
    b["id"] = stix::object_id("bundle", bundle_key);
    Json objects = Json::array();
    for (auto& o : objects_)
      objects.push_back(std::move(o));
    for (auto& r : relationships_)
      if (ids_.insert(r["id"].get<std::string>()).second)
        objects.push_back(std::move(r));
    for (auto& s : sightings_)
      objects.push_back(std::move(s));
    b["objects"] = std::move(objects);
    return b.dump(2) + "\n";
  }
  void sighting(Json s) { sightings_.push_back(std::move(s)); }

private:
  const ExerciseClock& clock_;
  std::vector<Json> objects_, relationships_, sightings_;
  std::set<std::string> ids_;
};

/// What a team saw of one STIX object (alerts) or reported of it (messages).
struct Seen {
  double first = 0, last = 0;
  int count = 0;
};

} // namespace

std::string render_stix(const Json&, const Loaded& in, std::vector<std::string>& warnings)
{
  const Scenario& sc = in.scenario;
  const ExerciseClock clock(sc.exercise, warnings);
  const AttackCatalog& catalog = AttackCatalog::shipped();
  Bundle bundle(clock);
  const auto id = [](const std::string& type, const std::string& key) { return stix::object_id(type, key); };

  // identities: organisations, then teams
  for (const auto& org : sc.organisations) {
    Json o = bundle.make("identity", "organisation:" + org.id, 0, 0);
    o["name"] = org.name.empty() ? org.id : org.name;
    o["description"] =
        "Organisation '" + org.id + "' of the exercise" + (org.country.empty() ? "" : " (" + org.country + ")");
    o["identity_class"] = "organization";
    if (const std::string s = sector_of(org.sector); !s.empty())
      o["sectors"] = Json::array({s});
    o["x_cyberex_id"] = org.id;
    bundle.add(std::move(o));
  }
  for (const auto& team : sc.teams) {
    Json o = bundle.make("identity", "team:" + team.id, 0, 0);
    o["name"] = team.name.empty() ? team.id : team.name;
    std::string description = "Team '" + team.id + "' (" + to_string(team.role) + ")";
    if (team.organisation_index != NO_INDEX)
      description += " of " + sc.organisations[static_cast<std::size_t>(team.organisation_index)].name;
    o["description"] = description;
    o["identity_class"] = "group";
    o["roles"] = Json::array({to_string(team.role)});
    o["x_cyberex_id"] = team.id;
    bundle.add(std::move(o));
  }

  // the campaigns' records: when each was first and last seen
  std::map<std::string, std::pair<double, double>> campaign_seen;
  for (const auto& r : in.journal.records) {
    if (r.type != RecordType::campaign_started && r.type != RecordType::step_started &&
        r.type != RecordType::step_attempt && r.type != RecordType::step_succeeded &&
        r.type != RecordType::step_failed && r.type != RecordType::campaign_finished &&
        r.type != RecordType::campaign_stopped)
      continue;
    const Json j = Json::parse(r.json, nullptr, false);
    const std::string campaign = strip(str(j, "subject"), "campaign:");
    auto [it, fresh] = campaign_seen.try_emplace(campaign, r.time, r.time);
    if (!fresh)
      it->second.second = r.time;
  }

  // intrusion sets: one per actor the campaigns name
  const std::string unnamed = "adversary of " + (sc.exercise.title.empty() ? sc.exercise.id : sc.exercise.title);
  for (const auto& c : sc.campaigns) {
    const std::string actor = c.actor.empty() ? unnamed : c.actor;
    Json o = bundle.make("intrusion-set", "intrusion-set:" + actor, 0, 0);
    o["name"] = actor;
    o["description"] =
        "The adversary of the exercise" + (c.actor.empty() ? std::string(" (its campaigns name no actor)") : "");
    bundle.add(std::move(o));
  }

  // attack patterns: every technique of the campaigns and of the alerts, by id
  std::set<std::string> techniques;
  for (const auto& c : sc.campaigns)
    for (const auto& s : c.steps)
      techniques.insert(s.technique);
  for (const auto& r : in.journal.records)
    if (r.type == RecordType::alert) {
      const Json j = Json::parse(r.json, nullptr, false);
      const Json details = j.is_object() && j.contains("details") ? j["details"] : Json::object();
      if (catalog.find(str(details, "technique")))
        techniques.insert(str(details, "technique"));
    }
  for (const auto& tid : techniques) {
    const Technique* t = catalog.find(tid);
    Json o = bundle.make("attack-pattern", "attack-pattern:" + tid, 0, 0);
    o["name"] = t ? t->name : tid;
    const bool ics = t && t->domain == "ics";
    Json ref;
    ref["source_name"] = ics ? "mitre-ics-attack" : "mitre-attack";
    ref["external_id"] = tid;
    ref["url"] = technique_url(tid);
    o["external_references"] = Json::array({ref});
    if (t && !t->tactics.empty()) {
      Json phases = Json::array();
      for (const auto& tactic : t->tactics)
        phases.push_back(Json{{"kill_chain_name", ics ? "mitre-ics-attack" : "mitre-attack"}, {"phase_name", tactic}});
      o["kill_chain_phases"] = std::move(phases);
    }
    if (!t)
      warnings.push_back("stix: technique " + tid +
                         " is not in the shipped ATT&CK catalog: its attack-pattern has "
                         "no name or tactics");
    bundle.add(std::move(o));
  }

  // campaigns
  for (const auto& c : sc.campaigns) {
    const auto seen = campaign_seen.find(c.id);
    const double modified = seen == campaign_seen.end() ? 0 : seen->second.second;
    Json o = bundle.make("campaign", "campaign:" + c.id, 0, modified);
    o["name"] = c.name.empty() ? c.id : c.name;
    if (!c.description.empty())
      o["description"] = c.description;
    if (seen != campaign_seen.end()) {
      o["first_seen"] = clock.at(seen->second.first);
      o["last_seen"] = clock.at(seen->second.second);
    }
    o["x_cyberex_id"] = c.id;
    bundle.add(std::move(o));
  }

  // indicators
  for (const auto& ind : sc.indicators) {
    std::string why;
    const auto pattern = stix::pattern_of(ind, why);
    if (!pattern) {
      warnings.push_back("stix: indicator '" + ind.id + "' (" + to_string(ind.type) + " " + ind.value +
                         ") is not exported: " + why);
      continue;
    }
    Json o = bundle.make("indicator", "indicator:" + ind.id, 0, 0);
    o["name"] = ind.id;
    o["description"] = std::string("cyberex indicator '") + ind.id + "' (" + to_string(ind.type) + ")";
    o["indicator_types"] = Json::array({"malicious-activity"});
    o["pattern"] = *pattern;
    o["pattern_type"] = "stix";
    o["pattern_version"] = "2.1";
    o["valid_from"] = clock.at(0);
    o["x_cyberex_id"] = ind.id;
    bundle.add(std::move(o));
  }

  // mitigations: the teams' actions (public statements are no mitigation)
  std::vector<std::pair<std::string, std::string>> mitigates; // (course of action, indicator)
  for (const auto& r : in.journal.records) {
    if (r.type != RecordType::action_started)
      continue;
    const Json j = Json::parse(r.json, nullptr, false);
    const std::string team = strip(str(j, "subject"), "team:");
    const Json details = j.is_object() && j.contains("details") ? j["details"] : Json::object();
    const std::string action = str(details, "action");
    if (action == "public_statement" || action.empty())
      continue;
    std::string object;
    for (const char* key : {"target", "indicator", "service", "vulnerability"})
      if (!str(details, key).empty())
        object += (object.empty() ? "" : " ") + str(details, key);
    const std::string key = "course-of-action:" + team + ":" + action + ":" + object;
    Json o = bundle.make("course-of-action", key, r.time, r.time);
    o["name"] = action + (object.empty() ? "" : " " + object);
    o["description"] = "Team '" + team + "' applied " + action + (object.empty() ? "" : " to " + object) + " at " +
                       duration_text(r.time) + " of exercise time";
    o["created_by_ref"] = id("identity", "team:" + team);
    if (!bundle.has(o["created_by_ref"].get<std::string>()))
      o.erase("created_by_ref");
    mitigates.emplace_back(o["id"].get<std::string>(), action == "block" ? str(details, "indicator") : "");
    bundle.add(std::move(o));
  }

  // relationships
  for (const auto& c : sc.campaigns) {
    const std::string cid = id("campaign", "campaign:" + c.id);
    bundle.relate(cid, "attributed-to", id("intrusion-set", "intrusion-set:" + (c.actor.empty() ? unnamed : c.actor)),
                  0);
    // the tactics the campaign's steps mean each technique for (the scenario's "tactic", else the catalog's), so
    // that an import puts the steps back in the planner's kill-chain order
    std::vector<std::string> used;
    std::map<std::string, std::vector<std::string>> tactics;
    for (const auto& s : c.steps) {
      if (std::find(used.begin(), used.end(), s.technique) == used.end())
        used.push_back(s.technique);
      auto& list = tactics[s.technique];
      for (const auto& t : s.tactic.empty() ? catalog.tactics_of(s.technique) : std::vector<std::string>{s.tactic})
        if (std::find(list.begin(), list.end(), t) == list.end())
          list.push_back(t);
    }
    for (const auto& t : used) {
      Json extra = Json::object();
      if (!tactics[t].empty())
        extra["x_cyberex_tactics"] = tactics[t];
      bundle.relate(cid, "uses", id("attack-pattern", "attack-pattern:" + t), 0, extra);
    }
    std::vector<std::string> iocs = c.c2.indicators;
    for (const auto& s : c.steps)
      iocs.insert(iocs.end(), s.indicators.begin(), s.indicators.end());
    std::set<std::string> indicated;
    for (const auto& i : iocs)
      if (indicated.insert(i).second)
        bundle.relate(id("indicator", "indicator:" + i), "indicates", cid, 0);
    std::set<Index> orgs; // the organisations whose nodes the steps target, in scenario order
    for (const auto& s : c.steps)
      for (Index n : s.target_nodes) {
        const Node& node = sc.nodes[static_cast<std::size_t>(n)];
        if (node.kind != NodeKind::attacker && node.site_index != NO_INDEX) // the adversary's own hosts are no victim
          if (const Index o = sc.sites[static_cast<std::size_t>(node.site_index)].organisation_index; o != NO_INDEX)
            orgs.insert(o);
      }
    for (Index o : orgs)
      bundle.relate(cid, "targets", id("identity", "organisation:" + sc.organisations[static_cast<std::size_t>(o)].id),
                    0);
  }
  for (const auto& [coa, indicator] : mitigates)
    if (!indicator.empty())
      bundle.relate(coa, "mitigates", id("indicator", "indicator:" + indicator), 0);

  // sightings: the alerts each team received (of an indicator, else of the technique) and the indicators each team
  // reported in its messages
  std::map<std::pair<std::string, std::string>, Seen> alerts, reports; // (team, STIX id) -> seen
  std::vector<std::pair<std::string, std::string>> alert_order, report_order;
  int tactic_only = 0;
  const auto note = [](auto& seen, auto& order, const std::string& team, const std::string& object, double t) {
    auto [it, fresh] = seen.try_emplace({team, object});
    if (fresh) {
      it->second.first = t;
      order.emplace_back(team, object);
    }
    it->second.last = t;
    ++it->second.count;
  };
  for (const auto& r : in.journal.records) {
    if (r.type != RecordType::alert && !(r.type == RecordType::message && r.kind == RecordKind::delivery))
      continue;
    const Json j = Json::parse(r.json, nullptr, false);
    const Json details = j.is_object() && j.contains("details") ? j["details"] : Json::object();
    std::vector<std::string> objects;
    if (details.contains("indicators") && details["indicators"].is_array())
      for (const auto& i : details["indicators"])
        if (i.is_string() && bundle.has(id("indicator", "indicator:" + i.get<std::string>())))
          objects.push_back(id("indicator", "indicator:" + i.get<std::string>()));
    if (r.type == RecordType::alert) {
      const std::string team = strip(str(j, "subject"), "team:");
      if (objects.empty() && catalog.find(str(details, "technique")))
        objects.push_back(id("attack-pattern", "attack-pattern:" + str(details, "technique")));
      if (objects.empty())
        ++tactic_only;
      for (const auto& o : objects)
        note(alerts, alert_order, team, o, r.time);
    } else {
      for (const auto& o : objects)
        note(reports, report_order, str(details, "from"), o, r.time);
    }
  }
  if (tactic_only > 0)
    warnings.push_back("stix: " + std::to_string(tactic_only) +
                       " alerts name neither an indicator nor an ATT&CK technique (a tactic only, or a false "
                       "positive): they have no sighting");
  const auto add_sightings = [&](const auto& seen, const auto& order, const char* what) {
    for (const auto& k : order) {
      const Seen& s = seen.at(k);
      const std::string team = id("identity", "team:" + k.first);
      if (!bundle.has(team))
        continue;
      Json o =
          bundle.make("sighting", std::string("sighting:") + what + ":" + k.first + ":" + k.second, s.first, s.last);
      o["description"] = std::string(what) == "alert"
                             ? "Alerts team '" + k.first + "' received"
                             : "Indicator team '" + k.first + "' reported in its messages to other teams";
      o["first_seen"] = clock.at(s.first);
      o["last_seen"] = clock.at(s.last);
      o["count"] = s.count;
      o["sighting_of_ref"] = k.second;
      o["where_sighted_refs"] = Json::array({team});
      o["created_by_ref"] = team;
      bundle.sighting(std::move(o));
    }
  };
  add_sightings(alerts, alert_order, "alert");
  add_sightings(reports, report_order, "report");

  return bundle.text("bundle:" + sc.exercise.id + ":" + in.journal_name);
}

} // namespace cyberex::report
