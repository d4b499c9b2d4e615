/* Reading a journal for the report, and the KPIs and their time series folded from a run's records: the same code
 * for the journal of the original and for the records of a what-if branch, so both are measured alike. */
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

/// A value integrated over time (a rate held since `since`).
struct Integral {
  double value = 0, rate = 0, since = 0;
  void set(double t, double new_rate)
  {
    value += rate * (t - since);
    since = t;
    rate = new_rate;
  }
  double at(double t) const { return value + rate * (t - since); }
};

/// A step function sampled where it changes; a second change at the same time replaces the first.
struct Series {
  Json points = Json::array();
  void add(double t, double v)
  {
    t = round_to(t, 3);
    v = round_to(v, 3);
    if (!points.empty()) {
      Json& last = points.back();
      if (last[1].get<double>() == v)
        return;
      if (last[0].get<double>() == t) {
        last[1] = v;
        if (points.size() >= 2 && points[points.size() - 2][1].get<double>() == v)
          points.erase(points.size() - 1);
        return;
      }
    }
    points.push_back(Json::array({t, v}));
  }
};

/// Everything the KPIs need, folded record by record.
class Fold {
public:
  explicit Fold(const Scenario& sc) : sc_(sc)
  {
    for (const auto& n : sc.nodes)
      if (n.kind == NodeKind::attacker)
        attackers_.insert(n.id);
    for (const auto& s : sc.services) {
      status_[s.id] = 0;
      up_[s.id] = Integral{0, 1, 0};
      down_[s.id] = Integral{};
    }
    availability_.add(0, 100);
    compromised_.add(0, 0);
    exfil_.add(0, 0);
    mw_.add(0, 0);
  }

  void apply(const Outgoing& rec)
  {
    Json j = Json::parse(rec.json, nullptr, false);
    if (!j.is_object())
      return;
    const std::string type = str(j, "type");
    const std::string subject = str(j, "subject");
    const Json d = j.contains("details") && j["details"].is_object() ? j["details"] : Json::object();
    const double t = rec.time;
    last_ = std::max(last_, t);
    if (type == "node_compromised") {
      const std::string node = strip(subject, "node:");
      if (!attackers_.count(node)) {
        footholds_[node].insert(str(d, "campaign"));
        ever_.insert(node);
        max_compromised_ = std::max(max_compromised_, static_cast<int>(footholds_.size()));
        compromised_.add(t, static_cast<double>(footholds_.size()));
      }
    } else if (type == "foothold_lost") {
      auto it = footholds_.find(strip(subject, "node:"));
      if (it != footholds_.end()) {
        it->second.erase(str(d, "campaign"));
        if (it->second.empty())
          footholds_.erase(it);
      }
      compromised_.add(t, static_cast<double>(footholds_.size()));
    } else if (type == "exfiltration_progress" || type == "exfiltration_ended") {
      double& c = campaign_exfil_[str(d, "campaign")];
      c = std::max(c, num(d, "campaign_total"));
      double total = 0;
      for (const auto& [k, v] : campaign_exfil_)
        total += v;
      exfil_.add(t, total / 1e6);
    } else if (type == "grid_balance") {
      const std::string grid = strip(subject, "grid:");
      grid_lost_[grid] = num(d, "lost_mw");
      double lost = 0;
      for (const auto& [k, v] : grid_lost_)
        lost += v;
      mwh_.set(t, lost);
      mw_max_ = std::max(mw_max_, lost);
      mw_.add(t, lost);
    } else if (type == "service_status") {
      const std::string svc = strip(subject, "service:");
      if (status_.count(svc)) {
        const std::string s = str(d, "status");
        const int st = s == "down" ? 2 : s == "degraded" ? 1 : 0;
        status_[svc] = st;
        up_[svc].set(t, st == 0 ? 1.0 : st == 1 ? 0.5 : 0.0);
        down_[svc].set(t, st == 2 ? 1.0 : 0.0);
        double sum = 0;
        for (const auto& [k, v] : status_)
          sum += v == 0 ? 1.0 : v == 1 ? 0.5 : 0.0;
        availability_.add(t, status_.empty() ? 100 : 100 * sum / static_cast<double>(status_.size()));
      }
    } else if (type == "step_attempt") {
      attempts_.insert({str(d, "technique"), str(d, "target")});
    } else if (type == "alert") {
      if (attempts_.count({str(d, "technique"), str(d, "node")}))
        ++alerts_true_;
      else
        ++alerts_false_;
    } else if (type == "campaign_detected") {
      detected_[strip(subject, "campaign:")] = num(d, "time_to_detect");
    } else if (type == "campaign_contained") {
      contained_[strip(subject, "campaign:")] = num(d, "time_to_contain");
    } else if (type == "expectation_met") {
      ++met_;
    } else if (type == "expectation_missed") {
      ++missed_;
    } else if (type == "inject" && str(j, "kind") == "delivery") {
      delivered_.insert(str(d, "inject"));
    } else if (type == "leaderboard" && d.contains("teams") && d["teams"].is_array()) {
      board_ = d["teams"];
      for (const auto& e : board_)
        if (e.is_object())
          scores_[str(e, "team")].add(t, num(e, "total"));
    }
  }

  Json kpis(double end) const
  {
    Json k;
    k["time"] = round_to(end, 3);
    double total = 0;
    Json by = Json::object();
    for (const auto& c : sc_.campaigns) {
      auto it = campaign_exfil_.find(c.id);
      const double b = it == campaign_exfil_.end() ? 0 : it->second;
      total += b;
      if (c.steps.end() != std::find_if(c.steps.begin(), c.steps.end(),
                                        [](const Step& s) { return s.effect == StepEffect::exfiltrate; }))
        by[c.id] = round_to(b / 1e6, 3);
    }
    k["data_exfiltrated_mb"] = round_to(total / 1e6, 3);
    k["exfiltrated_mb_by_campaign"] = by;
    k["nodes_compromised_max"] = max_compromised_;
    k["nodes_compromised_end"] = static_cast<int>(footholds_.size());
    k["nodes_ever_compromised"] = static_cast<int>(ever_.size());
    k["mwh_lost"] = round_to(mwh_.at(end) / 3600, 3);
    k["mw_lost_max"] = round_to(mw_max_, 3);
    double avail = 0, downtime = 0;
    for (const auto& [svc, i] : up_) {
      avail += end > 0 ? i.at(end) / end : 1;
      downtime += down_.at(svc).at(end);
    }
    k["availability_pct"] = round_to(up_.empty() ? 100 : 100 * avail / static_cast<double>(up_.size()), 3);
    k["service_downtime_h"] = round_to(downtime / 3600, 3);
    k["alerts_true"] = alerts_true_;
    k["alerts_false"] = alerts_false_;
    Json camps = Json::array();
    for (const auto& c : sc_.campaigns) {
      Json e;
      e["campaign"] = c.id;
      auto d = detected_.find(c.id);
      auto x = contained_.find(c.id);
      e["time_to_detect"] = d == detected_.end() ? Json(nullptr) : Json(round_to(d->second, 3));
      e["time_to_contain"] = x == contained_.end() ? Json(nullptr) : Json(round_to(x->second, 3));
      camps.push_back(std::move(e));
    }
    k["campaigns_detected"] = static_cast<int>(detected_.size());
    k["campaigns_contained"] = static_cast<int>(contained_.size());
    k["campaigns"] = std::move(camps);
    k["injects_delivered"] = static_cast<int>(delivered_.size());
    k["expectations_met"] = met_;
    k["expectations_missed"] = missed_;
    Json totals = Json::object();
    for (const auto& e : board_)
      if (e.is_object())
        totals[str(e, "team")] = num(e, "total");
    k["team_totals"] = std::move(totals);
    return k;
  }

  Json series(double end) const
  {
    Json s;
    s["end"] = round_to(end, 3);
    s["availability_pct"] = availability_.points;
    s["nodes_compromised"] = compromised_.points;
    s["data_exfiltrated_mb"] = exfil_.points;
    s["mw_lost"] = mw_.points;
    Json scores = Json::object();
    for (const auto& [team, ser] : scores_)
      scores[team] = ser.points;
    s["scores"] = std::move(scores);
    return s;
  }

private:
  const Scenario& sc_;
  std::set<std::string> attackers_;
  std::map<std::string, std::set<std::string>> footholds_;
  std::set<std::string> ever_;
  int max_compromised_ = 0;
  std::map<std::string, double> campaign_exfil_;
  std::map<std::string, double> grid_lost_;
  Integral mwh_;
  double mw_max_ = 0;
  std::map<std::string, int> status_;
  std::map<std::string, Integral> up_, down_;
  std::set<std::pair<std::string, std::string>> attempts_;
  int alerts_true_ = 0, alerts_false_ = 0;
  std::map<std::string, double> detected_, contained_;
  int met_ = 0, missed_ = 0;
  std::set<std::string> delivered_;
  Json board_ = Json::array();
  std::map<std::string, Series> scores_;
  Series availability_, compromised_, exfil_, mw_;
  double last_ = 0;
};

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

double journal_end(const JournalContents& journal)
{
  return journal_time_reached(journal); // the end line, else the last record, command or mark
}

Json kpis_from_records(const Scenario& scenario, const std::vector<Outgoing>& records, double end)
{
  Fold f(scenario);
  for (const auto& r : records)
    if (r.time <= end)
      f.apply(r);
  return f.kpis(end);
}

Json series_from_records(const Scenario& scenario, const std::vector<Outgoing>& records, double end)
{
  Fold f(scenario);
  for (const auto& r : records)
    if (r.time <= end)
      f.apply(r);
  Json s = f.series(end);
  s["kpis"] = f.kpis(end);
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
  const auto hash = file_hash(in.scenario_path);
  if (!hash)
    throw ReportError{in.scenario_path + ": cannot read the scenario of " + journal +
                      (scenario.empty() ? " (the path in its header; give the file with --scenario FILE)" : "")};
  in.hash_matches = *hash == in.journal.header.scenario_hash;
  if (!in.hash_matches)
    in.warnings.push_back(in.scenario_path + ": the scenario's hash is " + *hash + ", the journal was played on " +
                          in.journal.header.scenario_hash + ": the file changed since, names may not match");
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
  return in;
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting

std::string fixed(double v, int decimals)
{
  if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals))
    v = 0; // no "-0.0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string duration_text(double seconds)
{
  std::string sign = seconds < 0 ? "-" : "";
  const long s = std::lround(std::fabs(seconds));
  const long h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
  char buf[64];
  if (h > 0)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", h, m);
  else if (m > 0)
    std::snprintf(buf, sizeof buf, "%ldm%s", m, sec ? (std::to_string(sec) + "s").c_str() : "");
  else
    std::snprintf(buf, sizeof buf, "%lds", sec);
  return sign + buf;
}

std::string clock_text(const std::string& start, double seconds)
{
  int hh = 0, mm = 0;
  if (start.size() >= 16)
    std::sscanf(start.c_str() + 11, "%2d:%2d", &hh, &mm);
  const long total = (hh * 60 + mm) + std::lround(std::floor(seconds / 60));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld", ((total / 60) % 24 + 24) % 24, ((total % 60) + 60) % 60);
  return buf;
}

std::string date_after(const std::string& start, int days)
{
  int y = 1970, m = 1, d = 1;
  if (start.size() >= 10)
    std::sscanf(start.c_str(), "%4d-%2d-%2d", &y, &m, &d);
  // days from civil and back (H. Hinnant's algorithms)
  auto to_days = [](int yy, int mo, int dd) {
    yy -= mo <= 2;
    const int era = (yy >= 0 ? yy : yy - 399) / 400;
    const int yoe = yy - era * 400;
    const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  };
  int z = to_days(y, m, d) + days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int yy = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int dd = doy - (153 * mp + 2) / 5 + 1;
  const int mo = mp + (mp < 10 ? 3 : -9);
  yy += mo <= 2;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", yy, mo, dd);
  return buf;
}

} // namespace cyberex::report
