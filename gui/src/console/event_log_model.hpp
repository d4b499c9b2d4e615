/* The event log: every record the principal receives, and a proxy that filters it by team, type, node and time. */
#pragma once

#include "console/json_table_model.hpp"

#include <QSortFilterProxyModel>

namespace cyberex::gui {

/// One row per record, in seq order: seq, time, kind, type, subject, summary of the details.
class EventLogModel : public JsonTableModel {
  Q_OBJECT
public:
  enum Roles {
    TeamsRole = Qt::UserRole + 10, ///< QStringList: teams the record concerns (subject, team, from, to)
    NodeRole,                      ///< QString: the node it concerns, if any
    TimeRole,                      ///< double: simulated time
    TypeRole,                      ///< QString: record type
  };
  explicit EventLogModel(QObject* parent = nullptr);

  void addRecord(const QJsonObject& record);
  /// The teams and the node a record concerns (what the filters match).
  static QStringList teamsOf(const QJsonObject& record);
  static QString nodeOf(const QJsonObject& record);
  /// Distinct record types seen, sorted.
  QStringList types() const;

signals:
  void typesChanged();

protected:
  QVariant extraData(const QJsonObject& row, int column, int role) const override;

private:
  QStringList m_types;
};

/// Filters an EventLogModel: each empty criterion matches everything.
class EventFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
public:
  explicit EventFilterProxy(QObject* parent = nullptr);
  void setTeam(const QString& team);
  void setType(const QString& type);
  /// Hide the records of these TYPES (the event log's checkable type list), whatever setType says.
  void setHiddenTypes(const QStringList& types);
  QStringList hiddenTypes() const { return m_hidden; }
  /// Matches records whose node (or subject) contains TEXT, case-insensitive.
  void setNode(const QString& text);
  /// Simulated times FROM..TO inclusive; a negative bound is open.
  void setTimeRange(double from, double to);
  QString team() const { return m_team; }
  QString type() const { return m_type; }

protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
  QString m_team;
  QString m_type;
  QStringList m_hidden;
  QString m_node;
  double m_from = -1;
  double m_to = -1;
};

} // namespace cyberex::gui
