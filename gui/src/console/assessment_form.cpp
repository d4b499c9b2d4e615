#include "console/assessment_form.hpp"

#include "console/console_state.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace cyberex::gui {

QString formatDifferences(const QJsonArray& teams)
{
  QStringList out;
  for (const auto& t : teams) {
    const QJsonObject o = t.toObject();
    const double difference = o.value("difference").toDouble();
    out.append(QStringLiteral("%1 %2 (%3%4)")
                   .arg(o.value("team").toString(), QString::number(o.value("score").toDouble(), 'f', 2),
                        difference > 0 ? "+" : "", QString::number(difference, 'f', 2)));
  }
  return out.join(", ");
}

bool sendFromForm(ConsoleState* state, QLabel* result, const QJsonObject& command, const QString& error,
                  std::function<QString(const QJsonValue&)> describe)
{
  if (command.isEmpty()) {
    result->setText(error);
    return false;
  }
  result->setText(QObject::tr("sent…"));
  QPointer<QLabel> label(result);
  state->send(
      command,
      [label, describe](const QJsonValue& reply) {
        if (label)
          label->setText(describe(reply));
      },
      [label](const QString& message) {
        if (label)
          label->setText(message);
      });
  return true;
}

AssessmentForm::AssessmentForm(ConsoleState* state, const QString& type, const QString& prefix, const QString& title,
                               QWidget* parent)
    : QGroupBox(title, parent), m_state(state), m_type(type)
{
  auto* layout = new QVBoxLayout(this);
  auto* top = new QFormLayout;
  m_incident = new QComboBox(this);
  m_incident->setObjectName(prefix + "Incident");
  m_incident->setEditable(true);
  m_incident->setInsertPolicy(QComboBox::NoInsert);
  if (type == "assess")
    m_incident->lineEdit()->setPlaceholderText(tr("the incident's name, as the White Cell gave it"));
  top->addRow(tr("Incident"), m_incident);
  layout->addLayout(top);
  auto* levels = new QWidget(this);
  m_levelsForm = new QFormLayout(levels);
  m_levelsForm->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(levels);
  m_submit = new QPushButton(type == "assess" ? tr("Send &assessment") : tr("Send &official assessment"), this);
  m_submit->setObjectName(prefix + "Submit");
  m_result = new QLabel(this);
  m_result->setObjectName(prefix + "Result");
  m_result->setWordWrap(true);
  m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_submit, 0, Qt::AlignLeft);
  layout->addWidget(m_result);
  layout->addStretch(1);
  connect(m_submit, &QPushButton::clicked, this, &AssessmentForm::submit);
  connect(state, &ConsoleState::snapshotApplied, this, &AssessmentForm::updateIncidents);
  applyCatalog();
}

void AssessmentForm::applyCatalog()
{
  const ScenarioCatalog& c = m_state->catalog();
  for (const auto& level : m_levels)
    delete level.second;
  m_levels.clear();
  while (m_levelsForm->rowCount() > 0)
    m_levelsForm->removeRow(0);
  for (const auto& category : c.severity) {
    auto* box = new QComboBox(m_levelsForm->parentWidget());
    box->setObjectName("level_" + category.id);
    box->addItems(category.levels);
    m_levelsForm->addRow(category.id, box);
    m_levels.append({category.id, box});
  }
  updateIncidents();
}

void AssessmentForm::updateIncidents()
{
  // the White Cell chooses among the scenario's campaigns; a team never sees those ids (an adversary's plan is
  // ground truth): it is offered only the incidents it has assessed already, from its own view, and types new ones
  QStringList incidents;
  if (m_type == "assess") {
    incidents = m_state->snapshot().value("team").toObject().value("assessments").toObject().keys();
    for (const QString& i : m_assessed)
      if (!incidents.contains(i))
        incidents.append(i);
    incidents.sort();
  } else {
    incidents = m_state->catalog().incidents;
  }
  const QString current = m_incident->currentText();
  const QSignalBlocker block(m_incident);
  m_incident->clear();
  m_incident->addItem(QString());
  m_incident->addItems(incidents);
  m_incident->setCurrentText(current);
}

QComboBox* AssessmentForm::levelBox(const QString& category) const
{
  for (const auto& [id, box] : m_levels)
    if (id == category)
      return box;
  return nullptr;
}

QJsonObject AssessmentForm::command(QString* error) const
{
  const QString incident = m_incident->currentText().trimmed();
  QString message;
  if (incident.isEmpty())
    message = tr("Assessment: name the incident");
  else if (m_levels.isEmpty())
    message = tr("Assessment: the severity categories come from the scenario file, which is not loaded");
  if (!message.isEmpty()) {
    if (error)
      *error = message;
    return {};
  }
  QJsonObject levels;
  for (const auto& [id, box] : m_levels)
    levels.insert(id, box->currentText());
  return {{"type", m_type}, {"incident", incident}, {"levels", levels}};
}

void AssessmentForm::submit()
{
  QString error;
  auto describe = [this](const QJsonValue& reply) {
    const QJsonObject r = reply.toObject();
    if (m_type == "assess" && !m_assessed.contains(r.value("incident").toString())) {
      m_assessed.append(r.value("incident").toString());
      updateIncidents();
    }
    QString text = (m_type == "assess" ? tr("Assessment of %1 recorded: score %2")
                                       : tr("Official assessment of %1 recorded: score %2"))
                       .arg(r.value("incident").toString(), QString::number(r.value("score").toDouble(), 'f', 2));
    // the official one lists the teams that assessed the incident and their difference to it
    const QString teams = formatDifferences(r.value("teams").toArray());
    if (m_type != "assess")
      text += teams.isEmpty() ? tr("; no team has assessed it yet") : tr("; teams: %1").arg(teams);
    return text;
  };
  if (!sendFromForm(m_state, m_result, command(&error), error, describe))
    emit invalid(error);
}

} // namespace cyberex::gui
