/* A two-level tree of JSON objects (parents with children): the base of the MSEL, score and asset models. */
#pragma once

#include "console/json_table_model.hpp"

#include <QAbstractItemModel>

namespace cyberex::gui {

class JsonTreeModel : public QAbstractItemModel {
  Q_OBJECT
public:
  using Format = JsonTableModel::Format;
  enum Roles { RawRole = JsonTableModel::RawRole, ObjectRole = JsonTableModel::ObjectRole };
  /// A column shows PARENTKEY of parent rows and CHILDKEY of child rows (an empty key: nothing).
  struct Column {
    QString title;
    QString parentKey;
    QString childKey;
    Format format = Format::text;
  };
  struct Node {
    QJsonObject object;
    QList<QJsonObject> children;
  };

  explicit JsonTreeModel(QList<Column> columns, QObject* parent = nullptr);

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  int parentCount() const { return static_cast<int>(m_nodes.size()); }
  const QJsonObject& parentObject(int row) const { return m_nodes.at(row).object; }
  const QList<QJsonObject>& children(int row) const { return m_nodes.at(row).children; }
  int findParent(const std::function<bool(const QJsonObject&)>& pred) const;
  int findChild(int parentRow, const std::function<bool(const QJsonObject&)>& pred) const;
  /// Display text of a parent row's column KEY, or of child CHILD (>= 0) of it; for tests and tooltips.
  QString text(int parentRow, const QString& key, int child = -1) const;

  void setNodes(const QList<Node>& nodes);
  void appendParent(const Node& node);
  void replaceParent(int row, const QJsonObject& object);
  void patchParent(int row, const QJsonObject& patch);
  /// Replace the children of ROW (rows removed and inserted, or changed in place when the count is the same).
  void setChildren(int row, const QList<QJsonObject>& children);
  void appendChild(int row, const QJsonObject& child);
  void replaceChild(int row, int child, const QJsonObject& object);

protected:
  virtual QVariant extraData(const QJsonObject& object, bool isChild, int column, int role) const;
  QString cellText(const QJsonObject& object, bool isChild, int column) const;

  QList<Column> m_columns;
  QList<Node> m_nodes;
};

} // namespace cyberex::gui
