/* Reading a journal for the report, and the report's KPIs and their time series from the one fold (ExerciseState):
 * the same for the journal of the original and for the records of a what-if branch, so both are measured alike. */
#include "report/aar.hpp"

#include "cyberex/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace cyberex::report {

namespace {

std::string base_name(const std::string& path)
{
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

double round_to(double v, int decimals)
{
  const double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}

/// The report's KPI document from the one fold (ExerciseState): docs/after-action.md, "KPIs".
Json report_kpis(const ExerciseState& state, double end)
{
  const Scenario& sc = state.scenario();
  const Kpis k = state.kpis(end);
  Json j;
  j["time"] = round_to(end, 3);
  double total = 0;
  Json by = Json::object();
  for (std::size_t c = 0; c < sc.campaigns.size(); ++c) {
    const double b = k.campaigns[c].bytes_exfiltrated;
    total += b;
    const auto& steps = sc.campaigns[c].steps;
    if (std::any_of(steps.begin(), steps.end(), [](const Step& st) { return st.effect == StepEffect::exfiltrate; }))
      by[sc.campaigns[c].id] = round_to(b / 1e6, 3);
  }
  j["data_exfiltrated_mb"] = round_to(total / 1e6, 3);
  j["data_exfiltrated_label"] = exfiltrated_label(sc);
  j["exfiltrated_mb_by_campaign"] = by;
  j["nodes_compromised_max"] = k.compromised_max;
  j["nodes_compromised_end"] = k.compromised_end;
  j["nodes_ever_compromised"] = k.compromised_ever;
  j["mwh_lost"] = round_to(k.mwh_lost, 3);
  j["mw_lost_max"] = round_to(k.mw_lost_max, 3);
  double avail = 0, downtime = 0;
  for (const auto& v : k.services) {
    avail += v.availability;
    downtime += v.downtime;
  }
  j["availability_pct"] = round_to(k.services.empty() ? 100 : 100 * avail / static_cast<double>(k.services.size()), 3);
  j["service_downtime_h"] = round_to(downtime / 3600, 3);
  // per service, as run and play print it (one definition: ExerciseState, docs/after-action.md "KPIs")
  Json services = Json::array();
  for (const auto& v : k.services)
    services.push_back({{"service", v.id},
                        {"availability_pct", round_to(100 * v.availability, 3)},
                        {"measured", v.probed ? "probes" : "truth"},
                        {"degraded_s", round_to(v.degraded, 3)},
                        {"unavailable_s", round_to(v.unavailable, 3)},
                        {"downtime_s", round_to(v.downtime, 3)}});
  j["services"] = std::move(services);
  j["alerts_true"] = k.alerts_true;
  j["alerts_false"] = k.alerts_false;
  Json camps = Json::array();
  int detected = 0, contained = 0;
  for (const auto& c : k.campaigns) {
    Json e;
    e["campaign"] = c.id;
    e["time_to_detect"] = c.time_to_detect < NEVER ? Json(round_to(c.time_to_detect, 3)) : Json(nullptr);
    e["time_to_contain"] = c.time_to_contain < NEVER ? Json(round_to(c.time_to_contain, 3)) : Json(nullptr);
    e["first_impact"] = c.first_impact < NEVER ? Json(round_to(c.first_impact, 3)) : Json(nullptr);
    e["containment"] = containment_outcome(c);
    detected += c.time_to_detect < NEVER ? 1 : 0;
    contained += c.time_to_contain < NEVER ? 1 : 0;
    camps.push_back(std::move(e));
  }
  j["campaigns_detected"] = detected;
  j["campaigns_contained"] = contained;
  j["campaigns"] = std::move(camps);
  const Json msel = Json::parse(state.msel_json());
  int delivered = 0, skipped = 0, met = 0, missed = 0, not_applicable = 0;
  for (const auto& in : msel["injects"]) {
    delivered += str(in, "status") == "delivered" || str(in, "status") == "expired" ? 1 : 0;
    skipped += str(in, "status") == "skipped" ? 1 : 0;
  }
  for (const auto& e : msel["expectations"]) {
    met += str(e, "status") == "met" ? 1 : 0;
    missed += str(e, "status") == "missed" ? 1 : 0;
    not_applicable += str(e, "status") == "not_applicable" ? 1 : 0;
  }
  j["injects_delivered"] = delivered;
  j["injects_skipped"] = skipped;
  j["expectations_met"] = met;
  j["expectations_missed"] = missed;
  j["expectations_not_applicable"] = not_applicable;
  Json totals = Json::object();
  for (const auto& t : state.scores(end))
    totals[t.team] = std::round(t.total * 100) / 100;
  j["team_totals"] = std::move(totals);
  return j;
}

Json points(const std::vector<std::pair<double, double>>& p)
{
  Json a = Json::array();
  for (const auto& [t, v] : p)
    a.push_back(Json::array({t, v}));
  return a;
}

ExerciseState fold(const Scenario& scenario, const std::vector<Record>& records, double end)
{
  ExerciseState state(scenario);
  for (const auto& r : records)
    if (r.time <= end)
      state.apply(r);
  return state;
}

} // namespace

std::string str(const Json& d, const char* key)
{
  return d.contains(key) && d[key].is_string() ? d[key].get<std::string>() : std::string();
}

double num(const Json& d, const char* key)
{
  return d.contains(key) && d[key].is_number() ? d[key].get<double>() : 0.0;
}

std::string strip(const std::string& s, const std::string& prefix)
{
  return s.rfind(prefix, 0) == 0 ? s.substr(prefix.size()) : s;
}

Json kpis_from_records(const Scenario& scenario, const std::vector<Record>& records, double end)
{
  return report_kpis(fold(scenario, records, end), end);
}

Json series_from_records(const Scenario& scenario, const std::vector<Record>& records, double end)
{
  const ExerciseState state = fold(scenario, records, end);
  const KpiHistory k = state.series(end);
  Json s;
  s["end"] = round_to(end, 3);
  s["availability_pct"] = points(k.availability_pct);
  s["nodes_compromised"] = points(k.nodes_compromised);
  s["data_exfiltrated_mb"] = points(k.data_exfiltrated_mb);
  s["mw_lost"] = points(k.mw_lost);
  Json scores = Json::object();
  for (const auto& [team, p] : k.scores)
    scores[team] = points(p);
  s["scores"] = std::move(scores);
  s["kpis"] = report_kpis(state, end);
  return s;
}

Loaded load(const std::string& journal, const std::string& scenario, const std::string& key)
{
  Loaded in;
  std::string error;
  JournalReadOptions ro;
  ro.key = key;
  auto contents = read_journal(journal, &error, ro);
  if (!contents)
    throw ReportError{error};
  in.journal = std::move(*contents);
  in.warnings = in.journal.warnings;
  in.journal_name = base_name(journal);
  in.scenario_path = scenario.empty() ? in.journal.header.scenario : scenario;
  if (in.scenario_path.empty())
    throw ReportError{journal + ":1: (/scenario) the header names no scenario file; give one with --scenario FILE"};
  if (!file_hash(in.scenario_path))
    throw ReportError{in.scenario_path + ": cannot read the scenario of " + journal +
                      (scenario.empty() ? " (the path in its header; give the file with --scenario FILE)" : "")};
  LoadResult r = load_scenario(in.scenario_path);
  if (!r.ok()) {
    std::string first;
    for (const auto& d : r.diagnostics.items())
      if (d.severity == Diagnostic::Severity::error) {
        first = d.format();
        break;
      }
    throw ReportError{"the scenario of " + journal + " does not load: " + first};
  }
  in.scenario = std::move(*r.scenario);
  // every file the scenario reads against the journal's fingerprint: the report warns (names and the MSEL come from
  // the files as they are now); the what-if, which re-runs the exercise, refuses (run_whatif)
  const ScenarioCheck check = check_scenario(in.journal.header, in.scenario);
  in.changes = check.changes;
  in.hash_matches = check.ok();
  in.warnings.insert(in.warnings.end(), check.changes.begin(), check.changes.end());
  if (!check.unchecked.empty())
    in.warnings.push_back(journal + ": " + check.unchecked);
  return in;
}

} // namespace cyberex::report
