/* Feedback for every command: a short-lived message naming what happened, and the sentences it shows (issue 18). */
#include "console/toast.hpp"

#include "console/json_table_model.hpp"

#include <QEvent>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QRegularExpression>
#include <QTimer>
#include <QWidget>

namespace cyberex::gui {

ToastArea::ToastArea(QWidget* host) : QObject(host), m_host(host)
{
  host->installEventFilter(this);
}

void ToastArea::showMessage(const QString& text, Kind kind)
{
  if (text.isEmpty())
    return;
  m_last = text;
  m_lastKind = kind;
  auto* toast = new QLabel(text, m_host);
  toast->setObjectName(kind == Kind::error ? "toastError" : "toast");
  toast->setWordWrap(true);
  toast->setMaximumWidth(460);
  toast->setAttribute(Qt::WA_TransparentForMouseEvents);
  toast->setStyleSheet(kind == Kind::error
                           ? "QLabel { background: #8e1b1b; color: white; border-radius: 6px; padding: 8px 12px; }"
                           : "QLabel { background: #263238; color: white; border-radius: 6px; padding: 8px 12px; }");
  toast->adjustSize();
  m_toasts.removeAll(nullptr);
  while (m_toasts.size() >= max_shown)
    delete m_toasts.takeFirst();
  m_toasts.append(toast);
  toast->show();
  toast->raise();
  place();
  QTimer::singleShot(lifetime_ms, toast, [this, toast] {
    m_toasts.removeAll(toast);
    toast->deleteLater();
    place();
  });
  emit shown(text);
}

QStringList ToastArea::messages() const
{
  QStringList out;
  for (const auto& t : m_toasts)
    if (t)
      out.append(t->text());
  return out;
}

bool ToastArea::eventFilter(QObject* watched, QEvent* event)
{
  if (watched == m_host && event->type() == QEvent::Resize)
    place();
  return QObject::eventFilter(watched, event);
}

void ToastArea::place()
{
  // bottom-right, above the status bar, newest lowest
  int bottom = m_host->height() - 36;
  for (int i = static_cast<int>(m_toasts.size()) - 1; i >= 0; --i) {
    QLabel* t = m_toasts.at(i);
    if (!t)
      continue;
    t->move(m_host->width() - t->width() - 16, bottom - t->height());
    bottom -= t->height() + 6;
  }
}

namespace {

QString at(const QJsonObject& o, const char* key)
{
  const QJsonValue v = o.value(key);
  return v.isDouble() ? "T+" + formatSimTime(v.toDouble()) : QString();
}

QString injectName(const QJsonObject& i)
{
  const QString title = i.value("title").toString();
  return title.isEmpty() ? i.value("inject").toString()
                         : QStringLiteral("%1 '%2'").arg(i.value("inject").toString(), title);
}

QString list(const QJsonValue& v)
{
  return v.isArray() ? formatJson(v) : v.toString();
}

} // namespace

QString commandFeedback(const QString& type, const QJsonObject& command, const QJsonValue& value)
{
  const QJsonObject r = value.toObject();
  if (type == "start")
    return QObject::tr("Clock started at %1").arg(at(r, "time"));
  if (type == "pause")
    return QObject::tr("Clock paused at %1").arg(at(r, "time"));
  if (type == "resume")
    return QObject::tr("Clock resumed at %1").arg(at(r, "time"));
  if (type == "step") {
    const QString move = r.value("move").toString();
    return move.isEmpty() ? QObject::tr("Clock stepped to %1").arg(at(r, "time"))
                          : QObject::tr("Clock stepped to %1 (move %2)").arg(at(r, "time"), move);
  }
  if (type == "speed")
    return QObject::tr("Clock speed set to ×%1").arg(r.value("speed").toDouble());
  if (type == "end")
    return QObject::tr("Exercise ended at %1").arg(at(r, "time"));
  if (type == "inject_release") {
    const QString to = list(r.value("to"));
    return to.isEmpty() ? QObject::tr("Released %1").arg(injectName(r))
                        : QObject::tr("Released %1 to %2").arg(injectName(r), to);
  }
  if (type == "inject_delay") {
    const QString by = command.value("by").isDouble() ? formatSimTime(command.value("by").toDouble()) : QString();
    const QString due = at(r, "due");
    QString s = by.isEmpty() ? QObject::tr("Delayed %1").arg(injectName(r))
                             : QObject::tr("Delayed %1 by %2").arg(injectName(r), by);
    if (!due.isEmpty())
      s += QObject::tr(": now due at %1").arg(due);
    return s;
  }
  if (type == "inject_cancel")
    return QObject::tr("Cancelled %1").arg(injectName(r));
  if (type == "inject_create") {
    QString s = QObject::tr("New inject %1").arg(injectName(r));
    if (const QString to = list(r.value("to")); !to.isEmpty())
      s += QObject::tr(" for %1").arg(to);
    if (const QString due = at(r, "due"); !due.isEmpty())
      s += QObject::tr(", due at %1").arg(due);
    return s;
  }
  // the command's fields, else the reply's (a command sent elsewhere, e.g. the evaluation panel's, is not known here)
  auto field = [&](const char* k) {
    const QString v = command.value(k).toString();
    return v.isEmpty() ? r.value(k).toString() : v;
  };
  if (type == "rate") {
    if (field("team").isEmpty() || field("objective").isEmpty())
      return QObject::tr("Rating recorded");
    QString s = QObject::tr("Rated %1 %2 on %3").arg(field("team"), field("rating"), field("objective"));
    if (!field("critical_task").isEmpty())
      s += QObject::tr(" (%1)").arg(field("critical_task"));
    return s;
  }
  if (type == "observe")
    return field("team").isEmpty() ? QObject::tr("Observation recorded")
                                   : QObject::tr("Observation on %1 recorded").arg(field("team"));
  if (type == "confirm")
    return field("expectation").isEmpty()
               ? QObject::tr("Expectation confirmed: met")
               : QObject::tr("Confirmed %1 of %2: met").arg(field("expectation"), field("team"));
  if (type == "official_assessment")
    return field("incident").isEmpty() ? QObject::tr("Official assessment recorded")
                                       : QObject::tr("Official assessment of %1 recorded").arg(field("incident"));
  if (type == "message") {
    const QString to = list(command.value("to"));
    return to.isEmpty() ? QObject::tr("Message sent") : QObject::tr("Message sent to %1").arg(to);
  }
  if (type == "action")
    return field("action").isEmpty() ? QObject::tr("Action sent") : QObject::tr("Action %1 sent").arg(field("action"));
  return {};
}

QString plainError(const QString& message)
{
  static const QRegularExpression rejected(R"(^(\S+) rejected: (.*) \[([a-z-]+)\]$)",
                                           QRegularExpression::DotMatchesEverythingOption);
  const QRegularExpressionMatch m = rejected.match(message);
  if (!m.hasMatch())
    return message;
  const QString type = m.captured(1);
  QString detail = m.captured(2);
  const QString code = m.captured(3);
  static const QHash<QString, QString> tried{
      {"inject_release", QObject::tr("Could not release the inject")},
      {"inject_delay", QObject::tr("Could not delay the inject")},
      {"inject_cancel", QObject::tr("Could not cancel the inject")},
      {"inject_create", QObject::tr("Could not create the inject")},
      {"start", QObject::tr("Could not start the clock")},
      {"pause", QObject::tr("Could not pause the clock")},
      {"resume", QObject::tr("Could not resume the clock")},
      {"step", QObject::tr("Could not step the clock")},
      {"speed", QObject::tr("Could not change the clock's speed")},
      {"end", QObject::tr("Could not end the exercise")},
      {"rate", QObject::tr("Could not record the rating")},
      {"observe", QObject::tr("Could not record the observation")},
      {"confirm", QObject::tr("Could not confirm the expectation")},
      {"official_assessment", QObject::tr("Could not record the official assessment")},
      {"message", QObject::tr("Could not send the message")},
      {"action", QObject::tr("Could not carry out the action")},
      {"assess", QObject::tr("Could not record the assessment")},
      {"sitrep", QObject::tr("Could not send the situation report")},
  };
  static const QHash<QString, QString> meaning{
      {"bad-json", QObject::tr("the console sent something the server could not read")},
      {"too-large", QObject::tr("it is too large")},
      {"bad-command", QObject::tr("a field is missing or has a value the command does not accept")},
      {"unknown-command", QObject::tr("the server does not know this command")},
      {"forbidden", QObject::tr("your role may not do this")},
      {"unknown-target", QObject::tr("it names something the exercise does not have")},
      {"not-owner", QObject::tr("it is not one of the team's assets")},
      {"unknown-indicator", QObject::tr("the team does not know that indicator")},
      {"bad-state", QObject::tr("not possible in the current state")},
      {"duplicate", QObject::tr("it was already applied")},
      {"not-found", QObject::tr("no such item")},
      {"internal", QObject::tr("a defect in cyberex: please report it")},
  };
  // "(/a/b) what" names the field: "the field a › b: what"
  static const QRegularExpression pointer(R"(^\((/[^)]*)\)\s*(.*)$)", QRegularExpression::DotMatchesEverythingOption);
  if (const QRegularExpressionMatch p = pointer.match(detail); p.hasMatch()) {
    QStringList parts = p.captured(1).split('/', Qt::SkipEmptyParts);
    detail = parts.isEmpty() ? p.captured(2)
                             : QObject::tr("field “%1”: %2").arg(parts.join(QStringLiteral(" › ")), p.captured(2));
  }
  const QString what = tried.value(type, QObject::tr("The server refused “%1”").arg(type));
  const QString why = meaning.value(code);
  return why.isEmpty() ? QObject::tr("%1: %2.").arg(what, detail) : QObject::tr("%1: %2 (%3).").arg(what, detail, why);
}

} // namespace cyberex::gui
