/* The after-action player's view of a journal (docs/journal.md, format 2): the header, the records in order (each
 * kept as its JSON object, with its audience) and the commands, read with the core reader (cyberex::read_journal):
 * a torn last line is dropped with a warning, any other bad line is an error. */
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cyberex::gui {

struct JournalFile {
  QString path;
  QJsonObject header;          ///< {"cyberex_journal":2,"scenario":...,"seed":...,...}
  QString scenarioPath;        ///< header "scenario" resolved against the journal's directory when relative and missing
  QList<QJsonObject> records;  ///< {"seq","time","kind","type","subject","details","audience"}, in seq order
  QList<QJsonObject> commands; ///< {"index","time","role","team","command"}
  std::optional<double> endTime;  ///< from the end line; absent: the exercise did not end
  std::optional<double> markTime; ///< from the last mark line (the time a crashed server had reached)
  QStringList warnings;           ///< e.g. the torn last line that was dropped
  double lastTime() const;        ///< the latest of the end time and the times of the last record, command and mark
};

/// Read a journal file. On error returns nullopt and sets *error to "FILE:LINE: what was expected".
std::optional<JournalFile> readJournalFile(const QString& path, QString* error);

/// True if a player team may see a journal record (its "audience": "all", or an array holding the team).
bool visibleToTeam(const QJsonObject& record, const QString& team);

} // namespace cyberex::gui
