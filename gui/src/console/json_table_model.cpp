#include "console/json_table_model.hpp"

#include <QJsonArray>

#include <cmath>

namespace cyberex::gui {

QString formatSimTime(double seconds)
{
  if (!(seconds >= 0))
    return {};
  auto s = static_cast<qint64>(std::floor(seconds + 1e-6));
  const qint64 days = s / 86400;
  s %= 86400;
  const QString hms = QStringLiteral("%1:%2:%3")
                          .arg(s / 3600, 2, 10, QChar('0'))
                          .arg((s / 60) % 60, 2, 10, QChar('0'))
                          .arg(s % 60, 2, 10, QChar('0'));
  return days > 0 ? QStringLiteral("%1d %2").arg(days).arg(hms) : hms;
}

QString formatJson(const QJsonValue& v)
{
  switch (v.type()) {
  case QJsonValue::String:
    return v.toString();
  case QJsonValue::Double: {
    const double d = v.toDouble();
    if (d == std::floor(d) && std::fabs(d) < 1e15)
      return QString::number(static_cast<qint64>(d));
    QString t = QString::number(d, 'f', 3);
    while (t.endsWith('0'))
      t.chop(1);
    return t;
  }
  case QJsonValue::Bool:
    return v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
  case QJsonValue::Array: {
    QStringList parts;
    for (const auto& x : v.toArray())
      parts.append(formatJson(x));
    return parts.join(", ");
  }
  case QJsonValue::Object: {
    QStringList parts;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
      parts.append(it.key() + ": " + formatJson(it.value()));
    return parts.join("; ");
  }
  default:
    return {};
  }
}

JsonTableModel::JsonTableModel(QList<Column> columns, QObject* parent)
    : QAbstractTableModel(parent), m_columns(std::move(columns))
{
}

int JsonTableModel::rowCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int JsonTableModel::columnCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QString JsonTableModel::cellText(const QJsonObject& row, int column) const
{
  const Column& c = m_columns.at(column);
  const QJsonValue v = row.value(c.key);
  switch (c.format) {
  case Format::time:
    return v.isDouble() ? formatSimTime(v.toDouble()) : formatJson(v);
  case Format::number:
    return v.isDouble() ? QString::number(v.toDouble(), 'f', 2) : formatJson(v);
  default:
    return formatJson(v);
  }
}

QVariant JsonTableModel::data(const QModelIndex& index, int role) const
{
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const QJsonObject& row = m_rows.at(index.row());
  switch (role) {
  case Qt::DisplayRole:
  case Qt::EditRole:
    return cellText(row, index.column());
  case Qt::ToolTipRole: {
    const QString t = cellText(row, index.column());
    return t.size() > 40 ? QVariant(t) : QVariant();
  }
  case RawRole:
    return row.value(m_columns.at(index.column()).key).toVariant();
  case ObjectRole:
    return row;
  default:
    return extraData(row, index.column(), role);
  }
}

QVariant JsonTableModel::extraData(const QJsonObject&, int, int) const
{
  return {};
}

QVariant JsonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
  if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < m_columns.size())
    return m_columns.at(section).title;
  return QAbstractTableModel::headerData(section, orientation, role);
}

int JsonTableModel::findRow(const std::function<bool(const QJsonObject&)>& pred) const
{
  for (int i = 0; i < m_rows.size(); ++i)
    if (pred(m_rows.at(i)))
      return i;
  return -1;
}

int JsonTableModel::columnOf(const QString& key) const
{
  for (int i = 0; i < m_columns.size(); ++i)
    if (m_columns.at(i).key == key)
      return i;
  return -1;
}

QString JsonTableModel::text(int row, const QString& key) const
{
  const int c = columnOf(key);
  if (row < 0 || row >= m_rows.size())
    return {};
  return c >= 0 ? cellText(m_rows.at(row), c) : formatJson(m_rows.at(row).value(key));
}

void JsonTableModel::appendRow(const QJsonObject& row)
{
  const int n = static_cast<int>(m_rows.size());
  beginInsertRows({}, n, n);
  m_rows.append(row);
  endInsertRows();
}

void JsonTableModel::replaceRow(int row, const QJsonObject& object)
{
  m_rows[row] = object;
  emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void JsonTableModel::patchRow(int row, const QJsonObject& patch)
{
  QJsonObject o = m_rows.at(row);
  for (auto it = patch.begin(); it != patch.end(); ++it)
    o.insert(it.key(), it.value());
  replaceRow(row, o);
}

void JsonTableModel::setRows(const QList<QJsonObject>& rows)
{
  beginResetModel();
  m_rows = rows;
  endResetModel();
}

void JsonTableModel::clear()
{
  setRows({});
}

void JsonTableModel::setTeamRows(const QString& team, const QJsonArray& items)
{
  QList<QJsonObject> rows;
  for (const auto& r : m_rows)
    if (r.value("team").toString() != team)
      rows.append(r);
  for (const auto& i : items) {
    QJsonObject o = i.toObject();
    o.insert("team", team);
    rows.append(o);
  }
  setRows(rows);
}

} // namespace cyberex::gui
