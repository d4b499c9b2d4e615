#include "console/json_tree_model.hpp"

namespace cyberex::gui {

// internalId: 0 for a parent row, parent row + 1 for a child row

JsonTreeModel::JsonTreeModel(QList<Column> columns, QObject* parent)
    : QAbstractItemModel(parent), m_columns(std::move(columns))
{
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex& parent) const
{
  if (row < 0 || column < 0 || column >= m_columns.size())
    return {};
  if (!parent.isValid())
    return row < m_nodes.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
  if (parent.internalId() != 0 || parent.column() != 0 || parent.row() >= m_nodes.size())
    return {};
  if (row >= m_nodes.at(parent.row()).children.size())
    return {};
  return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex JsonTreeModel::parent(const QModelIndex& child) const
{
  if (!child.isValid() || child.internalId() == 0)
    return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr(0));
}

int JsonTreeModel::rowCount(const QModelIndex& parent) const
{
  if (!parent.isValid())
    return static_cast<int>(m_nodes.size());
  if (parent.internalId() != 0 || parent.column() != 0)
    return 0;
  return static_cast<int>(m_nodes.at(parent.row()).children.size());
}

int JsonTreeModel::columnCount(const QModelIndex&) const
{
  return static_cast<int>(m_columns.size());
}

QString JsonTreeModel::cellText(const QJsonObject& object, bool isChild, int column) const
{
  const Column& c = m_columns.at(column);
  const QString& key = isChild ? c.childKey : c.parentKey;
  if (key.isEmpty())
    return {};
  const QJsonValue v = object.value(key);
  if (c.format == Format::time && v.isDouble())
    return formatSimTime(v.toDouble());
  if (c.format == Format::number && v.isDouble())
    return QString::number(v.toDouble(), 'f', 2);
  return formatJson(v);
}

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const
{
  if (!checkIndex(index, CheckIndexOption::IndexIsValid))
    return {};
  const bool isChild = index.internalId() != 0;
  const QJsonObject& o = isChild ? m_nodes.at(static_cast<int>(index.internalId() - 1)).children.at(index.row())
                                 : m_nodes.at(index.row()).object;
  switch (role) {
  case Qt::DisplayRole:
  case Qt::EditRole:
    return cellText(o, isChild, index.column());
  case Qt::ToolTipRole: {
    const QString t = cellText(o, isChild, index.column());
    return t.size() > 40 ? QVariant(t) : QVariant();
  }
  case RawRole: {
    const Column& c = m_columns.at(index.column());
    return o.value(isChild ? c.childKey : c.parentKey).toVariant();
  }
  case ObjectRole:
    return o;
  default:
    return extraData(o, isChild, index.column(), role);
  }
}

QVariant JsonTreeModel::extraData(const QJsonObject&, bool, int, int) const
{
  return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
  if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < m_columns.size())
    return m_columns.at(section).title;
  return QAbstractItemModel::headerData(section, orientation, role);
}

int JsonTreeModel::findParent(const std::function<bool(const QJsonObject&)>& pred) const
{
  for (int i = 0; i < m_nodes.size(); ++i)
    if (pred(m_nodes.at(i).object))
      return i;
  return -1;
}

int JsonTreeModel::findChild(int parentRow, const std::function<bool(const QJsonObject&)>& pred) const
{
  const auto& c = m_nodes.at(parentRow).children;
  for (int i = 0; i < c.size(); ++i)
    if (pred(c.at(i)))
      return i;
  return -1;
}

QString JsonTreeModel::text(int parentRow, const QString& key, int child) const
{
  if (parentRow < 0 || parentRow >= m_nodes.size())
    return {};
  const bool isChild = child >= 0;
  if (isChild && child >= m_nodes.at(parentRow).children.size())
    return {};
  const QJsonObject& o = isChild ? m_nodes.at(parentRow).children.at(child) : m_nodes.at(parentRow).object;
  for (int c = 0; c < m_columns.size(); ++c)
    if ((isChild ? m_columns.at(c).childKey : m_columns.at(c).parentKey) == key)
      return cellText(o, isChild, c);
  return formatJson(o.value(key));
}

void JsonTreeModel::setNodes(const QList<Node>& nodes)
{
  beginResetModel();
  m_nodes = nodes;
  endResetModel();
}

void JsonTreeModel::appendParent(const Node& node)
{
  const int n = static_cast<int>(m_nodes.size());
  beginInsertRows({}, n, n);
  m_nodes.append(node);
  endInsertRows();
}

void JsonTreeModel::replaceParent(int row, const QJsonObject& object)
{
  m_nodes[row].object = object;
  emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void JsonTreeModel::patchParent(int row, const QJsonObject& patch)
{
  QJsonObject o = m_nodes.at(row).object;
  for (auto it = patch.begin(); it != patch.end(); ++it)
    o.insert(it.key(), it.value());
  replaceParent(row, o);
}

void JsonTreeModel::setChildren(int row, const QList<QJsonObject>& children)
{
  const QModelIndex p = index(row, 0);
  auto& c = m_nodes[row].children;
  if (c.size() == children.size()) {
    if (c == children)
      return;
    c = children;
    if (!c.isEmpty())
      emit dataChanged(index(0, 0, p), index(static_cast<int>(c.size()) - 1, columnCount() - 1, p));
    return;
  }
  if (!c.isEmpty()) {
    beginRemoveRows(p, 0, static_cast<int>(c.size()) - 1);
    c.clear();
    endRemoveRows();
  }
  if (!children.isEmpty()) {
    beginInsertRows(p, 0, static_cast<int>(children.size()) - 1);
    c = children;
    endInsertRows();
  }
}

void JsonTreeModel::appendChild(int row, const QJsonObject& child)
{
  const int n = static_cast<int>(m_nodes.at(row).children.size());
  beginInsertRows(index(row, 0), n, n);
  m_nodes[row].children.append(child);
  endInsertRows();
}

void JsonTreeModel::replaceChild(int row, int child, const QJsonObject& object)
{
  m_nodes[row].children[child] = object;
  const QModelIndex p = index(row, 0);
  emit dataChanged(index(child, 0, p), index(child, columnCount() - 1, p));
}

} // namespace cyberex::gui
