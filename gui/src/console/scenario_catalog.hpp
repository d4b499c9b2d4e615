/* What the consoles need to know of a scenario to offer choices: teams, objectives, actions, severity model. */
#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>

namespace cyberex {
struct Scenario;
}

namespace cyberex::gui {

/// A summary of a scenario in Qt types, built from the loaded model (or left empty when the console connects to a
/// remote drill without the scenario file: the forms then accept free text).
struct ScenarioCatalog {
  struct Move {
    QString id;
    QString title;
    double offset = 0;     ///< seconds from the exercise start
    QString situationTime; ///< ISO 8601 date-time of the story at the start of the move
  };
  struct Team {
    QString id;
    QString name;
    QString role;                               ///< player, white_cell, evaluator, observer
    QStringList nodes;                          ///< asset node ids, in scenario order
    QStringList services;                       ///< services running on those nodes
    QMap<QString, QStringList> vulnerabilities; ///< node id -> vulnerability ids
  };
  struct Objective {
    QString id;
    QString title;
    QStringList criticalTasks;
    QStringList teams; ///< empty: every player team
  };
  struct SeverityCategory {
    QString id;
    QStringList levels; ///< in increasing score order
  };

  bool loaded = false;
  std::shared_ptr<const Scenario> scenario; ///< the loaded model (for the map and the dashboard); null if not loaded
  QString file;
  QString title;
  QString start; ///< ISO 8601 local date-time of the exercise start
  double duration = 0;
  QList<Move> moves;
  QList<Team> teams;
  QList<Objective> objectives;
  QMap<QString, QString> criticalTasks; ///< id -> description
  QStringList actionTypes;              ///< the catalog's action types a team may send with "action"
  QList<SeverityCategory> severity;
  QStringList incidents;             ///< campaign ids (incidents to assess)
  QMap<QString, QString> indicators; ///< id -> value
  QStringList nodes;                 ///< every node id

  /// Build from a loaded scenario (kept, shared).
  static ScenarioCatalog fromScenario(std::shared_ptr<const Scenario> scenario);
  /// Load FILE with the core's loader; on error, an unloaded catalog and ERROR (the diagnostics, one a line).
  static ScenarioCatalog load(const QString& file, QString* error);

  const Team* team(const QString& id) const;
  QStringList playerTeams() const;
  const Objective* objective(const QString& id) const;
  /// The objectives that apply to TEAM.
  QList<Objective> objectivesFor(const QString& team) const;
  /// The story's date-time at simulated time T (the move in force, else the exercise start), "yyyy-MM-dd HH:mm:ss";
  /// empty when unknown. FALLBACKSTART is used when the catalog is not loaded.
  QString situationTime(double t, const QString& fallbackStart = {}) const;
};

} // namespace cyberex::gui
