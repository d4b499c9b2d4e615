#include "console/event_log_model.hpp"

#include "state/record_json.hpp"

#include <QJsonArray>

#include <algorithm>

namespace cyberex::gui {

EventLogModel::EventLogModel(QObject* parent)
    : JsonTableModel({{tr("Seq"), "seq"},
                      {tr("Time"), "time", Format::time},
                      {tr("Kind"), "kind"},
                      {tr("Type"), "type"},
                      {tr("Subject"), "subject"},
                      {tr("Details"), "summary"}},
                     parent)
{
}

QStringList EventLogModel::teamsOf(const QJsonObject& record)
{
  QStringList teams;
  auto add = [&](const QString& t) {
    if (!t.isEmpty() && !teams.contains(t))
      teams.append(t);
  };
  const QString subject = record.value("subject").toString();
  if (subject.startsWith("team:"))
    add(subject.mid(5));
  const QJsonObject d = record.value("details").toObject();
  add(d.value("team").toString());
  if (isRecord(record, RecordType::message))
    add(d.value("from").toString());
  const QJsonValue to = d.value("to");
  if (to.isArray())
    for (const auto& t : to.toArray())
      add(t.toString());
  return teams;
}

QString EventLogModel::nodeOf(const QJsonObject& record)
{
  const QString subject = record.value("subject").toString();
  if (subject.startsWith("node:"))
    return subject.mid(5);
  const QJsonObject d = record.value("details").toObject();
  if (d.value("node").isString())
    return d.value("node").toString();
  QString target = d.value("target").toString();
  if (target.startsWith("node:"))
    target = target.mid(5);
  return target;
}

void EventLogModel::addRecord(const QJsonObject& record)
{
  QJsonObject row = record;
  row.insert("summary", formatJson(record.value("details")));
  row.insert("teams", QJsonArray::fromStringList(teamsOf(record)));
  row.insert("node", nodeOf(record));
  const QString type = record.value("type").toString();
  if (!m_types.contains(type)) {
    m_types.insert(std::lower_bound(m_types.begin(), m_types.end(), type), type);
    emit typesChanged();
  }
  appendRow(row);
}

QStringList EventLogModel::types() const
{
  return m_types;
}

QVariant EventLogModel::extraData(const QJsonObject& row, int, int role) const
{
  switch (role) {
  case TeamsRole: {
    QStringList out;
    for (const auto& t : row.value("teams").toArray())
      out.append(t.toString());
    return out;
  }
  case NodeRole:
    return row.value("node").toString();
  case TimeRole:
    return row.value("time").toDouble();
  case TypeRole:
    return row.value("type").toString();
  default:
    return {};
  }
}

EventFilterProxy::EventFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
  setSortRole(JsonTableModel::RawRole);
}

void EventFilterProxy::setTeam(const QString& team)
{
  m_team = team;
  invalidateFilter();
}

void EventFilterProxy::setType(const QString& type)
{
  m_type = type;
  invalidateFilter();
}

void EventFilterProxy::setHiddenTypes(const QStringList& types)
{
  m_hidden = types;
  invalidateFilter();
}

void EventFilterProxy::setNode(const QString& text)
{
  m_node = text.trimmed();
  invalidateFilter();
}

void EventFilterProxy::setTimeRange(double from, double to)
{
  m_from = from;
  m_to = to;
  invalidateFilter();
}

bool EventFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
  const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
  const QString type = i.data(EventLogModel::TypeRole).toString();
  if (!m_type.isEmpty() && type != m_type)
    return false;
  if (m_hidden.contains(type))
    return false;
  if (!m_team.isEmpty() && !i.data(EventLogModel::TeamsRole).toStringList().contains(m_team))
    return false;
  if (!m_node.isEmpty()) {
    const QString node = i.data(EventLogModel::NodeRole).toString();
    const QString subject = sourceModel()->index(sourceRow, 4, sourceParent).data().toString();
    if (!node.contains(m_node, Qt::CaseInsensitive) && !subject.contains(m_node, Qt::CaseInsensitive))
      return false;
  }
  const double t = i.data(EventLogModel::TimeRole).toDouble();
  if (m_from >= 0 && t < m_from)
    return false;
  if (m_to >= 0 && t > m_to)
    return false;
  return true;
}

} // namespace cyberex::gui
