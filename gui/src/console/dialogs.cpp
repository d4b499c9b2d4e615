#include "console/dialogs.hpp"

#include "console/widgets.hpp"

#include "cyberex/exercise_time.hpp"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>

namespace cyberex::gui {

double parseDuration(const QString& input)
{
  // the one reader of typed times (cyberex replay --at, cyberex-gui-shot --time, the player's "go to")
  const auto t = parse_exercise_time(input.toStdString());
  return t ? *t : -1;
}

QStringList checkedItems(const QListWidget* list)
{
  QStringList out;
  for (int i = 0; i < list->count(); ++i)
    if (list->item(i)->checkState() == Qt::Checked)
      out.append(list->item(i)->data(Qt::UserRole).toString());
  return out;
}

void setCheckableItems(QListWidget* list, const QStringList& ids, const QMap<QString, QString>& values)
{
  const QStringList checked = checkedItems(list);
  list->clear();
  for (const QString& id : ids) {
    const QString value = values.value(id);
    auto* item = new QListWidgetItem(value.isEmpty() ? id : id + "  (" + value + ")", list);
    item->setData(Qt::UserRole, id);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(checked.contains(id) ? Qt::Checked : Qt::Unchecked);
  }
}

namespace {
QListWidget* checkList(const QStringList& ids, const QMap<QString, QString>& values, QWidget* parent)
{
  auto* list = new QListWidget(parent);
  setCheckableItems(list, ids, values);
  list->setMaximumHeight(110);
  return list;
}
} // namespace

NewInjectDialog::NewInjectDialog(const ScenarioCatalog& catalog, const QStringList& teams, QWidget* parent)
    : QDialog(parent)
{
  setWindowTitle(tr("New inject"));
  auto* form = new QFormLayout;
  m_id = new QLineEdit(this);
  m_id->setPlaceholderText(tr("a new id, e.g. intel-01"));
  m_title = new QLineEdit(this);
  m_content = new QPlainTextEdit(this);
  m_content->setMaximumHeight(90);
  makeFormText(m_content);
  m_to = checkList(teams, {}, this);
  m_channel = new QLineEdit(this);
  m_channel->setPlaceholderText(tr("e.g. phone, e-mail, intelligence-report"));
  m_from = new QLineEdit(this);
  m_from->setText(tr("White Cell"));
  m_type = new QComboBox(this);
  m_type->addItems({"inject", "information", "facilitation", "contingency"});
  m_hidden = new QCheckBox(tr("control only (hidden from players)"), this);
  m_time = new QLineEdit(this);
  m_time->setPlaceholderText(tr("now, or a time from the start: 2h30m, 14:30"));
  m_expires = new QLineEdit(this);
  m_expires->setPlaceholderText(tr("never, or a duration after delivery: 30m"));
  m_indicators = checkList(catalog.indicators.keys(), catalog.indicators, this);
  form->addRow(tr("Id"), m_id);
  form->addRow(tr("Title"), m_title);
  form->addRow(tr("Content"), m_content);
  form->addRow(tr("To"), m_to);
  form->addRow(tr("Channel"), m_channel);
  form->addRow(tr("From"), m_from);
  form->addRow(tr("Type"), m_type);
  form->addRow(QString(), m_hidden);
  form->addRow(tr("Time"), m_time);
  form->addRow(tr("Expires"), m_expires);
  form->addRow(tr("Indicators"), m_indicators);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  addValidatedButtons(this, layout, tr("Create"), [this](QString* error) { return !command(error).isEmpty(); });
}

QJsonObject NewInjectDialog::command(QString* error) const
{
  auto fail = [&](const QString& message) {
    if (error)
      *error = message;
    return QJsonObject();
  };
  const QString id = m_id->text().trimmed();
  if (id.isEmpty())
    return fail(tr("Id: give the new inject an id"));
  if (m_title->text().trimmed().isEmpty())
    return fail(tr("Title: give the inject a title"));
  const QStringList to = checkedItems(m_to);
  if (to.isEmpty())
    return fail(tr("To: choose at least one team"));
  QJsonObject inject{{"id", id}, {"title", m_title->text().trimmed()}, {"to", QJsonArray::fromStringList(to)}};
  if (!m_content->toPlainText().trimmed().isEmpty())
    inject.insert("content", m_content->toPlainText().trimmed());
  if (!m_channel->text().trimmed().isEmpty())
    inject.insert("channel", m_channel->text().trimmed());
  if (!m_from->text().trimmed().isEmpty())
    inject.insert("from", m_from->text().trimmed());
  inject.insert("type", m_type->currentText());
  if (m_hidden->isChecked())
    inject.insert("hidden", true);
  if (!m_time->text().trimmed().isEmpty()) {
    const double t = parseDuration(m_time->text());
    if (t < 0)
      return fail(tr("Time: expected a time from the start such as 2h30m or 14:30, got \"%1\"").arg(m_time->text()));
    inject.insert("time", t);
  }
  if (!m_expires->text().trimmed().isEmpty()) {
    const double t = parseDuration(m_expires->text());
    if (t <= 0)
      return fail(tr("Expires: expected a duration such as 30m, got \"%1\"").arg(m_expires->text()));
    inject.insert("expires", t);
  }
  const QStringList inds = checkedItems(m_indicators);
  if (!inds.isEmpty())
    inject.insert("indicators", QJsonArray::fromStringList(inds));
  return {{"type", "inject_create"}, {"inject", inject}};
}

RatingDialog::RatingDialog(const ScenarioCatalog& catalog, const QStringList& teams, const QString& team,
                           QWidget* parent)
    : QDialog(parent), m_catalog(catalog)
{
  setWindowTitle(tr("Rate an objective (HSEEP)"));
  m_team = new QComboBox(this);
  m_team->setObjectName("ratingTeam");
  m_team->addItems(teams);
  if (!team.isEmpty())
    m_team->setCurrentText(team);
  m_objective = new QComboBox(this);
  m_objective->setObjectName("ratingObjective");
  m_objective->setEditable(!catalog.loaded);
  m_task = new QComboBox(this);
  m_task->setObjectName("ratingTask");
  m_task->setEditable(!catalog.loaded);
  m_rating = new QButtonGroup(this);
  auto* ratings = new QHBoxLayout;
  const QList<QPair<QString, QString>> levels{{"P", tr("P — performed without challenges")},
                                              {"S", tr("S — performed with some challenges")},
                                              {"M", tr("M — performed with major challenges")},
                                              {"U", tr("U — unable to be performed")}};
  auto* column = new QVBoxLayout;
  for (const auto& [code, label] : levels) {
    auto* b = new QRadioButton(label, this);
    b->setObjectName("rating" + code);
    b->setProperty("rating", code);
    m_rating->addButton(b);
    column->addWidget(b);
  }
  ratings->addLayout(column);
  m_notes = new QPlainTextEdit(this);
  m_notes->setObjectName("ratingNotes");
  m_notes->setPlaceholderText(tr("What you observed: strengths, areas for improvement"));
  m_notes->setMaximumHeight(100);
  makeFormText(m_notes);
  auto* form = new QFormLayout;
  form->addRow(tr("Team"), m_team);
  form->addRow(tr("Objective"), m_objective);
  form->addRow(tr("Critical task"), m_task);
  form->addRow(tr("Rating"), ratings);
  form->addRow(tr("Notes"), m_notes);
  connect(m_team, &QComboBox::currentTextChanged, this, &RatingDialog::fillObjectives);
  connect(m_objective, &QComboBox::currentIndexChanged, this, &RatingDialog::fillTasks);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  addValidatedButtons(this, layout, tr("Rate"), [this](QString* error) { return !command(error).isEmpty(); });
  fillObjectives();
}

void RatingDialog::fillObjectives()
{
  m_objective->clear();
  for (const auto& o : m_catalog.objectivesFor(m_team->currentText()))
    m_objective->addItem(o.id + " — " + o.title, o.id);
  fillTasks();
}

void RatingDialog::fillTasks()
{
  m_task->clear();
  m_task->addItem(tr("(the objective as a whole)"), QString());
  if (const auto* o = m_catalog.objective(m_objective->currentData().toString()))
    for (const QString& ct : o->criticalTasks)
      m_task->addItem(ct + " — " + m_catalog.criticalTasks.value(ct), ct);
}

void RatingDialog::setRating(const QString& rating)
{
  for (auto* b : m_rating->buttons())
    if (b->property("rating").toString() == rating)
      b->setChecked(true);
}

QJsonObject RatingDialog::command(QString* error) const
{
  auto fail = [&](const QString& message) {
    if (error)
      *error = message;
    return QJsonObject();
  };
  if (m_team->currentText().isEmpty())
    return fail(tr("Team: choose a team"));
  const QString objective =
      m_objective->currentData().isValid() ? m_objective->currentData().toString() : m_objective->currentText();
  if (objective.isEmpty())
    return fail(tr("Objective: choose an objective"));
  if (!m_rating->checkedButton())
    return fail(tr("Rating: choose P, S, M or U"));
  QJsonObject cmd{{"type", "rate"},
                  {"team", m_team->currentText()},
                  {"objective", objective},
                  {"rating", m_rating->checkedButton()->property("rating").toString()}};
  const QString task = m_task->currentData().isValid() ? m_task->currentData().toString() : m_task->currentText();
  if (!task.isEmpty())
    cmd.insert("critical_task", task);
  if (!m_notes->toPlainText().trimmed().isEmpty())
    cmd.insert("text", m_notes->toPlainText().trimmed());
  return cmd;
}

} // namespace cyberex::gui
