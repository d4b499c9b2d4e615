/* The after-action player's what-if form (issue 18): from a time, a team and an action with its target or indicator
 * (from the scenario's catalog), it builds the commands of `cyberex whatif --command`, so nobody writes JSON by hand.
 * Commands are added to a list and removed from it; all of them apply at the branch time. */
#pragma once

#include "console/scenario_catalog.hpp"

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace cyberex::gui {

class ActionForm;

class WhatifForm : public QWidget {
  Q_OBJECT
public:
  explicit WhatifForm(QWidget* parent = nullptr);

  /// Offer CATALOG's player teams, their assets and its indicators.
  void setCatalog(const ScenarioCatalog& catalog);
  /// The branch time (seconds from the start), shown as "1h45m"; the player sets it to its cursor.
  void setTime(double seconds);
  /// The branch time as typed (cyberex/exercise_time.hpp forms); nullopt-like -1 when it is none of them.
  double time() const;
  QLineEdit* timeEdit() const { return m_time; }

  QString team() const;
  bool setTeam(const QString& team);
  QComboBox* teamBox() const { return m_team; }
  ActionForm* actionForm() const { return m_action; }

  /// Add the command the form describes ({"as":"player:TEAM","command":{...}}); false with the reason in plain
  /// words (also shown under the form) when a field is missing.
  bool addCommand();
  void removeCommand(int row);
  void clearCommands();
  /// The --command arguments of cyberex whatif, in the order added.
  QStringList commands() const { return m_commands; }
  QListWidget* commandList() const { return m_list; }
  /// Check the form before a run: the time and at least one command; false with the reason in *ERROR.
  bool validate(QString* error) const;
  void setRunning(bool running);

signals:
  /// Run pressed: the branch at AT with COMMANDS.
  void runRequested(double at, const QStringList& commands);
  void cancelRequested();

private:
  void updateTeam();

  ScenarioCatalog m_catalog;
  QLineEdit* m_time;
  QComboBox* m_team;
  ActionForm* m_action;
  QListWidget* m_list;
  QLabel* m_error;
  QPushButton* m_run;
  QPushButton* m_cancel;
  QStringList m_commands;
};

} // namespace cyberex::gui
