#include "aar/whatif_form.hpp"

#include "console/action_form.hpp"

#include "cyberex/exercise_time.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace cyberex::gui {

namespace {

/// 6330 -> "1h45m30s", 6300 -> "1h45m", 0 -> "0s": a form cyberex whatif --at and parse_exercise_time read.
QString durationText(double seconds)
{
  const long long s = static_cast<long long>(std::floor(std::max(0.0, seconds)));
  QString out;
  if (s / 3600)
    out += QStringLiteral("%1h").arg(s / 3600);
  if (s % 3600 / 60)
    out += QStringLiteral("%1m").arg(s % 3600 / 60);
  if (s % 60 || out.isEmpty())
    out += QStringLiteral("%1s").arg(s % 60);
  return out;
}

} // namespace

WhatifForm::WhatifForm(QWidget* parent) : QWidget(parent)
{
  setObjectName("whatifForm");
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  form->setContentsMargins(0, 0, 0, 0);
  m_time = new QLineEdit(this);
  m_time->setObjectName("whatifTime");
  m_time->setAccessibleName(tr("From time"));
  m_time->setToolTip(tr("When the alternative commands apply: a time from the start such as 1h45m, 90m or 5:20"));
  m_team = new QComboBox(this);
  m_team->setObjectName("whatifTeam");
  m_team->setAccessibleName(tr("Team"));
  m_team->setFocusPolicy(Qt::StrongFocus);
  form->addRow(tr("From"), m_time);
  form->addRow(tr("Team"), m_team);
  layout->addLayout(form);
  m_action = new ActionForm(this);
  layout->addWidget(m_action);

  auto* buttons = new QHBoxLayout;
  auto* add = new QPushButton(tr("&Add command"), this);
  add->setObjectName("whatifAdd");
  auto* remove = new QPushButton(tr("Re&move"), this);
  remove->setObjectName("whatifRemove");
  buttons->addWidget(add);
  buttons->addWidget(remove);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  m_list = new QListWidget(this);
  m_list->setObjectName("whatifCommands");
  m_list->setAccessibleName(tr("Alternative commands"));
  m_list->setMinimumHeight(60);
  layout->addWidget(m_list, 1);
  m_error = new QLabel(this);
  m_error->setObjectName("whatifError");
  m_error->setWordWrap(true);
  m_error->setStyleSheet("color: #c62828");
  layout->addWidget(m_error);
  auto* runRow = new QHBoxLayout;
  m_run = new QPushButton(tr("&Run what-if"), this);
  m_run->setObjectName("whatifRun");
  m_cancel = new QPushButton(tr("Cancel"), this);
  m_cancel->setObjectName("whatifCancel");
  m_cancel->setEnabled(false);
  runRow->addWidget(m_run);
  runRow->addWidget(m_cancel);
  runRow->addStretch(1);
  layout->addLayout(runRow);

  connect(m_team, &QComboBox::currentIndexChanged, this, &WhatifForm::updateTeam);
  connect(add, &QPushButton::clicked, this, &WhatifForm::addCommand);
  connect(remove, &QPushButton::clicked, this, [this] { removeCommand(m_list->currentRow()); });
  connect(m_run, &QPushButton::clicked, this, [this] {
    QString error;
    if (!validate(&error)) {
      m_error->setText(error);
      return;
    }
    m_error->clear();
    emit runRequested(time(), m_commands);
  });
  connect(m_cancel, &QPushButton::clicked, this, &WhatifForm::cancelRequested);
}

void WhatifForm::setCatalog(const ScenarioCatalog& catalog)
{
  m_catalog = catalog;
  const QSignalBlocker block(m_team);
  m_team->clear();
  for (const QString& t : catalog.playerTeams())
    m_team->addItem(t);
  updateTeam();
}

void WhatifForm::updateTeam()
{
  ActionForm::Choices choices;
  choices.actions = m_catalog.actionTypes;
  if (const auto* t = m_catalog.team(team())) {
    choices.nodes = t->nodes;
    choices.services = t->services;
    choices.vulnerabilities = t->vulnerabilities;
  }
  // the scenario's indicators: a what-if may ask "had they blocked X"; the branch refuses one the team did not know
  choices.indicators = m_catalog.indicators.keys();
  m_action->setChoices(choices);
}

void WhatifForm::setTime(double seconds)
{
  m_time->setText(durationText(seconds));
}

double WhatifForm::time() const
{
  const auto t = parse_exercise_time(m_time->text().trimmed().toStdString());
  return t ? *t : -1;
}

QString WhatifForm::team() const
{
  return m_team->currentText();
}

bool WhatifForm::setTeam(const QString& team)
{
  const int i = m_team->findText(team);
  if (i < 0)
    return false;
  m_team->setCurrentIndex(i);
  return true;
}

bool WhatifForm::addCommand()
{
  QString error;
  if (team().isEmpty())
    error = tr("Choose the team that acts.");
  const QJsonObject command = error.isEmpty() ? m_action->command(&error) : QJsonObject();
  if (command.isEmpty()) {
    m_error->setText(error);
    return false;
  }
  const QJsonObject line{{"as", "player:" + team()}, {"command", command}};
  m_commands.append(QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact)));
  QStringList parts{command.value("action").toString()};
  for (const char* key : {"target", "vulnerability", "indicator", "service", "kind", "mode"})
    if (command.contains(key))
      parts.append(command.value(key).toString());
  m_list->addItem(tr("%1: %2").arg(team(), parts.join(' ')));
  m_list->item(m_list->count() - 1)->setToolTip(m_commands.last());
  m_error->clear();
  m_action->clearFields();
  return true;
}

void WhatifForm::removeCommand(int row)
{
  if (row < 0 || row >= m_commands.size()) {
    m_error->setText(tr("Select the command to remove."));
    return;
  }
  m_commands.removeAt(row);
  delete m_list->takeItem(row);
}

void WhatifForm::clearCommands()
{
  m_commands.clear();
  m_list->clear();
}

bool WhatifForm::validate(QString* error) const
{
  if (time() < 0) {
    *error = tr("From: expected %1; got \"%2\"")
                 .arg(QString::fromStdString(exercise_time_forms()), m_time->text().trimmed());
    return false;
  }
  if (m_commands.isEmpty()) {
    *error = tr("Add at least one command: what the team would have done instead.");
    return false;
  }
  return true;
}

void WhatifForm::setRunning(bool running)
{
  m_run->setEnabled(!running);
  m_cancel->setEnabled(running);
}

} // namespace cyberex::gui
