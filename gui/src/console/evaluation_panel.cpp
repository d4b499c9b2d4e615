#include "console/evaluation_panel.hpp"

#include "console/assessment_form.hpp"
#include "console/console_state.hpp"
#include "console/json_table_model.hpp"
#include "console/widgets.hpp"
#include "state/record_json.hpp"

#include <QComboBox>
#include <QDate>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace cyberex::gui {

namespace {

/// The id chosen in BOX: the current item's data when its text is shown, else the text typed (editable boxes).
QString choice(const QComboBox* box)
{
  const QString text = box->currentText().trimmed();
  const int i = box->currentIndex();
  if (i >= 0 && box->itemText(i) == box->currentText())
    return box->itemData(i).toString();
  return text;
}

/// TEXT ending with a full stop (or its own ! or ?), so that a marker can follow it.
QString sentence(const QString& text)
{
  return text.endsWith('.') || text.endsWith('!') || text.endsWith('?') ? text : text + '.';
}

/// A table of MODEL whose last column (a text) takes the room left.
QTableView* recordTable(JsonTableModel* model, const QString& name, QWidget* parent)
{
  QTableView* view = makeTable(model, parent);
  view->setObjectName(name);
  for (int c = 0; c + 1 < model->columnCount(); ++c)
    view->setColumnWidth(c, c == 0 ? 65 : 110);
  return view;
}

/// The kinds of observation: the Kind box's labels and the `kind` the observe command sends.
const QStringList kinds{"Strength", "Area for improvement", "Note"};
const QStringList kindCodes{"strength", "improvement", "note"};

} // namespace

ObservationForm::ObservationForm(ConsoleState* state, QWidget* parent)
    : QGroupBox(tr("Observation for the after-action report"), parent), m_state(state)
{
  m_kind = new QComboBox(this);
  m_kind->setObjectName("observeKind");
  m_kind->addItems(kinds);
  m_team = new QComboBox(this);
  m_team->setObjectName("observeTeam");
  m_objective = new QComboBox(this);
  m_objective->setObjectName("observeObjective");
  m_objective->setInsertPolicy(QComboBox::NoInsert);
  m_task = new QComboBox(this);
  m_task->setObjectName("observeTask");
  m_task->setInsertPolicy(QComboBox::NoInsert);
  m_text = new QPlainTextEdit(this);
  m_text->setObjectName("observeText");
  m_text->setPlaceholderText(tr("What you saw, e.g. \"CERT-DE triaged the staff reports within ten minutes.\""));
  m_text->setMaximumHeight(90);
  m_action = new QLineEdit(this);
  m_action->setObjectName("observeAction");
  m_action->setPlaceholderText(tr("corrective action for the improvement plan (optional)"));
  m_element = new QComboBox(this);
  m_element->setObjectName("observeElement");
  m_element->addItems({QString(), "Planning", "Organization", "Equipment", "Training", "Exercises"});
  m_due = new QLineEdit(this);
  m_due->setObjectName("observeDue");
  m_due->setPlaceholderText(tr("completion date, e.g. 2012-01-31 (optional)"));
  m_submit = new QPushButton(tr("Record &observation"), this);
  m_submit->setObjectName("observeSubmit");
  m_result = new QLabel(this);
  m_result->setObjectName("observeResult");
  m_result->setWordWrap(true);
  m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* form = new QFormLayout(this);
  form->addRow(tr("Kind"), m_kind);
  form->addRow(tr("Team"), m_team);
  form->addRow(tr("Objective"), m_objective);
  form->addRow(tr("Critical task"), m_task);
  form->addRow(tr("Observation"), m_text);
  form->addRow(tr("Corrective action"), m_action);
  form->addRow(tr("Capability element"), m_element);
  form->addRow(tr("Due"), m_due);
  form->addRow(QString(), m_submit);
  form->addRow(m_result);
  connect(m_kind, &QComboBox::currentIndexChanged, this, &ObservationForm::updateKind);
  connect(m_team, &QComboBox::currentIndexChanged, this, &ObservationForm::fillObjectives);
  connect(m_objective, &QComboBox::currentIndexChanged, this, &ObservationForm::fillTasks);
  connect(m_submit, &QPushButton::clicked, this, &ObservationForm::submit);
  updateChoices();
  updateKind();
}

void ObservationForm::updateKind()
{
  // the improvement plan's fields belong to an area for improvement
  const bool afi = m_kind->currentText() == kinds[1];
  for (QWidget* w : {static_cast<QWidget*>(m_action), static_cast<QWidget*>(m_element), static_cast<QWidget*>(m_due)})
    w->setEnabled(afi);
}

void ObservationForm::updateChoices()
{
  const QString team = choice(m_team);
  {
    const QSignalBlocker block(m_team);
    m_team->clear();
    m_team->addItem(tr("(the whole exercise)"), QString());
    for (const QString& t : m_state->playerTeams())
      m_team->addItem(t, t);
    m_team->setCurrentIndex(std::max(0, m_team->findData(team)));
  }
  // without the scenario file the objective and critical task are typed
  m_objective->setEditable(!m_state->catalog().loaded);
  m_task->setEditable(!m_state->catalog().loaded);
  fillObjectives();
}

void ObservationForm::fillObjectives()
{
  const QString current = choice(m_objective);
  const QString team = choice(m_team);
  {
    const QSignalBlocker block(m_objective);
    m_objective->clear();
    m_objective->addItem(tr("(none)"), QString());
    const ScenarioCatalog& c = m_state->catalog();
    for (const auto& o : team.isEmpty() ? c.objectives : c.objectivesFor(team))
      m_objective->addItem(o.id + " — " + o.title, o.id);
    m_objective->setCurrentIndex(std::max(0, m_objective->findData(current)));
  }
  fillTasks();
}

void ObservationForm::fillTasks()
{
  const QString current = choice(m_task);
  m_task->clear();
  m_task->addItem(tr("(none)"), QString());
  if (const auto* o = m_state->catalog().objective(choice(m_objective)))
    for (const QString& ct : o->criticalTasks)
      m_task->addItem(ct + " — " + m_state->catalog().criticalTasks.value(ct), ct);
  m_task->setCurrentIndex(std::max(0, m_task->findData(current)));
}

QJsonObject ObservationForm::command(QString* error) const
{
  auto fail = [&](const QString& message) {
    if (error)
      *error = message;
    return QJsonObject();
  };
  const QString text = m_text->toPlainText().simplified();
  if (text.isEmpty())
    return fail(tr("Observation: write what you observed"));
  for (const QString& k : kinds)
    if (text.startsWith(k + ":", Qt::CaseInsensitive))
      return fail(tr("Observation: leave out \"%1:\", the Kind box gives it").arg(k));
  const int kind = std::max(0, m_kind->currentIndex());
  QString body = text;
  if (kind == 1) {
    const QString due = m_due->text().trimmed();
    if (!due.isEmpty() && (due.size() != 10 || !QDate::fromString(due, Qt::ISODate).isValid()))
      return fail(tr("Due: expected a date such as 2012-01-31, got \"%1\"").arg(due));
    if (!m_action->text().trimmed().isEmpty())
      body = sentence(body) + " Corrective action: " + m_action->text().trimmed();
    if (!m_element->currentText().isEmpty())
      body = sentence(body) + " Element: " + m_element->currentText();
    if (!due.isEmpty())
      body = sentence(body) + " Due: " + due;
  }
  QJsonObject cmd{{"type", "observe"}, {"kind", kindCodes[kind]}, {"text", body}};
  const QString task = choice(m_task);
  const QString objective = choice(m_objective);
  if (!task.isEmpty() && objective.isEmpty())
    return fail(tr("Critical task: choose the objective it belongs to first"));
  const std::pair<const char*, QString> fields[] = {
      {"team", choice(m_team)}, {"objective", objective}, {"critical_task", task}};
  for (const auto& [key, value] : fields)
    if (!value.isEmpty())
      cmd.insert(key, value);
  return cmd;
}

void ObservationForm::submit()
{
  QString error;
  const QJsonObject cmd = command(&error);
  const QString what = m_kind->currentText().toLower() +
                       (cmd.contains("team") ? ", " + cmd.value("team").toString() : tr(", the whole exercise"));
  auto describe = [this, what](const QJsonValue& reply) {
    m_text->clear();
    m_action->clear();
    m_due->clear();
    return tr("Observation %1 recorded (%2)").arg(reply.toObject().value("observation").toInteger()).arg(what);
  };
  if (!sendFromForm(m_state, m_result, cmd, error, describe))
    emit invalid(error);
}

EvaluationPanel::EvaluationPanel(ConsoleState* state, QWidget* parent) : QWidget(parent), m_state(state)
{
  setObjectName("evaluationPanel");
  auto* layout = new QVBoxLayout(this);
  using F = JsonTableModel::Format;
  m_observationModel = new JsonTableModel({{tr("Time"), "time", F::time},
                                           {tr("By"), "by"},
                                           {tr("Kind"), "kind"},
                                           {tr("Team"), "team"},
                                           {tr("Objective"), "objective"},
                                           {tr("Critical task"), "critical_task"},
                                           {tr("Observation"), "text"}},
                                          this);
  m_officialModel = new JsonTableModel({{tr("Time"), "time", F::time},
                                        {tr("Incident"), "incident"},
                                        {tr("Score"), "score", F::number},
                                        {tr("Teams (difference)"), "differences"},
                                        {tr("Levels"), "levels"}},
                                       this);
  // the two forms side by side, the two tables under them at full width (observations are long sentences)
  m_observe = new ObservationForm(state, this);
  m_official = new AssessmentForm(state, "official_assessment", "official",
                                  tr("Official incident severity assessment (White Cell)"), this);
  auto* forms = new QHBoxLayout;
  forms->addWidget(m_observe, 3);
  forms->addWidget(m_official, 2);
  layout->addLayout(forms);
  auto* split = new QSplitter(Qt::Vertical, this);
  auto labelled = [split](const QString& label, QTableView* table) {
    auto* box = new QWidget(split);
    auto* boxLayout = new QVBoxLayout(box);
    boxLayout->setContentsMargins(0, 0, 0, 0);
    boxLayout->addWidget(new QLabel(label, box));
    boxLayout->addWidget(table, 1);
    split->addWidget(box);
  };
  m_observations = recordTable(m_observationModel, "observationView", this);
  m_officials = recordTable(m_officialModel, "officialView", this);
  m_officials->setColumnWidth(2, 60);
  m_officials->setColumnWidth(3, 300);
  labelled(tr("Observations recorded"), m_observations);
  labelled(tr("Official assessments, with each team's difference"), m_officials);
  split->setSizes({300, 120});
  layout->addWidget(split, 1);

  connect(m_observe, &ObservationForm::invalid, this, &EvaluationPanel::invalid);
  connect(m_official, &AssessmentForm::invalid, this, &EvaluationPanel::invalid);
  connect(state, &ConsoleState::playerTeamsChanged, m_observe, &ObservationForm::updateChoices);
  connect(state, &ConsoleState::catalogChanged, this, [this] {
    m_observe->updateChoices();
    m_official->applyCatalog();
  });
  connect(state, &ConsoleState::welcomed, this, &EvaluationPanel::updateRole);
  connect(state, &ConsoleState::snapshotApplied, this, [this] { applySnapshot(m_state->snapshot()); });
  connect(state, &ConsoleState::recordApplied, this, &EvaluationPanel::applyRecord);
  updateRole();
  // a panel opened after the snapshot: the snapshot, then the records that followed it
  if (state->hasSnapshot()) {
    applySnapshot(state->snapshot());
    const double seq = state->snapshot().value("seq").toDouble();
    for (int i = 0; i < state->eventLog()->rowCount(); ++i)
      if (state->eventLog()->rowObject(i).value("seq").toDouble() > seq)
        applyRecord(state->eventLog()->rowObject(i));
  }
}

namespace {

/// An observation as the table shows it: without a `kind` (sent before kinds existed, or by a script), the kind its
/// text's prefix gives, as the after-action report reads it.
QJsonObject withKind(QJsonObject observation)
{
  if (observation.contains("kind"))
    return observation;
  const QString text = observation.value("text").toString();
  for (int k = 0; k < kinds.size(); ++k)
    if (text.startsWith(kinds[k] + ":", Qt::CaseInsensitive)) {
      observation.insert("kind", kindCodes[k]);
      break;
    }
  return observation;
}

} // namespace

void EvaluationPanel::applySnapshot(const QJsonObject& snapshot)
{
  // control's snapshot holds every observation and the latest official assessment of each incident
  QList<QJsonObject> observations;
  for (const auto& o : snapshot.value("observations").toArray())
    observations.append(withKind(o.toObject()));
  m_observationModel->setRows(observations);
  m_officialModel->clear();
  const QJsonObject official = snapshot.value("official_assessments").toObject();
  for (auto it = official.begin(); it != official.end(); ++it) {
    // the snapshot's official assessment has no differences: the teams' own assessments give them, as the record
    QJsonObject a = it.value().toObject();
    QJsonArray teams;
    for (const auto& t : snapshot.value("teams").toArray()) {
      // each team's latest assessment per incident
      const QJsonValue own = t.toObject().value("assessments").toObject().value(it.key());
      if (own.isObject()) {
        const double score = own.toObject().value("score").toDouble();
        const double difference = std::round((score - a.value("score").toDouble()) * 100) / 100;
        teams.append(QJsonObject{{"team", t.toObject().value("team")}, {"score", score}, {"difference", difference}});
      }
    }
    a.insert("teams", teams);
    setOfficial(a);
  }
}

void EvaluationPanel::applyRecord(const QJsonObject& record)
{
  const std::optional<RecordType> type = recordTypeOf(record);
  if (type == RecordType::observation)
    m_observationModel->appendRow(withKind(record.value("details").toObject()));
  else if (type == RecordType::official_assessment)
    setOfficial(record.value("details").toObject());
}

void EvaluationPanel::setOfficial(const QJsonObject& assessment)
{
  QJsonObject row = assessment;
  row.insert("differences", formatDifferences(assessment.value("teams").toArray()));
  row.insert("levels", formatJson(assessment.value("levels")));
  const QString incident = assessment.value("incident").toString();
  const int r = m_officialModel->findRow([&](const QJsonObject& o) { return o.value("incident") == incident; });
  if (r >= 0)
    m_officialModel->replaceRow(r, row);
  else
    m_officialModel->appendRow(row);
}

void EvaluationPanel::updateRole()
{
  // evaluators observe; only the controller gives the official assessment; observers read (role empty: not known yet)
  const QString role = m_state->role();
  const bool observe = role.isEmpty() || m_state->isControl();
  const bool official = role.isEmpty() || m_state->isController();
  m_observe->setEnabled(observe);
  m_observe->setToolTip(observe ? QString() : tr("Observers may not record observations"));
  m_official->setEnabled(official);
  m_official->setToolTip(official ? QString() : tr("Only the controller (White Cell) gives the official assessment"));
}

} // namespace cyberex::gui
