/* The MSEL as control sees it: injects with their status, and under each the expectations it activated. */
#pragma once

#include "console/json_tree_model.hpp"

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

} // namespace cyberex::gui
