/* ExerciseState: the one fold of an exercise's records into its state. The engine feeds it its world events (the
 * KPIs of `cyberex run` and `batch`), the session every record it emits (scores, leaderboard, snapshots, trigger
 * state), the Timeline of a journal its records (replay --at, the report, what-if, the GUI's after-action player),
 * and the GUI's consoles the records they receive. A KPI, a score, a "time reached" and what a principal may see of
 * the state are defined here once (docs/after-action.md "KPIs", docs/protocol.md "Scoring" and "Snapshots").
 *
 * Times: the state folds every record at its time rounded to 3 decimals (the journal's form), so a state folded live
 * and one folded from the journal are equal. */
#pragma once

#include "cyberex/model.hpp"
#include "cyberex/record.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cyberex {

/// When one step of a campaign succeeded (step_succeeded), NEVER while it has not: `cyberex batch` gives its
/// distribution over the runs (docs/after-action.md, "Batch").
struct StepKpis {
  std::string id;
  double succeeded = NEVER;
};

struct CampaignKpis {
  std::string id;
  std::string status = "pending"; ///< pending, running, waiting, finished, stopped
  double bytes_exfiltrated = 0;
  double first_compromise = NEVER; ///< time of the first foothold on a scenario node
  double time_to_detect = NEVER;   ///< first true alert delivered - campaign start (campaign_detected)
  double time_to_contain = NEVER;  ///< contained - first compromise (campaign_contained)
  double contained = NEVER;        ///< time of campaign_contained: it could no longer act (docs/engine.md)
  double first_impact = NEVER;     ///< first impact: an impact step succeeded or exfiltrated bytes arrived
  int steps_succeeded = 0;
  std::vector<StepKpis> steps; ///< every step of the campaign, in scenario order
};

/// How a campaign's containment and its impact relate (docs/after-action.md, "ATT&CK coverage"): "contained before
/// impact" (contained, no impact so far), "impact before containment" (an impact at or before the containment time) or
/// "not contained" (never contained, or an impact came after the containment: it did not hold).
const char* containment_outcome(const CampaignKpis& campaign);

/// Availability of a service: the time-weighted mean of its status, up = 1, degraded = 1/2, down = 0. The status is
/// what its availability probes measured (probe_status) when the scenario probes it, from its first probe on, else its
/// ground-truth status (service_status) from the start. docs/after-action.md, "KPIs".
struct ServiceKpis {
  std::string id;
  bool probed = false;     ///< the scenario probes it: availability follows the probes
  double availability = 1; ///< 0..1
  double degraded = 0;     ///< seconds the probes said degraded (0 without a probe)
  double unavailable = 0;  ///< seconds the probes said down; without a probe, the downtime
  double downtime = 0;     ///< seconds the service was down (ground truth)
};

struct Kpis {
  double time = 0;
  int compromised_max = 0;
  int compromised_end = 0;
  int compromised_ever = 0; ///< nodes that held a foothold at some time
  std::vector<CampaignKpis> campaigns;
  double mwh_lost = 0;
  double customer_hours_lost = 0;
  double mw_lost_max = 0;
  std::vector<ServiceKpis> services;
  int alerts_true = 0; ///< alerts that follow an adversary step attempt with their technique on their node
  int alerts_false = 0;
  std::uint64_t events = 0; ///< world events folded
};

/// The KPIs as one JSON object (cyberex run --json, batch, play, snapshots' truth): fixed precision, null for "never".
std::string kpis_to_json(const Kpis& kpis);

/// One metric of a team's score (docs/protocol.md, "Scoring").
struct MetricScore {
  std::string name;
  bool applicable = false;
  std::optional<double> value; ///< as published (rounded), when measured
  std::optional<double> score; ///< 0..100, when applicable
};

/// A team's score: three components (0..100, absent while nothing counts) and their weighted total.
struct TeamScore {
  std::string team;
  std::optional<double> expectations, ratings, metrics;
  double total = 0;
  std::vector<MetricScore> metric_details;
};

/// What the state knows of one player team's assets and moves: the inputs of its metrics (docs/protocol.md).
struct TeamFacts {
  double first_compromise = NEVER; ///< first foothold on one of its nodes
  double first_true_alert = NEVER; ///< first alert to it that follows a step attempt with its technique on its node
  double contained = NEVER;        ///< first time after that every campaign that held one of its nodes was contained
  double first_loss = NEVER;       ///< first time one of its services was down
  double recovered = NEVER;        ///< first time after that none was
  double first_share = NEVER;      ///< first message it sent with indicators
  double exfiltrated = 0;          ///< bytes that left its nodes
  int nodes_compromised = 0;       ///< its nodes that ever held a foothold
};

/// A KPI over time: a step function sampled where it changes, [(time, value)], 3 decimals.
struct KpiHistory {
  std::vector<std::pair<double, double>> availability_pct; ///< mean availability of every service, %
  std::vector<std::pair<double, double>> nodes_compromised;
  std::vector<std::pair<double, double>> data_exfiltrated_mb;
  std::vector<std::pair<double, double>> mw_lost;
  std::vector<std::pair<double, double>> mw_shed;             ///< networked grids: MW shed by under-frequency relays
  std::vector<std::pair<double, double>> overloaded_branches; ///< networked grids: branches above their pickup
  std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> scores; ///< team -> leaderboard total
};

/// Ground truth about one node, folded from world events.
struct NodeState {
  std::vector<std::string> campaigns; ///< campaigns holding a foothold, sorted
  std::string privilege;              ///< highest privilege of a foothold ("" without one)
  bool isolated = false;
  bool offline = false; ///< a restore from backup in progress
  bool down = false;    ///< shut down by the adversary
  bool encrypted = false, defaced = false;
  bool backup_destroyed = false; ///< a backup store whose backups the adversary destroyed (T1490)
  bool failed = false;           ///< node_status failed (down, isolated, tripped, shed or failed through a dependency)
  std::string reason;            ///< why it failed
  std::vector<std::string> patched;
  std::optional<double> output_mw, capacity_mw; ///< generation unit
  std::string mode;                             ///< generation unit: running, derated, tripped, manual
  std::string isolated_by;                      ///< the team whose isolation holds ("" while not isolated)
  std::string manual_by;                        ///< generation unit: the team that put it in manual operations
  std::vector<std::string> patched_by;          ///< teams that patched it, sorted
  std::optional<double> load_lost_mw;           ///< substation: load it does not serve now
  bool compromised() const { return !campaigns.empty(); }
};

/// A team's press statement or public advisory (a public_statement record).
struct PublicStatement {
  double time = 0;
  std::string team;
  std::string kind; ///< press_statement or public_advisory
  std::string text;
};

/// A lost dependency (ExerciseState::dependency_loss): its backup, if any, carries the dependent from `lost` to
/// `backup_until` (equal without a backup).
struct DependencyLoss {
  double lost = 0;
  double backup_until = 0;
};

/// A bus of a networked grid as the records left it (ExerciseState::grid_flows).
struct BusFlow {
  std::string id;
  std::size_t island = 0;   ///< index into GridFlows::islands (islands ordered by their lowest bus)
  bool energised = false;   ///< its island has generation
  double angle_deg = 0;     ///< voltage angle, relative to its island's reference bus
  double load_mw = 0;       ///< load served at the bus (shunt conductance included)
  double shed_mw = 0;       ///< load not served: shed, or disconnected with its substation
  double generation_mw = 0; ///< output of the generators at the bus
  double x = 0, y = 0;      ///< one-line diagram coordinates (the scenario's, else a layout; y grows upwards)
  bool has_generator = false, has_load = false;
};

/// A branch of a networked grid as the records left it.
struct BranchFlow {
  std::string id;
  std::size_t from = 0, to = 0; ///< bus indices into GridFlows::buses
  std::string status;           ///< "closed", "open" (a breaker, or out of service in the case) or "tripped"
  double flow_mw = 0;           ///< MW from `from` to `to` (negative: the other way); 0 unless closed
  double loading_pct = 0;       ///< |flow| / rating x 100; 0 when unrated or not closed
  double rating_mw = 0;         ///< 0: unrated
};

/// One networked grid: its buses, branches and islands now (docs/engine.md, "The grid in the state view").
struct GridFlows {
  std::string grid, name;
  std::vector<BusFlow> buses;
  std::vector<BranchFlow> branches;
  std::size_t islands = 0;
};

class ExerciseState {
public:
  /// A state at time 0 of an exercise of `scenario`, which must outlive it.
  explicit ExerciseState(const Scenario& scenario);
  ExerciseState(const ExerciseState& other);
  ExerciseState& operator=(const ExerciseState& other);
  ExerciseState(ExerciseState&&) noexcept;
  ExerciseState& operator=(ExerciseState&&) noexcept;
  ~ExerciseState();

  /// Fold one record; records come in seq order. A record whose details lack a field it needs changes what it can
  /// and never throws (records may come from a file).
  void apply(const Record& record);
  /// Fold a world event given by its parts (the engine's, without building a record): `details` is a JSON object.
  void apply_event(double time, RecordType type, const std::string& subject, const std::string& details);

  const Scenario& scenario() const;
  double time() const;       ///< the last record's time (3 decimals), 0 before any
  std::uint64_t seq() const; ///< the last record's seq
  std::uint64_t records() const;

  // typed reads
  const NodeState& node(Index n) const;
  /// The service's status: ground truth ("up", "degraded", "down") and, when probed, what its probes measured.
  std::string service_status(Index s) const;
  std::string probe_status(Index s) const; ///< "up" before any probe_status record
  double availability(Index s, double t) const;
  bool team_knows(const std::string& team, const std::string& indicator) const;
  /// Whether the effect of an action `team` already took still holds (docs/scenario-format.md, "Expectations"):
  /// block: it blocks `indicator` (any indicator if empty); isolate: one of `nodes` (any node if empty) is isolated
  /// by it now; patch: it patched one of them; manual_operations: one of them is a unit in manual operations that
  /// it ordered. Other actions leave no lasting state: false.
  bool action_holds(const std::string& team, ActionType type, const std::vector<Index>& nodes,
                    const std::string& indicator) const;
  /// Whether the team's inbox holds `item`; *read_at: when it was read (NEVER while unread).
  bool inbox_item(const std::string& team, const std::string& item, double* read_at) const;
  std::size_t assessed_incidents(const std::string& team) const;
  std::size_t sitrep_count(const std::string& team) const;
  std::optional<double> assessment_score(const std::string& team, const std::string& incident) const;
  std::optional<double> official_score(const std::string& incident) const;
  std::size_t official_assessments() const;
  double exfiltrated(const std::string& campaign) const; ///< bytes; "" for all campaigns
  double lost_mw(const std::string& grid) const;         ///< MW; "" for all grids
  /// Networked grids (grid_balance details "shed_mw", "overloaded"): MW shed by under-frequency relays or for want
  /// of generation in an island, and branches loaded above their protection's pickup now; "" for all grids.
  double shed_mw(const std::string& grid) const;
  int overloaded_branches(const std::string& grid) const;
  bool data_published(const std::string& campaign) const; ///< a data_published record of the campaign came
  /// A dependency as its records left it: "ok", "lost" (dependency_lost, not restored since: its backup, if any,
  /// carries the dependent) or "exhausted" (backup_exhausted: the backup ran dry, not restored since).
  std::string dependency_status(const std::string& dependency) const;
  /// A dependency lost and not restored since: when (its dependency_lost record's time) and when its backup runs dry
  /// (that time + the record's "backup" seconds, moved by backup_refuelled's "until"); nullopt while it is ok.
  std::optional<DependencyLoss> dependency_loss(const std::string& dependency) const;
  /// Whether a step succeeded (step_succeeded) of `campaign` ("" any) with id `step` ("" any) and technique
  /// `technique` ("" any; a parent technique matches its sub-techniques).
  bool step_succeeded(const std::string& campaign, const std::string& step, const std::string& technique) const;
  std::vector<std::string> compromised_nodes() const; ///< node ids holding a foothold, sorted
  TeamFacts team_facts(const std::string& team) const;
  /// Every public statement so far, in record order (the report's "Public communication").
  const std::vector<PublicStatement>& public_statements() const;

  /// The KPIs at time t (>= time(): quantities integrated over time run to t).
  Kpis kpis(double t) const;
  /// The KPIs at t as JSON (the `truth.kpis` of snapshots, `cyberex run --json`).
  std::string kpis_json(double t) const;
  /// Every KPI's time series up to t (the report's charts, the GUI's dashboard).
  KpiHistory series(double t) const;
  /// Every player team's score at t.
  std::vector<TeamScore> scores(double t) const;
  /// {"time":t,"teams":[{"rank","team","total","expectations","ratings","metrics"}...]}: the leaderboard at t; with
  /// `standings`, what teams and observers see during the exercise (metrics withheld, docs/protocol.md "Scoring").
  std::string leaderboard_json(double t, bool standings) const;
  /// The last standings published (a standings record), or the standings at 0 before any.
  std::string last_standings_json() const;
  /// The scores at t as JSON (the `scores` query); for a principal that is not control, a team's metrics are withheld
  /// until the exercise has ended.
  std::string scores_json(double t, const std::string& only_team, bool control) const;

  /// Everything `who` may see at time t >= time() as one JSON object (docs/protocol.md, "Snapshots"): seq, time, role,
  /// exercise, clock, leaderboard; a player its team; control every team, the MSEL, ground truth, the scores and the
  /// evaluation.
  std::string to_json(double t, const Principal& who) const;

  /// The MSEL as control sees it: {"injects":[...],"expectations":[...]} (the `msel` query).
  std::string msel_json() const;
  /// One inject as the `inject_*` commands answer (control) or as it is delivered (players).
  std::string inject_json(const std::string& inject, bool control) const;
  /// A player team's view: inbox, alerts, known indicators, situation reports, assessments, assets.
  std::string team_json(const std::string& team) const;
  std::string assets_json(const std::string& team) const;
  std::string inbox_json(const std::string& team) const;
  std::string alerts_json(const std::string& team) const;
  /// Every networked grid's flows now, in grid order: a DC power flow of the network with the branches the records
  /// opened, tripped or closed, the generators' outputs the unit_output and setpoint_changed records gave and the
  /// loads the load_shed, load_lost and load_restored records took away (the engine's own solve, re-done).
  std::vector<GridFlows> grid_flows() const;
  /// Ground truth: {"kpis":...,"compromised":[...],"nodes":[...],"campaigns":[...],"services":[...],"grids":[...],
  /// "blocked":[...]}; a networked grid's entry has its "buses" and "branches" (grid_flows).
  std::string truth_json(double t) const;

  class Impl;

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace cyberex
