/* A table of JSON objects, one a row, with columns naming their keys: the base of the consoles' flat models. */
#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

#include <functional>

namespace cyberex::gui {

/// Simulated seconds as "HH:MM:SS" ("1d 02:00:00" beyond a day); empty for a negative or missing time.
QString formatSimTime(double seconds);
/// A JSON value as one line of text: strings as is, numbers with up to 3 decimals, arrays joined by ", ",
/// null and undefined empty, booleans "yes"/"no", objects as "key: value" pairs.
QString formatJson(const QJsonValue& value);

class JsonTableModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Roles {
    RawRole = Qt::UserRole + 1, ///< the column's JSON value as a QVariant (numbers as double: sorts numerically)
    ObjectRole,                 ///< the row's whole JSON object
  };
  enum class Format { text, time, number, list };
  struct Column {
    QString title;
    QString key;
    Format format = Format::text;
  };

  explicit JsonTableModel(QList<Column> columns, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  const QJsonObject& rowObject(int row) const { return m_rows.at(row); }
  /// The first row matching PRED, or -1.
  int findRow(const std::function<bool(const QJsonObject&)>& pred) const;
  /// The display text of (ROW, column KEY): what a view shows; for tests and tooltips.
  QString text(int row, const QString& key) const;
  int columnOf(const QString& key) const;

  void appendRow(const QJsonObject& row);
  void replaceRow(int row, const QJsonObject& object);
  /// Merge the keys of PATCH into ROW.
  void patchRow(int row, const QJsonObject& patch);
  void setRows(const QList<QJsonObject>& rows);
  void clear();
  /// Replace the rows whose "team" is TEAM by ITEMS (each given that "team"), keeping the others' rows.
  void setTeamRows(const QString& team, const QJsonArray& items);

protected:
  /// Roles other than display, edit, raw and object (fonts, colours, custom roles): none by default.
  virtual QVariant extraData(const QJsonObject& row, int column, int role) const;
  QString cellText(const QJsonObject& row, int column) const;

  QList<Column> m_columns;
  QList<QJsonObject> m_rows;
};

} // namespace cyberex::gui
