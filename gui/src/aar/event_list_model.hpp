/* The after-action player's event list: the journal's records up to the cursor time, as a table. */
#pragma once

#include "cyberex/record.hpp"

#include <QAbstractTableModel>
#include <QCache>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace cyberex::gui {

class EventListModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { TimeColumn, KindColumn, TypeColumn, SubjectColumn, DetailsColumn, ColumnCount };
  enum Role { RecordRole = Qt::UserRole + 1, TimeRole }; ///< the record's JSON object (with its audience); its time

  explicit EventListModel(QObject* parent = nullptr);

  /// All records, in order (shared with the Timeline that read them); the model shows those with time <= the time
  /// limit. Resets the model.
  void setRecords(std::shared_ptr<const std::vector<Record>> records);
  /// Show the records up to `time` (inclusive); rows are inserted or removed at the end, never reset.
  void setTimeLimit(double time);
  double timeLimit() const;
  /// Only the records a player team may see (cyberex::visible_to); empty: every record (control). Resets the model.
  void setTeamFilter(const QString& team);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  /// "H+01:02:03" for 3723 seconds.
  static QString formatTime(double seconds);

private:
  void filter();
  int countUpTo(double time) const;
  const QJsonObject& object(int recordIndex) const; ///< the record's JSON, parsed once while it is shown

  std::shared_ptr<const std::vector<Record>> m_records;
  QList<int> m_passing; ///< indices of the records that pass the team filter, in order
  QString m_team;
  double m_timeLimit = 0;
  int m_shown = 0;
  mutable QCache<int, QJsonObject> m_parsed{4000};
};

} // namespace cyberex::gui
