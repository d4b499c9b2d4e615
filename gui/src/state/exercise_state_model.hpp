/* ExerciseStateModel: the GUI's one state of an exercise. A QObject that owns a core ExerciseState (the one fold of
 * records, cyberex/exercise_state.hpp) and hands the views what they draw: the condition of every node, the alerts a
 * team received, the KPIs and their time series as table models. The consoles feed it the records they receive; the
 * after-action player sets it to the Timeline's state at the cursor. Views never fold records themselves. */
#pragma once

#include "cyberex/record.hpp"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <array>
#include <memory>
#include <vector>

namespace cyberex {
class ExerciseState;
struct Scenario;
} // namespace cyberex

namespace cyberex::gui {

class StepSeriesModel;

/// The step-valued indicators of the dashboard (ExerciseState::series, docs/after-action.md "KPIs").
enum class Kpi {
  availability, ///< mean availability of the scenario's services, % (probed services: what the probes measured)
  compromised,  ///< nodes holding a foothold
  exfiltrated,  ///< MB (10^6 bytes) exfiltrated, all campaigns
  mwLost,       ///< MW of load lost, all grids
  mwShed,       ///< networked grids: MW shed by under-frequency relays or for want of generation in an island
  overloaded    ///< networked grids: branches loaded above their protection's pickup
};
inline constexpr int KPI_COUNT = 6;

/// How the views show a node, from its state in the fold.
struct NodeCondition {
  bool compromised = false; ///< a campaign holds a foothold (ground truth)
  bool isolated = false;
  bool down = false;     ///< offline for a restore, shut down, or failed for a reason other than its own isolation
  bool degraded = false; ///< a service on it degraded or down; a unit not running normally; defaced or encrypted
  bool alerted = false;  ///< a team's view: an alert to that team named the node
  bool operator==(const NodeCondition&) const = default;
};

class ExerciseStateModel : public QObject {
  Q_OBJECT
public:
  explicit ExerciseStateModel(QObject* parent = nullptr);
  ~ExerciseStateModel() override;

  /// The scenario the records are about (the model keeps it alive): the state starts at time 0, then folds the
  /// records applied while there was no scenario (a console receives records before its scenario file has loaded).
  /// Records folded for an earlier scenario are dropped.
  void setScenario(std::shared_ptr<const Scenario> scenario);
  const Scenario* scenario() const; ///< null before setScenario
  /// The fold (a state at time 0 of an empty scenario before setScenario).
  const ExerciseState& state() const;

  /// Fold one record as received (docs/protocol.md). False, and nothing folded, when it is not a record of the
  /// vocabulary (no such kind or type).
  bool applyRecord(const QJsonObject& record);
  bool applyRecord(const QByteArray& json); ///< same, from JSON text
  void applyRecord(const Record& record);
  /// Replace the state (the after-action player's seek: Timeline::fold_to(time)); STATE's scenario must be this
  /// model's.
  void reset(ExerciseState state, double time);
  /// Back to time 0, nothing folded (scenario kept).
  void clear();

  /// The time the views show: at least the last record's; a running clock moves it on between records (the KPIs
  /// and series hold their last values up to it).
  void setTime(double time);
  double time() const;

  int nodeCount() const;
  int nodeIndex(const QString& nodeId) const; ///< -1 if none
  /// Ground truth of node N (its index in the scenario); alerted is false.
  NodeCondition nodeCondition(int n) const;
  /// Every node's condition, by index (recomputed after a change, when first read).
  const std::vector<NodeCondition>& nodeConditions() const;
  /// Per node (by index): 1 if an alert to TEAM named it; empty if the team received none.
  const std::vector<char>& alertedNodes(const QString& team) const;
  QStringList compromisedNodes() const;           ///< ids, sorted
  QString serviceStatus(const QString& id) const; ///< "up", "degraded", "down" (ground truth); empty if unknown
  double kpiValue(Kpi kpi) const;                 ///< now

  /// A KPI's series up to time() (rows updated at most 10 times a second while records arrive; flushSeries()).
  StepSeriesModel* series(Kpi kpi) const;
  /// A team's leaderboard total over time; null until a leaderboard names the team.
  StepSeriesModel* teamScores(const QString& team) const;
  QStringList scoredTeams() const; ///< sorted
  void flushSeries();              ///< bring the series models up to date now

signals:
  void scenarioChanged();
  void recordApplied(cyberex::RecordType type);
  void stateChanged(); ///< after a record, a reset, a clear or a new scenario
  void seriesChanged();
  void scoredTeamsChanged();

private:
  void folded(int node = -1); ///< node: the only node whose condition may have changed; -1: any
  void scheduleSeries();
  NodeCondition conditionOf(std::size_t node) const;

  std::shared_ptr<const Scenario> m_scenario;
  std::unique_ptr<ExerciseState> m_state;
  std::vector<Record> m_pending; ///< records received before the scenario
  double m_time = 0;
  QHash<QString, int> m_nodeIndex;
  QHash<QString, int> m_serviceIndex;
  std::vector<std::vector<int>> m_nodeServices; ///< node -> the services it runs

  mutable std::vector<NodeCondition> m_conditions;
  mutable bool m_conditionsDirty = true;              ///< every node's to recompute
  mutable std::vector<int> m_dirtyNodes;              ///< else these nodes' (a record about a node or its service)
  mutable QHash<QString, std::vector<char>> m_alerts; ///< team -> alerted mask, cached until the next change

  std::array<StepSeriesModel*, KPI_COUNT> m_series{};
  QHash<QString, StepSeriesModel*> m_teamSeries;
  QTimer m_seriesTimer;
};

} // namespace cyberex::gui
