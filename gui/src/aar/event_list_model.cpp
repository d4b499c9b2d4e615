#include "aar/event_list_model.hpp"

#include "state/record_json.hpp"

#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace cyberex::gui {

EventListModel::EventListModel(QObject* parent) : QAbstractTableModel(parent) {}

void EventListModel::setRecords(std::shared_ptr<const std::vector<Record>> records)
{
  beginResetModel();
  m_records = std::move(records);
  m_parsed.clear();
  filter();
  endResetModel();
}

void EventListModel::setTeamFilter(const QString& team)
{
  if (team == m_team)
    return;
  beginResetModel();
  m_team = team;
  filter();
  endResetModel();
}

void EventListModel::filter()
{
  m_passing.clear();
  const Principal team{cyberex::Role::player, m_team.toStdString()};
  const std::size_t n = m_records ? m_records->size() : 0;
  for (std::size_t i = 0; i < n; ++i)
    if (m_team.isEmpty() || visible_to(team, (*m_records)[i]))
      m_passing.append(static_cast<int>(i));
  m_shown = countUpTo(m_timeLimit);
}

int EventListModel::countUpTo(double time) const
{
  // Records are in time order: the first record later than `time` ends the shown rows.
  auto it = std::upper_bound(m_passing.begin(), m_passing.end(), time,
                             [this](double t, int i) { return t < (*m_records)[static_cast<std::size_t>(i)].time; });
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

const QJsonObject& EventListModel::object(int recordIndex) const
{
  if (QJsonObject* cached = m_parsed.object(recordIndex))
    return *cached;
  auto* o = new QJsonObject(toJsonObject((*m_records)[static_cast<std::size_t>(recordIndex)]));
  m_parsed.insert(recordIndex, o);
  return *o;
}

QVariant EventListModel::data(const QModelIndex& index, int role) const
{
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const int i = m_passing[index.row()];
  const Record& r = (*m_records)[static_cast<std::size_t>(i)];
  if (role == RecordRole)
    return object(i);
  if (role == TimeRole)
    return r.time;
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
    return {};
  switch (index.column()) {
  case TimeColumn:
    return formatTime(r.time);
  case KindColumn:
    return QString::fromLatin1(to_string(r.kind));
  case TypeColumn:
    return recordTypeName(r.type);
  case SubjectColumn:
    return object(i).value(QLatin1String("subject")).toString();
  case DetailsColumn: {
    const QString text = QString::fromUtf8(
        QJsonDocument(object(i).value(QLatin1String("details")).toObject()).toJson(QJsonDocument::Compact));
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
