/* Internals of ExerciseState (sim/include/cyberex/exercise_state.hpp): what the fold keeps. Only sim/src/state/
 * includes this; it sees the model and the record vocabulary, nothing else of cyberex. */
#pragma once

#include "cyberex/exercise_state.hpp"
#include "cyberex/grid_network.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace cyberex {

using Json = nlohmann::ordered_json;

namespace state {

inline double round3(double x)
{
  return std::round(x * 1000.0) / 1000.0;
}
inline double round2(double x)
{
  return std::round(x * 100.0) / 100.0;
}
std::string str(const Json& object, const char* key);
double num(const Json& object, const char* key);
/// "node:x" -> "x" (anything after the first colon)
std::string id_of(const std::string& subject);

/// A quantity integrated over simulated time: a rate held since `since`.
struct Integral {
  double value = 0, rate = 0, since = 0;
  double at(double t) const { return value + rate * std::max(0.0, t - since); }
  void set(double t, double new_rate)
  {
    value = at(t);
    since = std::max(since, t);
    rate = new_rate;
  }
};

/// A step function sampled where it changes; a second change at the same time replaces the first.
struct Series {
  std::vector<std::pair<double, double>> points;
  void add(double t, double v);
};

struct ServiceState {
  int status = 0; ///< ground truth: 0 up, 1 degraded, 2 down
  std::string reason;
  int probe = 0; ///< measured: 0 up, 1 degraded, 2 down
  std::string probe_reason;
  bool probe_seen = false;
  double measured_from =
      0;             ///< when the status availability follows was first known (a probed service: its first probe)
  Integral measured; ///< up-time of the status availability follows (up 1, degraded 1/2), from measured_from
  Integral degraded, unavailable, downtime;
};

struct GridState {
  Json last = Json::object(); ///< the last grid_balance details
  double lost_mw = 0;
  double shed_mw = 0;           ///< networked grid: the last grid_balance's shed_mw
  int overloaded = 0;           ///< networked grid: the last grid_balance's overloaded
  Integral mwh, customer_hours; ///< MW·s and customer·s lost
};

/// The scenario's networked grids, built once and shared by every copy of a state (grid.cpp).
struct GridModel {
  std::vector<GridNetwork> networks;          ///< with one-line coordinates (power::lay_out)
  std::map<std::string, std::size_t> by_grid; ///< grid id -> index into networks
  std::vector<std::map<std::string, std::size_t>> branch, load, generator; ///< per network: id -> index
};

/// What the records changed in a networked grid (the inputs of its solve).
struct NetFold {
  std::vector<char> branch;     ///< per branch: 0 closed, 1 open, 2 tripped
  std::vector<char> load_shed;  ///< per load: a load_shed record not yet followed by load_restored
  std::vector<double> setpoint; ///< per generator: MW of its last setpoint_changed (initially its dispatch)
};

struct InjectState {
  std::string id, type, channel, from, title, content, move;
  std::vector<std::string> to, indicators, expectations;
  bool hidden = false, triggered = false, created = false;
  double expires = NEVER; ///< seconds after delivery
  enum class Status { waiting, scheduled, delivered, expired, cancelled, skipped } status = Status::waiting;
  double due = NEVER, delivered = NEVER;
};

/// A player team: what the scenario says of it, what it sees, and the inputs of its metrics.
struct TeamState {
  std::string id;
  Index team = NO_INDEX; ///< scenario team index
  std::vector<Index> services;
  std::set<std::string> grids;
  double load_mw = 0, exfil_reference = 0;
  // what it sees
  Json inbox = Json::array();
  Json alerts = Json::array();
  std::set<std::string> known;
  Json sitreps = Json::array();
  std::map<std::string, Json> assessments; ///< incident -> latest
  Json actions = Json::array();
  // metric inputs (simulated times, NEVER while not yet)
  double first_compromise = NEVER, first_true_alert = NEVER, contained = NEVER;
  double first_loss = NEVER, recovered = NEVER, first_share = NEVER;
  double exfiltrated = 0;
  std::set<Index> ever_compromised;
  std::set<std::string> campaigns; ///< campaigns that held a foothold on one of its nodes (time_to_contain)
};

struct RatingState {
  std::string team, objective, critical_task, rating;
};

} // namespace state

class ExerciseState::Impl {
public:
  explicit Impl(const Scenario& scenario);

  void fold(double t, RecordKind kind, RecordType type, const std::string& subject, const Json& d,
            const Audience& audience);
  void fold_world(double t, RecordType type, const std::string& subject, const Json& d, const Audience& audience);
  void fold_delivery(double t, RecordType type, const Json& d, const Audience& audience);
  void fold_exercise(double t, RecordType type, const std::string& subject, const Json& d);

  // helpers of the fold
  Index node_index(const std::string& id) const;
  Index service_index(const std::string& id) const;
  state::TeamState* team(const std::string& id);
  const state::TeamState* team(const std::string& id) const;
  state::InjectState& inject(const std::string& id);
  void node_changed(Index n, double t, const NodeState& before); ///< footholds: counts, series
  void service_changed(double t);
  void sample(double t); ///< the series at t
  void learn(state::TeamState& team, const Json& indicators);
  void init_grids();                                                          ///< grid_model and nets
  void fold_grid(RecordType type, const std::string& subject, const Json& d); ///< networked grids' inputs

  // reads
  double availability(Index s, double t) const;
  Kpis kpis(double t) const;
  std::vector<TeamScore> scores(double t) const;
  Json leaderboard(double t, bool standings) const;
  Json clock_at(double t, bool control) const; ///< control: with next_inject (the MSEL)
  Json inject_view(const state::InjectState& in, bool control) const;
  Json team_view(const state::TeamState& team) const;
  Json assets(const state::TeamState& team) const;
  Json truth(double t) const;
  std::vector<GridFlows> flows() const; ///< ExerciseState::grid_flows
  Json msel() const;
  Json scores_view(double t, const std::string& only, bool control) const;

  const Scenario* sc;
  double time = 0;
  std::uint64_t seq = 0, records = 0, events = 0;

  std::vector<NodeState> nodes;
  std::vector<std::vector<int>> node_teams; ///< node -> indices in teams
  int compromised = 0, compromised_max = 0;
  std::vector<char> ever; ///< node -> held a foothold at some time
  int compromised_ever = 0;
  std::set<std::pair<std::string, std::string>> attempts; ///< (technique, node id) of step attempts
  int alerts_true = 0, alerts_false = 0;
  std::vector<CampaignKpis> campaigns;
  std::map<std::string, state::GridState> grids;
  std::shared_ptr<const state::GridModel> grid_model; ///< null without networked grids
  std::vector<state::NetFold> nets;                   ///< per grid_model network
  double mw_lost = 0, mw_lost_max = 0;
  std::vector<state::ServiceState> services;
  std::vector<state::TeamState> teams;
  std::map<std::string, std::vector<std::string>> blocked; ///< indicator -> teams, in order
  std::vector<PublicStatement> statements;
  std::set<std::string> published;                         ///< campaigns that published data
  std::map<std::string, std::string> dependencies;         ///< dependency id -> "lost" / "exhausted" (absent: ok)
  std::map<std::string, DependencyLoss> dependency_losses; ///< dependency id -> its loss (absent: ok)
  std::vector<std::array<std::string, 3>> steps_succeeded; ///< (campaign, step, technique), in order

  Json clock = Json::object();
  Json board = Json::object();     ///< the last leaderboard record's details
  Json standings = Json::object(); ///< the last standings record's details
  std::vector<state::InjectState> injects;
  std::map<std::string, std::size_t> inject_by_id;
  std::vector<Json> expectations; ///< the last expectation_* record of each (expectation, team), in activation order
  std::map<std::string, std::size_t> expectation_by_key;
  Json observations = Json::array(), ratings = Json::array();
  std::vector<state::RatingState> rating_list;
  std::vector<std::pair<std::string, Json>> assessments; ///< "team/incident" -> latest, in first-seen order
  std::map<std::string, Json> official;                  ///< incident -> official assessment

  state::Series availability_pct, compromised_series, exfil_mb, mw_series, shed_series, overloaded_series;
  std::map<std::string, state::Series> score_series;
};

} // namespace cyberex
