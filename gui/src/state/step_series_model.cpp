#include "state/step_series_model.hpp"

#include <algorithm>

namespace cyberex::gui {

StepSeriesModel::StepSeriesModel(QObject* parent) : QAbstractTableModel(parent) {}

void StepSeriesModel::setSteps(const std::vector<std::pair<double, double>>& steps, double end)
{
  m_steps = steps;
  QList<QPointF> rows;
  rows.reserve(static_cast<qsizetype>(2 * steps.size() + 1));
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (i > 0)
      rows.append(QPointF(steps[i].first, steps[i - 1].second));
    rows.append(QPointF(steps[i].first, steps[i].second));
  }
  if (!steps.empty() && end > steps.back().first)
    rows.append(QPointF(end, steps.back().second));
  setRows(rows);
}

void StepSeriesModel::clear()
{
  m_steps.clear();
  setRows({});
}

void StepSeriesModel::setRows(const QList<QPointF>& rows)
{
  // Live, a record changes the last rows only: keep the common prefix, so the chart's mapper moves a few points.
  const qsizetype common = std::mismatch(m_rows.begin(), m_rows.end(), rows.begin(), rows.end()).first - m_rows.begin();
  const auto oldCount = static_cast<int>(m_rows.size()), newCount = static_cast<int>(rows.size());
  const int first = static_cast<int>(common);
  if (newCount < oldCount) {
    beginRemoveRows({}, newCount, oldCount - 1);
    m_rows.resize(newCount);
    endRemoveRows();
  }
  const int changedEnd = std::min(oldCount, newCount); // rows [first, changedEnd) exist in both
  for (int r = first; r < changedEnd; ++r)
    m_rows[r] = rows[r];
  if (first < changedEnd)
    emit dataChanged(index(first, 0), index(changedEnd - 1, ColumnCount - 1));
  if (newCount > oldCount) {
    beginInsertRows({}, oldCount, newCount - 1);
    m_rows.append(rows.mid(oldCount));
    endInsertRows();
  }
}

QList<QPointF> StepSeriesModel::points() const
{
  return m_rows;
}

double StepSeriesModel::valueAt(double time) const
{
  if (m_steps.empty())
    return 0;
  double v = m_steps.front().second;
  for (const auto& [t, value] : m_steps) {
    if (t > time)
      break;
    v = value;
  }
  return v;
}

double StepSeriesModel::lastValue() const
{
  return m_steps.empty() ? 0 : m_steps.back().second;
}

double StepSeriesModel::maxValue() const
{
  double m = 0;
  for (const auto& step : m_steps)
    m = std::max(m, step.second);
  return m;
}

int StepSeriesModel::rowCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int StepSeriesModel::columnCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant StepSeriesModel::data(const QModelIndex& index, int role) const
{
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
      (role != Qt::DisplayRole && role != Qt::EditRole))
    return {};
  const QPointF& p = m_rows[index.row()];
  switch (index.column()) {
  case TimeColumn:
    return p.x();
  case HoursColumn:
    return p.x() / 3600.0;
  case ValueColumn:
    return p.y();
  default:
    return {};
  }
}

QVariant StepSeriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
    return {};
  static const char* const names[ColumnCount] = {"Time (s)", "Time (h)", "Value"};
  return tr(names[section]);
}

} // namespace cyberex::gui
