#include "aar/journal_file.hpp"

#include "cyberex/journal.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace cyberex::gui {

double JournalFile::lastTime() const
{
  // the end line holds the last command's exact time, its records the time rounded to 3 decimals, which can be up to
  // 0.0005 s later: the end is the latest of them, or the player's last moment would hide the final records
  double t = endTime.value_or(0);
  if (!records.isEmpty())
    t = std::max(t, records.back().value(QLatin1String("time")).toDouble());
  if (!commands.isEmpty())
    t = std::max(t, commands.back().value(QLatin1String("time")).toDouble());
  if (markTime)
    t = std::max(t, *markTime);
  return t;
}

bool visibleToTeam(const QJsonObject& record, const QString& team)
{
  const QJsonValue a = record.value(QLatin1String("audience"));
  if (a.isString())
    return a.toString() == QLatin1String("all");
  if (a.isArray())
    return a.toArray().contains(QJsonValue(team));
  return false;
}

namespace {

QJsonObject objectOf(const std::string& json)
{
  return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

} // namespace

std::optional<JournalFile> readJournalFile(const QString& path, QString* error)
{
  // The core reader (sim/include/cyberex/journal.hpp) checks the file; here its lines become JSON objects for the
  // views, each record with its audience as the journal keeps it.
  std::string why;
  const std::optional<JournalContents> contents = read_journal(path.toStdString(), &why);
  if (!contents) {
    *error = QString::fromStdString(why);
    return std::nullopt;
  }
  JournalFile out;
  out.path = path;
  out.header = objectOf(contents->header.to_json());
  out.records.reserve(static_cast<qsizetype>(contents->records.size()));
  for (const Record& r : contents->records) {
    QJsonObject o = objectOf(r.json);
    const std::string audience = "[" + audience_to_json(r.audience) + "]";
    o.insert(QStringLiteral("audience"), QJsonDocument::fromJson(QByteArray::fromStdString(audience)).array().at(0));
    out.records.append(o);
  }
  for (const JournalCommand& c : contents->commands)
    out.commands.append(objectOf(c.to_json()));
  if (contents->end)
    out.endTime = contents->end->time;
  if (contents->mark)
    out.markTime = contents->mark->time;
  for (const std::string& w : contents->warnings)
    out.warnings.append(QString::fromStdString(w));
  // The scenario path is relative to the working directory of the program that wrote the journal: try it as given,
  // then next to the journal.
  const QString scenario = out.header.value(QLatin1String("scenario")).toString();
  out.scenarioPath = scenario;
  if (!scenario.isEmpty() && !QFileInfo::exists(scenario)) {
    const QDir dir = QFileInfo(path).absoluteDir();
    for (const QString& candidate : {dir.filePath(scenario), dir.filePath(QFileInfo(scenario).fileName())})
      if (QFileInfo::exists(candidate)) {
        out.scenarioPath = candidate;
        break;
      }
  }
  return out;
}

} // namespace cyberex::gui
