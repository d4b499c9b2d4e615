/* The after-action player's event list: the journal's records up to the cursor time, as a table. */
#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

namespace cyberex::gui {

class EventListModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { TimeColumn, KindColumn, TypeColumn, SubjectColumn, DetailsColumn, ColumnCount };
  enum Role { RecordRole = Qt::UserRole + 1, TimeRole }; ///< the record's JSON object; its time (double)

  explicit EventListModel(QObject* parent = nullptr);

  /// All records (in order); the model shows those with time <= the time limit. Resets the model.
  void setRecords(const QList<QJsonObject>& records);
  /// Show the records up to `time` (inclusive); rows are inserted or removed at the end, never reset.
  void setTimeLimit(double time);
  double timeLimit() const;
  /// Only the records a player team may see (their audience); empty: every record (control). Resets the model.
  void setTeamFilter(const QString& team);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  /// "H+01:02:03" for 3723 seconds.
  static QString formatTime(double seconds);

private:
  int countUpTo(double time) const;
  QList<QJsonObject> m_records;
  QList<int> m_passing; ///< indices of the records that pass the team filter, in order
  QString m_team;
  double m_timeLimit = 0;
  int m_shown = 0;
};

} // namespace cyberex::gui
