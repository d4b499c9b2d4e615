/* The incident severity assessment form: a team's `assess` (team console) or the White Cell's `official_assessment`
 * (controller console). One level box per severity category of the scenario. */
#pragma once

#include <QGroupBox>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QStringList>

#include <functional>

class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;

namespace cyberex::gui {

class ConsoleState;

/// The teams' differences to an official assessment (its "teams": [{"team","score","difference"}]), e.g.
/// "cert-gov 75.25 (+6.25), cert-energy 60.00 (-9.00)"; empty when no team assessed the incident.
QString formatDifferences(const QJsonArray& teams);

/// Send a form's COMMAND through STATE, showing "sent…" in RESULT, then DESCRIBE(reply) or the error. An empty
/// COMMAND (the form's ERROR explains why) is not sent: RESULT shows ERROR and the function returns false.
bool sendFromForm(ConsoleState* state, QLabel* result, const QJsonObject& command, const QString& error,
                  std::function<QString(const QJsonValue&)> describe);

class AssessmentForm : public QGroupBox {
  Q_OBJECT
public:
  /// A form sending TYPE ("assess" or "official_assessment") through STATE; its children's object names start with
  /// PREFIX (PREFIX + "Incident", "Submit", "Result"; the level boxes are "level_" + category).
  AssessmentForm(ConsoleState* state, const QString& type, const QString& prefix, const QString& title,
                 QWidget* parent = nullptr);

  /// Rebuild the incident choices and level boxes from the state's catalog.
  void applyCatalog();
  /// The incident choices: the scenario's campaigns for the White Cell's official form; for a team's form only the
  /// incidents that team assessed already (its snapshot, its replies), never the scenario's campaign ids.
  void updateIncidents();
  /// The command the form describes; empty (and ERROR set) when the incident or the levels are missing.
  QJsonObject command(QString* error = nullptr) const;
  /// Send it; the reply (score, differences with the teams) or the error appears in resultLabel.
  void submit();

  QComboBox* incidentBox() const { return m_incident; }
  QComboBox* levelBox(const QString& category) const;
  QPushButton* submitButton() const { return m_submit; }
  QLabel* resultLabel() const { return m_result; }

signals:
  /// The form was submitted incomplete: MESSAGE says what is missing (also in resultLabel).
  void invalid(const QString& message);

private:
  ConsoleState* m_state;
  QString m_type;
  QComboBox* m_incident;
  QFormLayout* m_levelsForm;
  QList<QPair<QString, QComboBox*>> m_levels;
  QStringList m_assessed; ///< incidents this form's team assessed here (its snapshot has those assessed before)
  QPushButton* m_submit;
  QLabel* m_result;
};

} // namespace cyberex::gui
