#include "console/team_models.hpp"

#include "state/record_json.hpp"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace cyberex::gui {

namespace {
QString teamOfSubject(const QJsonObject& record)
{
  const QString s = record.value("subject").toString();
  return s.startsWith("team:") ? s.mid(5) : QString();
}
} // namespace

// ---------------------------------------------------------------------------------------------------------------

InboxModel::InboxModel(QObject* parent)
    : JsonTableModel({{tr("Team"), "team"},
                      {tr("Item"), "item"},
                      {tr("Time"), "time", Format::time},
                      {tr("Kind"), "kind"},
                      {tr("From"), "from"},
                      {tr("Channel"), "channel"},
                      {tr("Title"), "title"},
                      {tr("Indicators"), "indicators", Format::list},
                      {tr("Read"), "read"},
                      {tr("Read at"), "read_at", Format::time}},
                     parent)
{
}

int InboxModel::row(const QString& team, const QString& item) const
{
  return findRow([&](const QJsonObject& o) { return o.value("team") == team && o.value("item") == item; });
}

int InboxModel::unreadCount(const QString& team) const
{
  int n = 0;
  for (const auto& r : m_rows)
    n += r.value("team").toString() == team && !r.value("read").toBool();
  return n;
}

void InboxModel::add(const QString& team, const QJsonObject& item)
{
  QJsonObject o = item;
  o.insert("team", team);
  const int r = row(team, o.value("item").toString());
  if (r >= 0)
    replaceRow(r, o);
  else
    appendRow(o);
}

void InboxModel::setInbox(const QString& team, const QJsonArray& items)
{
  setTeamRows(team, items);
}

void InboxModel::applyRecord(const QJsonObject& record)
{
  const std::optional<RecordType> type = recordTypeOf(record);
  const QJsonObject d = record.value("details").toObject();
  const double time = record.value("time").toDouble();
  if (type == RecordType::inject) {
    const QString id = d.value("inject").toString();
    if (m_hidden && m_hidden(id))
      return;
    QJsonObject item{{"item", id},
                     {"kind", "inject"},
                     {"time", time},
                     {"from", d.value("from")},
                     {"channel", d.value("channel")},
                     {"title", d.value("title")},
                     {"content", d.value("content")},
                     {"indicators", d.value("indicators")},
                     {"read", false}};
    for (const auto& t : d.value("to").toArray())
      if (m_teams.contains(t.toString()))
        add(t.toString(), item);
  } else if (type == RecordType::message) {
    QJsonObject item{{"item", d.value("item")},
                     {"kind", "message"},
                     {"time", time},
                     {"from", d.value("from")},
                     {"channel", ""},
                     {"title", d.value("subject")},
                     {"content", d.value("text")},
                     {"indicators", d.value("indicators")},
                     {"read", false}};
    for (const auto& t : d.value("to").toArray())
      if (m_teams.contains(t.toString()))
        add(t.toString(), item);
  } else if (type == RecordType::read) {
    const int r = row(teamOfSubject(record), d.value("item").toString());
    if (r >= 0)
      patchRow(r, {{"read", true}, {"read_at", d.value("read_at")}});
  }
}

QVariant InboxModel::extraData(const QJsonObject& row, int, int role) const
{
  if (role == Qt::FontRole && !row.value("read").toBool()) {
    QFont f;
    f.setBold(true);
    return f;
  }
  return {};
}

// ---------------------------------------------------------------------------------------------------------------

AlertModel::AlertModel(QObject* parent)
    : JsonTableModel({{tr("Team"), "team"},
                      {tr("Time"), "time", Format::time},
                      {tr("Sensor"), "sensor"},
                      {tr("Kind"), "kind"},
                      {tr("Technique"), "technique"},
                      {tr("Node"), "node"},
                      {tr("Indicators"), "indicators", Format::list}},
                     parent)
{
}

void AlertModel::setAlerts(const QString& team, const QJsonArray& alerts)
{
  setTeamRows(team, alerts);
}

void AlertModel::applyRecord(const QJsonObject& record)
{
  if (!isRecord(record, RecordType::alert))
    return;
  QJsonObject o = record.value("details").toObject();
  o.insert("team", teamOfSubject(record));
  o.insert("time", record.value("time"));
  appendRow(o);
}

// ---------------------------------------------------------------------------------------------------------------

SitrepModel::SitrepModel(QObject* parent)
    : JsonTableModel(
          {{tr("Time"), "time", Format::time}, {tr("Team"), "team"}, {tr("Status"), "status"}, {tr("Text"), "text"}},
          parent)
{
}

void SitrepModel::setSitreps(const QString& team, const QJsonArray& sitreps)
{
  setTeamRows(team, sitreps);
}

void SitrepModel::applyRecord(const QJsonObject& record)
{
  if (isRecord(record, RecordType::sitrep))
    appendRow(record.value("details").toObject());
}

// ---------------------------------------------------------------------------------------------------------------

ExpectationModel::ExpectationModel(QObject* parent)
    : JsonTableModel({{tr("Expectation"), "expectation"},
                      {tr("Team"), "team"},
                      {tr("Inject"), "inject"},
                      {tr("Status"), "status"},
                      {tr("Activated"), "activated", Format::time},
                      {tr("Deadline"), "deadline", Format::time},
                      {tr("Decided"), "decided", Format::time},
                      {tr("By"), "by"},
                      {tr("Objective"), "objective"},
                      {tr("Critical task"), "critical_task"},
                      {tr("Points"), "points"},
                      {tr("Description"), "description"}},
                     parent)
{
}

int ExpectationModel::row(const QString& expectation, const QString& team) const
{
  return findRow(
      [&](const QJsonObject& o) { return o.value("expectation") == expectation && o.value("team") == team; });
}

void ExpectationModel::upsert(const QJsonObject& e)
{
  const int r = row(e.value("expectation").toString(), e.value("team").toString());
  if (r >= 0)
    replaceRow(r, e);
  else
    appendRow(e);
}

void ExpectationModel::setExpectations(const QJsonArray& expectations)
{
  QList<QJsonObject> rows;
  for (const auto& e : expectations)
    rows.append(e.toObject());
  setRows(rows);
}

void ExpectationModel::applyRecord(const QJsonObject& record)
{
  const std::optional<RecordType> type = recordTypeOf(record);
  if (type == RecordType::expectation_active || type == RecordType::expectation_met ||
      type == RecordType::expectation_missed || type == RecordType::expectation_not_applicable)
    upsert(record.value("details").toObject());
}

QVariant ExpectationModel::extraData(const QJsonObject& row, int column, int role) const
{
  if (role == Qt::ForegroundRole && column == 3) {
    const QString s = row.value("status").toString();
    if (s == "met")
      return QBrush(QColor(0x1b, 0x7f, 0x3a));
    if (s == "missed")
      return QBrush(QColor(0xb0, 0x20, 0x20));
  }
  return {};
}

// ---------------------------------------------------------------------------------------------------------------

LeaderboardModel::LeaderboardModel(QObject* parent)
    : JsonTableModel({{tr("Rank"), "rank"},
                      {tr("Team"), "team"},
                      {tr("Total"), "total", Format::number},
                      {tr("Expectations"), "expectations", Format::number},
                      {tr("Ratings"), "ratings", Format::number},
                      {tr("Metrics"), "metrics", Format::number}},
                     parent)
{
}

void LeaderboardModel::setLeaderboard(const QJsonObject& board)
{
  m_time = board.value("time").toDouble();
  QList<QJsonObject> rows;
  for (const auto& t : board.value("teams").toArray())
    rows.append(t.toObject());
  if (rows.size() == m_rows.size()) {
    // same teams: update in place so that selections in views survive
    for (int i = 0; i < rows.size(); ++i)
      if (rows[i] != m_rows[i])
        replaceRow(i, rows[i]);
    return;
  }
  setRows(rows);
}

} // namespace cyberex::gui
