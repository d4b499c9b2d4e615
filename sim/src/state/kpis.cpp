/* ExerciseState: the KPIs, their time series, the scores and the leaderboard: one definition of each, written out in
 * docs/after-action.md ("KPIs") and docs/protocol.md ("Scoring"). */
#include "state/state.hpp"

#include <algorithm>

namespace cyberex {

using namespace state;

const char* containment_outcome(const CampaignKpis& c)
{
  if (!(c.contained < NEVER))
    return "not contained";
  if (!(c.first_impact < NEVER))
    return "contained before impact";
  // an impact after the containment means it did not hold (a node that still held a foothold was reconnected)
  return c.first_impact <= c.contained ? "impact before containment" : "not contained";
}

double ExerciseState::Impl::availability(Index s, double t) const
{
  if (s < 0 || static_cast<std::size_t>(s) >= services.size())
    return 1;
  // from the first measurement on: before its first probe nothing was measured of a probed service
  const ServiceState& v = services[s];
  if (!(t > v.measured_from))
    return 1;
  return std::clamp(v.measured.at(t) / (t - v.measured_from), 0.0, 1.0);
}

Kpis ExerciseState::Impl::kpis(double t) const
{
  Kpis k;
  k.time = t;
  k.compromised_max = compromised_max;
  k.compromised_end = compromised;
  k.compromised_ever = compromised_ever;
  k.campaigns = campaigns;
  for (const auto& [id, g] : grids) {
    k.mwh_lost += g.mwh.at(t) / 3600.0;
    k.customer_hours_lost += g.customer_hours.at(t) / 3600.0;
  }
  k.mw_lost_max = mw_lost_max;
  for (std::size_t s = 0; s < services.size(); ++s) {
    const ServiceState& v = services[s];
    ServiceKpis sk;
    sk.id = sc->services[s].id;
    sk.probed = sc->services[s].probe.has_value();
    sk.availability = availability(static_cast<Index>(s), t);
    sk.degraded = v.degraded.at(t);
    sk.downtime = v.downtime.at(t);
    // what availability counts as down: the probes' verdict, or ground truth for a service without a probe
    sk.unavailable = sk.probed ? v.unavailable.at(t) : sk.downtime;
    k.services.push_back(std::move(sk));
  }
  k.alerts_true = alerts_true;
  k.alerts_false = alerts_false;
  k.events = events;
  return k;
}

namespace {

const std::vector<std::string>& metric_order()
{
  static const std::vector<std::string> m{"time_to_detect",   "time_to_contain", "time_to_recover",  "availability",
                                          "data_exfiltrated", "mwh_lost",        "expectations_met", "time_to_share"};
  return m;
}

double rating_value(const std::string& r)
{
  return r == "P" ? 100 : r == "S" ? 70 : r == "M" ? 40 : 0;
}

Json opt(const std::optional<double>& v)
{
  return v ? Json(round2(*v)) : Json(nullptr);
}

} // namespace

std::vector<TeamScore> ExerciseState::Impl::scores(double t) const
{
  const double duration = std::max(1.0, sc->exercise.duration);
  std::vector<TeamScore> out;
  for (const auto& team : teams) {
    TeamScore s;
    s.team = team.id;
    // expectations: points met over points decided (pending ones do not count yet)
    double met_points = 0, decided_points = 0;
    int met = 0, decided = 0;
    for (const auto& e : expectations) {
      const std::string status = str(e, "status");
      if (str(e, "team") != team.id || (status != "met" && status != "missed"))
        continue;
      const double p = num(e, "points");
      decided_points += p;
      ++decided;
      if (status == "met") {
        met_points += p;
        ++met;
      }
    }
    if (decided_points > 0)
      s.expectations = 100 * met_points / decided_points;
    // ratings: per objective the mean of the latest rating of each critical task (or of the objective itself), then
    // the objectives' weighted mean
    double rated_weight = 0, rated_sum = 0;
    for (const auto& o : sc->objectives) {
      if (!o.teams.empty() && std::find(o.teams.begin(), o.teams.end(), team.id) == o.teams.end())
        continue;
      std::map<std::string, double> latest;
      for (const auto& r : rating_list)
        if (r.team == team.id && r.objective == o.id)
          latest[r.critical_task] = rating_value(r.rating);
      if (latest.empty())
        continue;
      double sum = 0;
      for (const auto& [key, v] : latest)
        sum += v;
      rated_sum += o.weight * sum / static_cast<double>(latest.size());
      rated_weight += o.weight;
    }
    if (rated_weight > 0)
      s.ratings = rated_sum / rated_weight;
    // metrics: those the team's objectives name
    std::set<std::string> wanted;
    for (const auto& o : sc->objectives)
      if (o.teams.empty() || std::find(o.teams.begin(), o.teams.end(), team.id) != o.teams.end())
        wanted.insert(o.metrics.begin(), o.metrics.end());
    auto time_score = [&](double v) { return 100 * std::max(0.0, 1 - v / duration); };
    double msum = 0;
    int mcount = 0;
    for (const auto& name : metric_order()) {
      if (!wanted.count(name))
        continue;
      MetricScore m;
      m.name = name;
      double score = 0;
      auto span = [&](double from, double to) {
        m.applicable = from < NEVER;
        if (m.applicable && to < NEVER) {
          m.value = round2(std::max(0.0, to - from));
          score = time_score(std::max(0.0, to - from));
        }
      };
      if (name == "time_to_detect") {
        span(team.first_compromise, team.first_true_alert);
      } else if (name == "time_to_contain") {
        span(team.first_compromise, team.contained);
      } else if (name == "time_to_recover") {
        span(team.first_loss, team.recovered);
      } else if (name == "time_to_share") {
        span(team.first_true_alert, team.first_share);
      } else if (name == "availability") {
        m.applicable = !team.services.empty();
        if (m.applicable) {
          double a = 0;
          for (Index sv : team.services)
            a += availability(sv, t);
          a /= static_cast<double>(team.services.size());
          m.value = std::round(a * 1e6) / 1e6;
          score = 100 * a;
        }
      } else if (name == "data_exfiltrated") {
        m.applicable = team.exfil_reference > 0 || team.exfiltrated > 0;
        if (m.applicable) {
          m.value = std::round(team.exfiltrated);
          score = 100 * std::max(0.0, 1 - team.exfiltrated / std::max(team.exfil_reference, team.exfiltrated));
        }
      } else if (name == "mwh_lost") {
        m.applicable = team.load_mw > 0;
        if (m.applicable) {
          double mwh = 0;
          for (const auto& g : team.grids) {
            auto it = grids.find(g);
            mwh += it == grids.end() ? 0 : it->second.mwh.at(t) / 3600;
          }
          m.value = std::round(mwh * 1000) / 1000;
          score = 100 * std::max(0.0, 1 - mwh / (team.load_mw * duration / 3600));
        }
      } else if (name == "expectations_met") {
        m.applicable = decided > 0;
        if (m.applicable) {
          m.value = static_cast<double>(met) / decided;
          score = 100.0 * met / decided;
        }
      }
      if (m.applicable) {
        m.score = round2(score);
        msum += score;
        ++mcount;
      }
      s.metric_details.push_back(std::move(m));
    }
    if (mcount > 0)
      s.metrics = msum / mcount;
    // total: the weighted mean of the components present
    const double we = sc->scoring.weight_expectations, wr = sc->scoring.weight_ratings, wm = sc->scoring.weight_metrics;
    double num_ = 0, den = 0;
    if (s.expectations) {
      num_ += we * *s.expectations;
      den += we;
    }
    if (s.ratings) {
      num_ += wr * *s.ratings;
      den += wr;
    }
    if (s.metrics) {
      num_ += wm * *s.metrics;
      den += wm;
    }
    s.total = den > 0 ? num_ / den : 0;
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

/// Teams and observers see the scores without their metrics until the end: a compromise, an exfiltration or a loss
/// of power would move them at once (docs/protocol.md, "Scoring").
TeamScore withheld(TeamScore s, const Scenario& sc)
{
  s.metrics.reset();
  s.metric_details.clear();
  const double we = sc.scoring.weight_expectations, wr = sc.scoring.weight_ratings;
  double num = 0, den = 0;
  if (s.expectations) {
    num += we * *s.expectations;
    den += we;
  }
  if (s.ratings) {
    num += wr * *s.ratings;
    den += wr;
  }
  s.total = den > 0 ? num / den : 0;
  return s;
}

} // namespace

Json ExerciseState::Impl::leaderboard(double t, bool standings_view) const
{
  std::vector<TeamScore> s = scores(t);
  if (standings_view)
    for (auto& x : s)
      x = withheld(std::move(x), *sc);
  std::vector<const TeamScore*> order;
  for (const auto& x : s)
    order.push_back(&x);
  std::stable_sort(order.begin(), order.end(), [](const TeamScore* a, const TeamScore* b) {
    if (round2(a->total) != round2(b->total))
      return round2(a->total) > round2(b->total);
    return a->team < b->team;
  });
  Json teams_json = Json::array();
  int rank = 0;
  for (const TeamScore* x : order)
    teams_json.push_back({{"rank", ++rank},
                          {"team", x->team},
                          {"total", round2(x->total)},
                          {"expectations", opt(x->expectations)},
                          {"ratings", opt(x->ratings)},
                          {"metrics", opt(x->metrics)}});
  return {{"time", round3(t)}, {"teams", std::move(teams_json)}};
}

Json ExerciseState::Impl::scores_view(double t, const std::string& only, bool control) const
{
  const bool ended = str(clock, "state") == "ended";
  Json out = Json::array();
  for (auto s : scores(t)) {
    if (!only.empty() && s.team != only)
      continue;
    if (!control && !ended)
      s = withheld(std::move(s), *sc);
    Json details = Json::object();
    for (const auto& m : s.metric_details)
      details[m.name] = {{"applicable", m.applicable},
                         {"value", m.value ? Json(*m.value) : Json(nullptr)},
                         {"score", m.score ? Json(*m.score) : Json(nullptr)}};
    out.push_back({{"team", s.team},
                   {"total", round2(s.total)},
                   {"expectations", opt(s.expectations)},
                   {"ratings", opt(s.ratings)},
                   {"metrics", opt(s.metrics)},
                   {"metric_details", std::move(details)},
                   {"weights",
                    {{"expectations", sc->scoring.weight_expectations},
                     {"ratings", sc->scoring.weight_ratings},
                     {"metrics", sc->scoring.weight_metrics}}}});
  }
  return out;
}

Kpis ExerciseState::kpis(double t) const
{
  return impl_->kpis(t);
}

std::vector<TeamScore> ExerciseState::scores(double t) const
{
  return impl_->scores(t);
}

std::string ExerciseState::leaderboard_json(double t, bool standings) const
{
  return impl_->leaderboard(t, standings).dump();
}

std::string ExerciseState::last_standings_json() const
{
  if (!impl_->standings.empty())
    return impl_->standings.dump();
  Json s = impl_->leaderboard(0, true);
  s["final"] = false;
  return s.dump();
}

std::string ExerciseState::scores_json(double t, const std::string& only_team, bool control) const
{
  return impl_->scores_view(t, only_team, control).dump();
}

KpiHistory ExerciseState::series(double t) const
{
  (void)t; // step functions: the last value holds to t
  KpiHistory s;
  s.availability_pct = impl_->availability_pct.points;
  s.nodes_compromised = impl_->compromised_series.points;
  s.data_exfiltrated_mb = impl_->exfil_mb.points;
  s.mw_lost = impl_->mw_series.points;
  s.mw_shed = impl_->shed_series.points;
  s.overloaded_branches = impl_->overloaded_series.points;
  for (const auto& [team, ser] : impl_->score_series)
    s.scores.emplace_back(team, ser.points);
  return s;
}

} // namespace cyberex
