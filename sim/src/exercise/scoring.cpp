/* Scoring: automatic metrics, expectations, HSEEP ratings, the weighted total and the leaderboard. The formulas are
 * written out in docs/protocol.md ("Scoring") so that a White Cell can recompute any number by hand. */
#include "exercise/impl.hpp"

#include <algorithm>
#include <cmath>

namespace cyberex {

namespace {

double round2(double x)
{
  return std::round(x * 100) / 100;
}

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

double ExerciseSession::Impl::availability(int service) const
{
  const double t = now_();
  auto it = service_up_.find(service);
  if (it == service_up_.end() || t <= 0)
    return 1;
  const Integral& i = it->second;
  return (i.value + i.rate * (t - i.since)) / t;
}

double ExerciseSession::Impl::mwh_lost(const std::string& grid) const
{
  auto it = grid_mwh_.find(grid);
  if (it == grid_mwh_.end())
    return 0;
  const Integral& i = it->second;
  return (i.value + i.rate * (now_() - i.since)) / 3600;
}

std::vector<std::string> ExerciseSession::Impl::team_metrics(const std::string& team) const
{
  std::set<std::string> wanted;
  for (const auto& o : sc_.objectives)
    if (o.teams.empty() || std::find(o.teams.begin(), o.teams.end(), team) != o.teams.end())
      wanted.insert(o.metrics.begin(), o.metrics.end());
  std::vector<std::string> out;
  for (const auto& m : metric_order())
    if (wanted.count(m))
      out.push_back(m);
  return out;
}

std::vector<TeamScore> ExerciseSession::Impl::scores() const
{
  const double duration = std::max(1.0, sc_.exercise.duration);
  std::vector<TeamScore> out;
  for (const auto& t : teams_) {
    TeamScore s;
    s.team = t.id;
    // expectations: points met over points decided (pending ones are not counted yet)
    double met_points = 0, decided_points = 0;
    int met = 0, decided = 0;
    for (const auto& e : expectations_) {
      if (e.team != t.id || (e.status != ExpectationRun::Status::met && e.status != ExpectationRun::Status::missed))
        continue;
      const double p = injects_[e.inject].spec.expectations[e.index].points;
      decided_points += p;
      ++decided;
      if (e.status == ExpectationRun::Status::met) {
        met_points += p;
        ++met;
      }
    }
    if (decided_points > 0)
      s.expectations = 100 * met_points / decided_points;
    // ratings: per objective the mean of the latest rating of each critical task (or of the objective itself),
    // then the objectives' weighted mean
    double rated_weight = 0, rated_sum = 0;
    for (const auto& o : sc_.objectives) {
      if (!o.teams.empty() && std::find(o.teams.begin(), o.teams.end(), t.id) == o.teams.end())
        continue;
      std::map<std::string, double> latest;
      for (const auto& r : ratings_)
        if (r.team == t.id && r.objective == o.id)
          latest[r.critical_task] = rating_value(r.rating);
      if (latest.empty())
        continue;
      double sum = 0;
      for (const auto& [k, v] : latest)
        sum += v;
      rated_sum += o.weight * sum / static_cast<double>(latest.size());
      rated_weight += o.weight;
    }
    if (rated_weight > 0)
      s.ratings = rated_sum / rated_weight;
    // metrics
    auto time_score = [&](double v) { return 100 * std::max(0.0, 1 - v / duration); };
    double msum = 0;
    int mcount = 0;
    for (const auto& m : team_metrics(t.id)) {
      bool applicable = false;
      Json value = nullptr;
      double score = 0;
      auto span = [&](double from, double to) {
        applicable = from < NEVER;
        if (applicable && to < NEVER) {
          value = round2(std::max(0.0, to - from));
          score = time_score(std::max(0.0, to - from));
        }
      };
      if (m == "time_to_detect") {
        span(t.first_compromise, t.first_true_alert);
      } else if (m == "time_to_contain") {
        span(t.first_compromise, t.contained);
      } else if (m == "time_to_recover") {
        span(t.first_loss, t.recovered);
      } else if (m == "time_to_share") {
        span(t.first_true_alert, t.first_share);
      } else if (m == "availability") {
        applicable = !t.services.empty();
        if (applicable) {
          double a = 0;
          for (int sv : t.services)
            a += availability(sv);
          a /= static_cast<double>(t.services.size());
          value = std::round(a * 1e6) / 1e6;
          score = 100 * a;
        }
      } else if (m == "data_exfiltrated") {
        applicable = t.exfil_reference > 0 || t.exfiltrated > 0;
        if (applicable) {
          value = std::round(t.exfiltrated);
          score = 100 * std::max(0.0, 1 - t.exfiltrated / std::max(t.exfil_reference, t.exfiltrated));
        }
      } else if (m == "mwh_lost") {
        applicable = t.load_mw > 0;
        if (applicable) {
          double mwh = 0;
          for (const auto& g : t.grids)
            mwh += mwh_lost(g);
          value = std::round(mwh * 1000) / 1000;
          score = 100 * std::max(0.0, 1 - mwh / (t.load_mw * duration / 3600));
        }
      } else if (m == "expectations_met") {
        applicable = decided > 0;
        if (applicable) {
          value = static_cast<double>(met) / decided;
          score = 100.0 * met / decided;
        }
      }
      Json d;
      d["applicable"] = applicable;
      d["value"] = value;
      d["score"] = applicable ? Json(round2(score)) : Json(nullptr);
      s.metric_details[m] = std::move(d);
      if (applicable) {
        msum += score;
        ++mcount;
      }
    }
    if (mcount > 0)
      s.metrics = msum / mcount;
    // total: weighted mean of the components present
    const double we = sc_.scoring.weight_expectations, wr = sc_.scoring.weight_ratings, wm = sc_.scoring.weight_metrics;
    double num = 0, den = 0;
    if (s.expectations) {
      num += we * *s.expectations;
      den += we;
    }
    if (s.ratings) {
      num += wr * *s.ratings;
      den += wr;
    }
    if (s.metrics) {
      num += wm * *s.metrics;
      den += wm;
    }
    s.total = den > 0 ? num / den : 0;
    out.push_back(std::move(s));
  }
  return out;
}

Json ExerciseSession::Impl::leaderboard_json(const std::vector<TeamScore>& s) const
{
  std::vector<const TeamScore*> order;
  for (const auto& x : s)
    order.push_back(&x);
  std::stable_sort(order.begin(), order.end(), [](const TeamScore* a, const TeamScore* b) {
    if (round2(a->total) != round2(b->total))
      return round2(a->total) > round2(b->total);
    return a->team < b->team;
  });
  Json teams = Json::array();
  int rank = 0;
  for (const TeamScore* x : order)
    teams.push_back({{"rank", ++rank},
                     {"team", x->team},
                     {"total", round2(x->total)},
                     {"expectations", opt(x->expectations)},
                     {"ratings", opt(x->ratings)},
                     {"metrics", opt(x->metrics)}});
  return {{"time", round3(now_())}, {"teams", std::move(teams)}};
}

Json ExerciseSession::Impl::scores_json(const std::string& only_team, bool control) const
{
  Json out = Json::array();
  const bool withheld = !control && state_ != ClockState::ended;
  for (auto s : scores()) {
    if (!only_team.empty() && s.team != only_team)
      continue;
    if (withheld) {
      // a team's own metrics would tell it what only ground truth knows (compromised, bytes exfiltrated): they are
      // published at the end; until then its scores are the parts it can know
      const Json board = standings_json({s}, false);
      s.metrics.reset();
      s.total = board["teams"][0]["total"].get<double>();
      s.metric_details = Json::object();
    }
    out.push_back({{"team", s.team},
                   {"total", round2(s.total)},
                   {"expectations", opt(s.expectations)},
                   {"ratings", opt(s.ratings)},
                   {"metrics", opt(s.metrics)},
                   {"metric_details", s.metric_details},
                   {"weights",
                    {{"expectations", sc_.scoring.weight_expectations},
                     {"ratings", sc_.scoring.weight_ratings},
                     {"metrics", sc_.scoring.weight_metrics}}}});
  }
  return out;
}

Json ExerciseSession::Impl::standings_json(const std::vector<TeamScore>& s, bool final) const
{
  // until the end, only what the teams themselves can know: expectations and ratings, not the metrics (they are
  // computed from ground truth: a compromise, an exfiltration, a loss of power would show in them at once)
  std::vector<TeamScore> shown = s;
  if (!final) {
    const double we = sc_.scoring.weight_expectations, wr = sc_.scoring.weight_ratings;
    for (auto& x : shown) {
      x.metrics.reset();
      double num = 0, den = 0;
      if (x.expectations) {
        num += we * *x.expectations;
        den += we;
      }
      if (x.ratings) {
        num += wr * *x.ratings;
        den += wr;
      }
      x.total = den > 0 ? num / den : 0;
    }
  }
  Json board = leaderboard_json(shown);
  board["final"] = final;
  return board;
}

void ExerciseSession::Impl::leaderboard(const char* reason, bool always)
{
  const std::vector<TeamScore> s = scores();
  Json board = leaderboard_json(s);
  std::string key = board["teams"].dump();
  const bool publish = always && (std::string(reason) == "hour" || std::string(reason) == "end");
  if (!always && key == last_board_)
    return;
  last_board_ = std::move(key);
  board["reason"] = reason;
  // the full leaderboard moves with ground truth: the White Cell's; everyone else gets the standings, published at
  // fixed times only (every leaderboard interval and at the end)
  emit("exercise", "leaderboard", "exercise:" + sc_.exercise.id, std::move(board), control());
  if (publish) {
    standings_ = standings_json(s, std::string(reason) == "end");
    Json d = standings_;
    d["reason"] = reason;
    emit("exercise", "standings", "exercise:" + sc_.exercise.id, std::move(d), all());
  }
}

} // namespace cyberex
