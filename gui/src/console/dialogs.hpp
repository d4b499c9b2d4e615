/* The controller's and evaluator's forms: a new inject, an HSEEP rating. Each builds one protocol command. */
#pragma once

#include "console/scenario_catalog.hpp"

#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QButtonGroup;
class QLabel;

namespace cyberex::gui {

/// A duration or time typed by a person, read by the core's parse_exercise_time (cyberex/exercise_time.hpp): "90" or
/// "90s", "15m", "2h30m", "1d2h", "HH:MM" or "HH:MM:SS"; seconds, or -1 when TEXT is none of these (empty: -1 too).
double parseDuration(const QString& text);

/// The ids (Qt::UserRole) of the checked items of LIST.
QStringList checkedItems(const QListWidget* list);
/// Fill LIST with one checkable item per id, shown as "id  (value)" when VALUES has one; ids that were checked
/// stay checked.
void setCheckableItems(QListWidget* list, const QStringList& ids, const QMap<QString, QString>& values = {});

/// "New inject": id, title, content, recipients, channel, from, type, hidden, time, expiry, indicators.
class NewInjectDialog : public QDialog {
  Q_OBJECT
public:
  NewInjectDialog(const ScenarioCatalog& catalog, const QStringList& teams, QWidget* parent = nullptr);
  /// The `inject_create` command; empty (and ERROR set) when a required field is missing.
  QJsonObject command(QString* error = nullptr) const;

  QLineEdit* idEdit() const { return m_id; }
  QLineEdit* titleEdit() const { return m_title; }
  QPlainTextEdit* contentEdit() const { return m_content; }
  QListWidget* recipients() const { return m_to; }
  QListWidget* indicators() const { return m_indicators; }
  QLineEdit* timeEdit() const { return m_time; }

private:
  QLineEdit* m_id;
  QLineEdit* m_title;
  QPlainTextEdit* m_content;
  QListWidget* m_to;
  QLineEdit* m_channel;
  QLineEdit* m_from;
  QComboBox* m_type;
  QCheckBox* m_hidden;
  QLineEdit* m_time;
  QLineEdit* m_expires;
  QListWidget* m_indicators;
};

/// The evaluator's rating: team, objective, critical task (or the whole objective), P/S/M/U, notes.
class RatingDialog : public QDialog {
  Q_OBJECT
public:
  RatingDialog(const ScenarioCatalog& catalog, const QStringList& teams, const QString& team,
               QWidget* parent = nullptr);
  /// The `rate` command; empty (and ERROR set) when no rating is chosen.
  QJsonObject command(QString* error = nullptr) const;

  QComboBox* teamBox() const { return m_team; }
  QComboBox* objectiveBox() const { return m_objective; }
  QComboBox* taskBox() const { return m_task; }
  void setRating(const QString& rating);
  QPlainTextEdit* notesEdit() const { return m_notes; }

private:
  void fillObjectives();
  void fillTasks();
  const ScenarioCatalog& m_catalog;
  QComboBox* m_team;
  QComboBox* m_objective;
  QComboBox* m_task;
  QButtonGroup* m_rating;
  QPlainTextEdit* m_notes;
};

} // namespace cyberex::gui
