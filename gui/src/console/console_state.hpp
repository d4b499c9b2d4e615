/* What a console knows of the running exercise: the clock, the scenario catalog and every model, kept up to date
 * from one DrillConnection's snapshot, records and replies. */
#pragma once

#include "console/asset_model.hpp"
#include "console/drill_connection.hpp"
#include "console/event_log_model.hpp"
#include "console/msel_model.hpp"
#include "console/scenario_catalog.hpp"
#include "console/score_model.hpp"
#include "console/team_models.hpp"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace cyberex::gui {

/// The exercise clock as the server last told it (see the `clock` query in docs/protocol.md).
struct ClockInfo {
  QString state = "ready"; ///< ready, running, paused, ended
  double time = 0;         ///< simulated seconds since the start
  double speed = 1;
  double duration = 0;
  QString move;
  /// -1: none, or not told: the server gives next_event and next_inject to control only (they reveal the adversary's
  /// coming steps and hidden or other teams' injects), so a player's or observer's clock never has them
  double nextEvent = -1;
  double nextInject = -1;
};

class ConsoleState : public QObject {
  Q_OBJECT
public:
  using ResultHandler = std::function<void(const QJsonValue&)>;
  using ErrorHandler = std::function<void(const QString&)>;

  explicit ConsoleState(DrillConnection* connection, QObject* parent = nullptr);

  DrillConnection* connection() const { return m_connection; }
  QString role() const { return m_role; }
  QString team() const { return m_team; }
  /// Controller or evaluator: sees ground truth, the MSEL and every team.
  bool isControl() const { return m_role == "controller" || m_role == "evaluator"; }
  bool isController() const { return m_role == "controller"; }

  const ScenarioCatalog& catalog() const { return m_catalog; }
  void setCatalog(const ScenarioCatalog& catalog);
  /// Load the scenario FILE on a worker thread; catalogChanged (or catalogFailed) follows.
  void loadCatalog(const QString& file);

  const ClockInfo& clock() const { return m_clock; }
  /// The story's date-time now ("yyyy-MM-dd HH:mm:ss"), from the catalog's moves or the exercise start.
  QString situationTime() const;
  QString exerciseTitle() const { return m_title; }
  QStringList playerTeams() const { return m_players; }
  QStringList knownIndicators() const;
  QString lastError() const { return m_lastError; }
  bool hasSnapshot() const { return m_snapshots > 0; }
  /// The last snapshot applied (empty before the first): views created later start from it and the event log.
  const QJsonObject& snapshot() const { return m_snapshot; }

  EventLogModel* eventLog() { return &m_eventLog; }
  MselModel* msel() { return &m_msel; }
  ExpectationModel* expectations() { return &m_expectations; }
  InboxModel* inbox() { return &m_inbox; }
  AlertModel* alerts() { return &m_alerts; }
  SitrepModel* sitreps() { return &m_sitreps; }
  AssetModel* assets() { return &m_assets; }
  LeaderboardModel* leaderboard() { return &m_leaderboard; }
  TeamScoreModel* scores() { return &m_scores; }

  /// Send COMMAND. Its result updates the models it concerns (clock, MSEL, scores, assets...), then ON_OK runs;
  /// a rejection sets lastError, runs ON_ERROR with the message and emits commandFailed.
  void send(const QJsonObject& command, ResultHandler onOk = {}, ErrorHandler onError = {});
  void refreshScores();
  void refreshAssets();

  /// Apply a snapshot / a record as received (public for tests and for the after-action player's reuse).
  void applySnapshot(const QJsonObject& snapshot);
  void applyRecord(const QJsonObject& record);

signals:
  void welcomed();
  void clockChanged();
  void snapshotApplied();
  void recordApplied(const QJsonObject& record);
  void commandFailed(const QString& message);
  void commandSucceeded(const QString& type, const QJsonValue& result);
  void connectionMessage(const QString& message);
  void knownIndicatorsChanged();
  void playerTeamsChanged();
  void catalogChanged();
  void catalogFailed(const QString& message);

private:
  void setClock(const QJsonObject& clock);
  void learn(const QJsonArray& indicators);
  void setPlayers(const QStringList& players);

  DrillConnection* m_connection;
  ScenarioCatalog m_catalog;
  ClockInfo m_clock;
  QString m_role;
  QString m_team;
  QString m_title;
  QString m_start;
  QString m_lastError;
  QStringList m_players;
  QSet<QString> m_known;
  int m_snapshots = 0;
  QJsonObject m_snapshot;
  bool m_clockQueryPending = false;
  QTimer m_clockPoll;
  QTimer m_scoresDebounce;
  QTimer m_assetsDebounce;

  EventLogModel m_eventLog;
  MselModel m_msel;
  ExpectationModel m_expectations;
  InboxModel m_inbox;
  AlertModel m_alerts;
  SitrepModel m_sitreps;
  AssetModel m_assets;
  LeaderboardModel m_leaderboard;
  TeamScoreModel m_scores;
};

} // namespace cyberex::gui
