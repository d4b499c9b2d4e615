/* The Evaluation tab of the controller console: evaluators' observations (`observe`) and the White Cell's official
 * severity assessment (`official_assessment`), each form with the server's answer under it and the records below. */
#pragma once

#include <QGroupBox>
#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace cyberex::gui {

class AssessmentForm;
class ConsoleState;
class JsonTableModel;

/// An evaluator's observation for the after-action report: its kind (sent as the observe command's `kind`:
/// strength, improvement or note), the team, objective and critical task it concerns (each optional), the text; an
/// area for improvement may carry its corrective action, capability element and due date (written into the text as
/// the report expects them, docs/after-action.md).
class ObservationForm : public QGroupBox {
  Q_OBJECT
public:
  explicit ObservationForm(ConsoleState* state, QWidget* parent = nullptr);

  /// Refill the team, objective and critical task choices (from the catalog, or free text without it).
  void updateChoices();
  /// The `observe` command; empty (and ERROR set) when the entry is incomplete or malformed.
  QJsonObject command(QString* error = nullptr) const;
  /// Send it; "Observation N recorded" or the server's error appears in resultLabel.
  void submit();

  QComboBox* kindBox() const { return m_kind; }
  QComboBox* teamBox() const { return m_team; }
  QComboBox* objectiveBox() const { return m_objective; }
  QComboBox* taskBox() const { return m_task; }
  QPlainTextEdit* textEdit() const { return m_text; }
  QLineEdit* correctiveActionEdit() const { return m_action; }
  QComboBox* elementBox() const { return m_element; }
  QLineEdit* dueEdit() const { return m_due; }
  QPushButton* submitButton() const { return m_submit; }
  QLabel* resultLabel() const { return m_result; }

signals:
  /// The form was submitted incomplete or malformed: MESSAGE says where and what was expected.
  void invalid(const QString& message);

private:
  void fillObjectives();
  void fillTasks();
  void updateKind();

  ConsoleState* m_state;
  QComboBox* m_kind;
  QComboBox* m_team;
  QComboBox* m_objective;
  QComboBox* m_task;
  QPlainTextEdit* m_text;
  QLineEdit* m_action;
  QComboBox* m_element;
  QLineEdit* m_due;
  QPushButton* m_submit;
  QLabel* m_result;
};

/// The observation form and the observations received (evaluators and the controller), the official assessment form
/// (the controller only: the server refuses it from evaluators) and the official assessments received.
class EvaluationPanel : public QWidget {
  Q_OBJECT
public:
  explicit EvaluationPanel(ConsoleState* state, QWidget* parent = nullptr);

  ObservationForm* observationForm() const { return m_observe; }
  AssessmentForm* officialForm() const { return m_official; }
  QTableView* observationView() const { return m_observations; }
  QTableView* officialView() const { return m_officials; }
  /// Every observation (time, by, team, objective, critical_task, text), from the snapshot and the records.
  JsonTableModel* observationModel() const { return m_observationModel; }
  /// The latest official assessment of each incident (time, incident, score, teams' differences, levels).
  JsonTableModel* officialModel() const { return m_officialModel; }

signals:
  void invalid(const QString& message);

private:
  void updateRole();
  void applySnapshot(const QJsonObject& snapshot);
  void applyRecord(const QJsonObject& record);
  void setOfficial(const QJsonObject& assessment);

  ConsoleState* m_state;
  ObservationForm* m_observe;
  AssessmentForm* m_official;
  QTableView* m_observations;
  QTableView* m_officials;
  JsonTableModel* m_observationModel;
  JsonTableModel* m_officialModel;
};

} // namespace cyberex::gui
