#include "console/action_form.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QWheelEvent>

namespace cyberex::gui {

class StableComboBox : public QComboBox {
public:
  explicit StableComboBox(QWidget* parent) : QComboBox(parent) { setFocusPolicy(Qt::StrongFocus); }

protected:
  // the reported bug: scrolling the page over the closed combo turned "block" into "patch"
  void wheelEvent(QWheelEvent* event) override { event->ignore(); }
};

namespace {

struct FieldSpec {
  const char* key;
  const char* label;
  const char* tip;
};

const FieldSpec FIELDS[] = {
    {"target", "Target", "A node among your assets (node:ID), or a selector such as site:ID"},
    {"vulnerability", "Vulnerability", "patch: a vulnerability of the target node"},
    {"indicator", "Indicator", "An indicator your team knows (from alerts, injects or messages)"},
    {"service", "Service", "A service running on your assets"},
    {"kind", "Statement", "A press statement or a public advisory"},
    {"mode", "Mode", "scrubbing keeps the legitimate traffic; blackhole drops all traffic toward the target"},
    {"text", "Note", "What you did and why (optional)"},
};

QComboBox* editableCombo(const QString& name, QWidget* parent)
{
  auto* box = new StableComboBox(parent);
  box->setObjectName(name);
  box->setEditable(true);
  box->setInsertPolicy(QComboBox::NoInsert);
  return box;
}

/// Replace the items of BOX, keeping the text it shows.
void setItems(QComboBox* box, const QStringList& items)
{
  const QString current = box->currentText();
  const QSignalBlocker block(box);
  box->clear();
  box->addItem(QString());
  box->addItems(items);
  box->setCurrentText(current);
}

QString fieldLabel(const QString& key)
{
  for (const FieldSpec& f : FIELDS)
    if (key == QLatin1String(f.key))
      return ActionForm::tr(f.label);
  return key;
}

/// "an indicator", "a target"...: what a missing field asks for.
QString fieldWanted(const QString& key)
{
  if (key == "indicator")
    return ActionForm::tr("an indicator");
  if (key == "kind")
    return ActionForm::tr("the kind of statement");
  return ActionForm::tr("a %1").arg(fieldLabel(key).toLower());
}

} // namespace

QStringList ActionForm::allActions()
{
  return {"isolate",
          "reconnect",
          "block",
          "patch",
          "reset_credentials",
          "restore",
          "manual_operations",
          "shutdown_service",
          "restore_service",
          "public_statement",
          "close_breaker",
          "refuel",
          "filter_ddos",
          "stop_filtering"};
}

QStringList ActionForm::fieldsOf(const QString& action)
{
  if (action == "block")
    return {"indicator", "text"};
  if (action == "patch")
    return {"target", "vulnerability", "text"};
  if (action == "shutdown_service" || action == "restore_service")
    return {"service", "text"};
  if (action == "public_statement")
    return {"kind", "text"};
  if (action == "filter_ddos")
    return {"target", "indicator", "mode", "text"};
  if (allActions().contains(action))
    return {"target", "text"}; // isolate, reconnect, reset_credentials, restore, manual_operations, close_breaker,
                               // refuel, stop_filtering
  return {};
}

ActionForm::ActionForm(QWidget* parent) : QWidget(parent)
{
  m_form = new QFormLayout(this);
  m_form->setContentsMargins(0, 0, 0, 0);
  m_action = new StableComboBox(this);
  m_action->setObjectName("actionType");
  m_action->setAccessibleName(tr("Action"));
  m_action->setToolTip(tr("What to do; the form shows the fields this action takes"));
  m_form->addRow(tr("Action"), m_action);
  for (const FieldSpec& f : FIELDS) {
    const QString key = QString::fromLatin1(f.key);
    QWidget* editor = nullptr;
    if (key == "text") {
      auto* line = new QLineEdit(this);
      line->setObjectName("actionText");
      editor = line;
    } else if (key == "kind" || key == "mode") {
      auto* box = new StableComboBox(this);
      box->setObjectName(key == "kind" ? "actionKind" : "actionMode");
      box->addItems(key == "kind" ? QStringList{"press_statement", "public_advisory"}
                                  : QStringList{"scrubbing", "blackhole"});
      editor = box;
    } else {
      editor = editableCombo("action" + key.left(1).toUpper() + key.mid(1), this);
    }
    editor->setToolTip(tr(f.tip));
    editor->setAccessibleName(tr(f.label));
    m_editors.insert(key, editor);
    m_form->addRow(tr(f.label), editor);
  }
  connect(m_action, &QComboBox::currentTextChanged, this, [this](const QString& a) {
    showFields();
    emit actionChanged(a);
  });
  connect(static_cast<QComboBox*>(m_editors.value("target")), &QComboBox::currentTextChanged, this,
          &ActionForm::updateVulnerabilities);
  setChoices({});
}

void ActionForm::setChoices(const Choices& choices)
{
  m_choices = choices;
  const QString current = action();
  {
    const QSignalBlocker block(m_action);
    m_action->clear();
    // share, communicate and report are the message and sitrep commands, not actions
    QStringList actions;
    for (const QString& a : choices.actions)
      if (allActions().contains(a))
        actions.append(a);
    m_action->addItems(actions.isEmpty() ? allActions() : actions);
    const int i = m_action->findText(current);
    m_action->setCurrentIndex(i >= 0 ? i : 0);
  }
  QStringList targets;
  for (const QString& n : choices.nodes)
    targets.append("node:" + n);
  setItems(static_cast<QComboBox*>(m_editors.value("target")), targets);
  setItems(static_cast<QComboBox*>(m_editors.value("service")), choices.services);
  setItems(static_cast<QComboBox*>(m_editors.value("indicator")), choices.indicators);
  updateVulnerabilities();
  showFields();
}

void ActionForm::updateVulnerabilities()
{
  // the vulnerabilities of the node chosen (none: nothing to patch there), else (a selector) every vulnerability of
  // the team's nodes
  const QString target = field("target");
  QStringList vulns;
  if (target.startsWith("node:") && m_choices.nodes.contains(target.mid(5))) {
    vulns = m_choices.vulnerabilities.value(target.mid(5));
  } else {
    for (const QStringList& v : m_choices.vulnerabilities)
      for (const QString& id : v)
        if (!vulns.contains(id))
          vulns.append(id);
  }
  setItems(static_cast<QComboBox*>(m_editors.value("vulnerability")), vulns);
}

void ActionForm::showFields()
{
  const QStringList shown = fieldsOf(action());
  for (auto it = m_editors.begin(); it != m_editors.end(); ++it)
    m_form->setRowVisible(it.value(), shown.contains(it.key()));
  // a public statement's text is the statement itself, not a note
  if (auto* label = qobject_cast<QLabel*>(m_form->labelForField(m_editors.value("text"))))
    label->setText(action() == "public_statement" ? tr("Text") : tr("Note"));
  static_cast<QLineEdit*>(m_editors.value("text"))
      ->setPlaceholderText(action() == "public_statement" ? tr("what the public is told (required)") : tr("optional"));
}

QString ActionForm::action() const
{
  return m_action->currentText();
}

bool ActionForm::setAction(const QString& action)
{
  const int i = m_action->findText(action);
  if (i < 0)
    return false;
  m_action->setCurrentIndex(i);
  return true;
}

QStringList ActionForm::visibleFields() const
{
  QStringList out;
  for (const FieldSpec& f : FIELDS) {
    const QString key = QString::fromLatin1(f.key);
    if (!m_editors.value(key)->isHidden())
      out.append(key);
  }
  return out;
}

QComboBox* ActionForm::actionBox() const
{
  return m_action;
}

QWidget* ActionForm::fieldEditor(const QString& field) const
{
  return m_editors.value(field);
}

void ActionForm::setField(const QString& field, const QString& text)
{
  QWidget* editor = m_editors.value(field);
  if (auto* box = qobject_cast<QComboBox*>(editor))
    box->setCurrentText(text);
  else if (auto* line = qobject_cast<QLineEdit*>(editor))
    line->setText(text);
}

QString ActionForm::field(const QString& field) const
{
  QWidget* editor = m_editors.value(field);
  if (auto* box = qobject_cast<QComboBox*>(editor))
    return box->currentText().trimmed();
  if (auto* line = qobject_cast<QLineEdit*>(editor))
    return line->text().trimmed();
  return {};
}

QJsonObject ActionForm::command(QString* error) const
{
  const QString a = action();
  auto fail = [error](const QString& message) {
    if (error)
      *error = message;
    return QJsonObject();
  };
  if (a.isEmpty())
    return fail(tr("Choose an action."));
  QJsonObject cmd{{"type", "action"}, {"action", a}};
  for (const QString& key : fieldsOf(a)) {
    const QString value = field(key);
    const bool optional = key == "text" ? a != "public_statement" : key == "indicator" && a == "filter_ddos";
    if (value.isEmpty() && !optional)
      return fail(a == "public_statement" && key == "text"
                      ? tr("A public statement needs its text: what the public is told.")
                      : tr("To %1, choose %2.").arg(QString(a).replace('_', ' '), fieldWanted(key)));
    if (key == "indicator" && a == "filter_ddos" && field("mode") == "blackhole") // a blackhole takes no indicator
      continue;
    if (!value.isEmpty())
      cmd.insert(key, value);
  }
  if (error)
    error->clear();
  return cmd;
}

void ActionForm::clearFields()
{
  for (const QString& key :
       {QString("target"), QString("vulnerability"), QString("indicator"), QString("service"), QString("text")})
    setField(key, QString());
}

QString plainActionError(const QString& message)
{
  static const QRegularExpression shape(
      QStringLiteral(R"(^(\w+) rejected: (?:\(/([\w/]*)\) )?(.*?)(?: \[([\w.-]+)\])?$)"),
      QRegularExpression::DotMatchesEverythingOption);
  const QRegularExpressionMatch m = shape.match(message.trimmed());
  if (!m.hasMatch())
    return message;
  const QString type = m.captured(1) == "sitrep" ? ActionForm::tr("situation report") : m.captured(1);
  QString what = m.captured(3).trimmed();
  if (!what.isEmpty())
    what[0] = what[0].toUpper();
  if (!what.endsWith('.'))
    what += '.';
  const QString pointer = m.captured(2);
  const QString label = fieldLabel(pointer.section('/', 0, 0));
  // "(/indicator) indicator \"x\" is unknown...": the message names its field already
  const QString where = pointer.isEmpty() || what.startsWith(label, Qt::CaseInsensitive) ? QString() : label + ": ";
  return ActionForm::tr("The %1 was refused. %2%3").arg(type, where, what);
}

} // namespace cyberex::gui
