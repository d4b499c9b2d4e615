#include "aar/journal_file.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace cyberex::gui {

double JournalFile::lastTime() const
{
  if (endTime)
    return *endTime;
  double t = 0;
  if (!records.isEmpty())
    t = records.back().value(QLatin1String("time")).toDouble();
  if (!commands.isEmpty())
    t = std::max(t, commands.back().value(QLatin1String("time")).toDouble());
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

std::optional<JournalFile> readJournalFile(const QString& path, QString* error)
{
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("%1: cannot open: %2").arg(path, file.errorString());
    return std::nullopt;
  }
  const QByteArray bytes = file.readAll();
  JournalFile out;
  out.path = path;
  QList<QByteArrayView> lines;
  qsizetype start = 0;
  while (start < bytes.size()) {
    qsizetype nl = bytes.indexOf('\n', start);
    lines.append(QByteArrayView(bytes).sliced(start, (nl < 0 ? bytes.size() : nl) - start));
    if (nl < 0) {
      // No final newline: a torn last line, dropped (docs/journal.md).
      out.warnings.append(QStringLiteral("%1:%2: dropped a torn last line (no newline)").arg(path).arg(lines.size()));
      lines.removeLast();
      break;
    }
    start = nl + 1;
  }
  auto fail = [&](qsizetype line, const QString& what) {
    *error = QStringLiteral("%1:%2: %3").arg(path).arg(line).arg(what);
    return std::nullopt;
  };
  if (lines.isEmpty())
    return fail(1, QStringLiteral("expected the journal header {\"cyberex_journal\":2,...}"));
  double lastSeq = 0, lastIndex = 0, lastTime = 0;
  for (qsizetype i = 0; i < lines.size(); ++i) {
    const qsizetype lineNo = i + 1;
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(lines[i].toByteArray(), &perr);
    const QJsonObject o = doc.object();
    const bool isLast = i == lines.size() - 1;
    QString what;
    if (!doc.isObject()) {
      what = QStringLiteral("expected one JSON object (%1)").arg(perr.errorString());
    } else if (i == 0) {
      if (o.value(QLatin1String("cyberex_journal")).toInt() != 2)
        return fail(lineNo, QStringLiteral("expected the journal header {\"cyberex_journal\":2,...}"));
      out.header = o;
      continue;
    } else if (o.contains(QLatin1String("end"))) {
      out.endTime = o.value(QLatin1String("end")).toObject().value(QLatin1String("time")).toDouble();
      continue;
    } else if (o.contains(QLatin1String("seq")) && o.contains(QLatin1String("type"))) {
      const double seq = o.value(QLatin1String("seq")).toDouble();
      const double t = o.value(QLatin1String("time")).toDouble();
      if (seq != lastSeq + 1 || t < lastTime)
        what = QStringLiteral("expected record seq %1 at time >= %2").arg(lastSeq + 1).arg(lastTime);
      else {
        lastSeq = seq;
        lastTime = t;
        out.records.append(o);
        continue;
      }
    } else if (o.contains(QLatin1String("index")) && o.contains(QLatin1String("command"))) {
      const double index = o.value(QLatin1String("index")).toDouble();
      if (index != lastIndex + 1)
        what = QStringLiteral("expected command index %1").arg(lastIndex + 1);
      else {
        lastIndex = index;
        lastTime = std::max(lastTime, o.value(QLatin1String("time")).toDouble());
        out.commands.append(o);
        continue;
      }
    } else {
      what = QStringLiteral("expected a command, a record or the end line");
    }
    if (isLast) {
      out.warnings.append(QStringLiteral("%1:%2: dropped a torn last line (%3)").arg(path).arg(lineNo).arg(what));
      break;
    }
    return fail(lineNo, what);
  }
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
