/* One KPI over time as a table (time, time in hours, value): the rows a chart draws, so that Qt Charts binds a line
 * to it with QVXYModelMapper and a table could show the same rows (one source of truth per view). */
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QPointF>

#include <utility>
#include <vector>

namespace cyberex::gui {

/// A step function drawn as a line: its changes [(t0, v0), (t1, v1), ...] become the rows (t0, v0), (t1, v0), (t1, v1)
/// ... and a last row (end, v_last) that holds the last value to the end of the span shown.
class StepSeriesModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { TimeColumn, HoursColumn, ValueColumn, ColumnCount }; ///< seconds; hours (the charts' x); the value

  explicit StepSeriesModel(QObject* parent = nullptr);

  /// New changes, drawn to END (seconds). Rows that stay the same are kept; the others are changed, inserted or
  /// removed at the end (no reset), so a mapped chart series follows without being rebuilt.
  void setSteps(const std::vector<std::pair<double, double>>& steps, double end);
  void clear();

  QList<QPointF> points() const;     ///< the rows as (seconds, value)
  double valueAt(double time) const; ///< the value at TIME (the first change's before it; 0 when empty)
  double lastValue() const;          ///< 0 when empty
  double maxValue() const;           ///< 0 when empty

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
  void setRows(const QList<QPointF>& rows);
  QList<QPointF> m_rows;
  std::vector<std::pair<double, double>> m_steps;
};

} // namespace cyberex::gui
