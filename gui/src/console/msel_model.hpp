/* The MSEL as control sees it: injects with their status, and under each the expectations it activated. */
#pragma once

#include "console/json_tree_model.hpp"

#include <QAbstractProxyModel>
#include <QHash>
#include <QJsonArray>
#include <QSortFilterProxyModel>

namespace cyberex::gui {

/// Parents: injects (inject, status waiting/scheduled/delivered/expired/cancelled, when = delivered or due, to,
/// title, channel); children: their activated expectations (expectation, status pending/met/missed, deadline, team,
/// description, by), and the inject's move in the last column. Filled from a `msel` result and kept up to date by
/// records and command replies; a new inject (inject_create) is inserted in time order.
class MselModel : public JsonTreeModel {
  Q_OBJECT
public:
  enum Roles { InjectRole = Qt::UserRole + 10 }; ///< QString: the inject id of a row or of its parent
  enum Columns { InjectColumn, StatusColumn, TimeColumn, ToColumn, TitleColumn, ChannelColumn, MoveColumn };
  explicit MselModel(QObject* parent = nullptr);

  /// Replace everything by a `msel` result ({"injects":[...],"expectations":[...]}).
  void setMsel(const QJsonObject& msel);
  /// Apply an MSEL record (inject_*, inject, expectation_*); other types are ignored.
  void applyRecord(const QJsonObject& record);
  /// Insert or update an inject from a command reply (inject_release, inject_delay, inject_cancel, inject_create).
  void upsertInject(const QJsonObject& inject);
  void upsertExpectation(const QJsonObject& expectation);

  int injectRow(const QString& id) const;
  QString status(const QString& inject) const;
  bool isHidden(const QString& inject) const;
  /// Ids of the injects that can still be released, delayed or cancelled (waiting or scheduled).
  QStringList openInjects() const;
  /// When an inject row is placed in time: delivered, else due; -1 when it has no time (waiting on a trigger).
  static double injectTime(const QJsonObject& inject);
  /// Full titles and descriptions as tooltips, whatever their length.
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

protected:
  QVariant extraData(const QJsonObject& object, bool isChild, int column, int role) const override;

private:
  static QJsonObject normalized(QJsonObject inject);
};

/// The MSEL view's filters (team, status, move, search text) and its sorting. Expectations (child rows) follow their
/// inject; each empty criterion matches everything. Unsorted (sort column -1) it keeps the MSEL's order.
class MselFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
public:
  explicit MselFilterProxy(QObject* parent = nullptr);
  void setTeam(const QString& team);     ///< injects addressed to TEAM
  void setStatus(const QString& status); ///< waiting, scheduled, delivered, expired, cancelled, skipped
  void setMove(const QString& move);
  /// Injects whose id, title or content contain TEXT (case-insensitive).
  void setSearch(const QString& text);
  /// Whether inject OBJECT passes every criterion.
  bool accepts(const QJsonObject& inject) const;

protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
  QString m_team;
  QString m_status;
  QString m_move;
  QString m_search;
};

/// The MSEL grouped by move: a row per move ("move-1: Paper Trail — 4 injects"), in the order the moves' first
/// injects come in the source (the filtered and sorted MSEL), its injects under it in the source's order, their
/// expectations under them. Any change of the source's rows regroups (a model reset); a change of data passes through.
class MselMoveProxy : public QAbstractProxyModel {
  Q_OBJECT
public:
  explicit MselMoveProxy(QObject* parent = nullptr);
  void setSourceModel(QAbstractItemModel* source) override;
  /// Titles of the moves by id, for the group rows.
  void setMoveTitles(const QHash<QString, QString>& titles);
  /// The moves, in their rows' order ("" for injects without a move).
  QStringList moves() const { return m_moves; }
  /// Whether INDEX is a move's row (not an inject or an expectation).
  static bool isMoveRow(const QModelIndex& index) { return index.isValid() && index.internalId() == 0; }

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  bool hasChildren(const QModelIndex& parent = {}) const override;
  QModelIndex mapToSource(const QModelIndex& proxy) const override;
  QModelIndex mapFromSource(const QModelIndex& source) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QModelIndex sibling(int row, int column, const QModelIndex& index) const override;
  /// Sorting sorts the source (the MSEL's filter proxy): the groups follow.
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
  void regroup();
  // internal ids: 0 for a move's row, 1 + move for an inject's row, expectation_base + the inject's source row for an
  // expectation's row
  static constexpr quintptr expectation_base = quintptr(1) << 24;
  QStringList m_moves;
  QList<QList<int>> m_groups;    ///< per move, the source rows of its injects
  QList<QPair<int, int>> m_rows; ///< per source row: (move, row under the move)
  QHash<QString, QString> m_titles;
};

} // namespace cyberex::gui
