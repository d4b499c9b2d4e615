#include "aar/event_list_model.hpp"

#include "aar/journal_file.hpp"

#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace cyberex::gui {

EventListModel::EventListModel(QObject* parent) : QAbstractTableModel(parent) {}

void EventListModel::setRecords(const QList<QJsonObject>& records)
{
  beginResetModel();
  m_records = records;
  m_passing.clear();
  for (int i = 0; i < m_records.size(); ++i)
    if (m_team.isEmpty() || visibleToTeam(m_records[i], m_team))
      m_passing.append(i);
  m_shown = countUpTo(m_timeLimit);
  endResetModel();
}

void EventListModel::setTeamFilter(const QString& team)
{
  if (team == m_team)
    return;
  m_team = team;
  setRecords(QList<QJsonObject>(m_records));
}

int EventListModel::countUpTo(double time) const
{
  // Records are in time order: the first record later than `time` ends the shown rows.
  auto it = std::upper_bound(m_passing.begin(), m_passing.end(), time, [this](double t, int i) {
    return t < m_records[i].value(QLatin1String("time")).toDouble();
  });
  return static_cast<int>(it - m_passing.begin());
}

void EventListModel::setTimeLimit(double time)
{
  m_timeLimit = time;
  const int n = countUpTo(time);
  if (n > m_shown) {
    beginInsertRows({}, m_shown, n - 1);
    m_shown = n;
    endInsertRows();
  } else if (n < m_shown) {
    beginRemoveRows({}, n, m_shown - 1);
    m_shown = n;
    endRemoveRows();
  }
}

double EventListModel::timeLimit() const
{
  return m_timeLimit;
}

int EventListModel::rowCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : m_shown;
}

int EventListModel::columnCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : ColumnCount;
}

QString EventListModel::formatTime(double seconds)
{
  const auto s = static_cast<long long>(std::floor(std::max(0.0, seconds)));
  return QStringLiteral("H+%1:%2:%3")
      .arg(s / 3600, 2, 10, QLatin1Char('0'))
      .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
      .arg(s % 60, 2, 10, QLatin1Char('0'));
}

QVariant EventListModel::data(const QModelIndex& index, int role) const
{
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const QJsonObject& r = m_records[m_passing[index.row()]];
  if (role == RecordRole)
    return r;
  if (role == TimeRole)
    return r.value(QLatin1String("time")).toDouble();
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
    return {};
  switch (index.column()) {
  case TimeColumn:
    return formatTime(r.value(QLatin1String("time")).toDouble());
  case KindColumn:
    return r.value(QLatin1String("kind")).toString();
  case TypeColumn:
    return r.value(QLatin1String("type")).toString();
  case SubjectColumn:
    return r.value(QLatin1String("subject")).toString();
  case DetailsColumn: {
    const QString text =
        QString::fromUtf8(QJsonDocument(r.value(QLatin1String("details")).toObject()).toJson(QJsonDocument::Compact));
    return role == Qt::DisplayRole && text.size() > 160 ? text.left(157) + QStringLiteral("...") : text;
  }
  default:
    return {};
  }
}

QVariant EventListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
    return {};
  static const char* const names[ColumnCount] = {"Time", "Kind", "Type", "Subject", "Details"};
  return tr(names[section]);
}

} // namespace cyberex::gui
