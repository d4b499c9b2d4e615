/* The dashboard: key performance indicators of an exercise over time, folded from protocol records, drawn with
 * Qt Charts (kept in this folder: Qt Charts is deprecated from Qt 6.10 in favour of Qt Graphs). */
#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <array>
#include <memory>

namespace cyberex {
struct Scenario;
}

namespace cyberex::gui {

/// The step-valued indicators of the dashboard.
enum class Kpi {
  availability, ///< % of services up (degraded counts half), from service_status records
  compromised,  ///< nodes currently compromised (node_compromised; foothold_lost, node_restored)
  exfiltrated,  ///< MB (10^6 bytes) exfiltrated, all campaigns (campaign_total of exfiltration_* records)
  mwLost        ///< MW of load lost, all grids (lost_mw of grid_balance records)
};
inline constexpr int KPI_COUNT = 4;

/// The series of the dashboard, folded from records in order; no widget. Step series start at time 0 with their
/// initial value (availability 100, others 0); a change at time t appends (t, previous) then (t, new), and a second
/// change at the same time replaces the last point. Team scores are the `total` of each `leaderboard` record.
class KpiSeries {
public:
  void setServices(const QStringList& serviceIds); ///< the services availability is computed over; clears
  void clear();                                    ///< back to the initial values, services kept
  bool apply(const QJsonObject& record);           ///< true when a series changed
  const QList<QPointF>& points(Kpi kpi) const;
  double value(Kpi kpi) const; ///< current value
  QStringList teams() const;   ///< teams seen in leaderboards, sorted
  QList<QPointF> teamPoints(const QString& team) const;
  double lastTime() const; ///< time of the last record applied

private:
  void set(Kpi kpi, double time, double value);
  QStringList m_services;
  QMap<QString, double> m_serviceUp;               ///< 1 up, 0.5 degraded, 0 down
  QMap<QString, QMap<QString, int>> m_compromised; ///< node -> campaign -> 1
  QMap<QString, double> m_exfiltrated;             ///< campaign -> bytes
  QMap<QString, double> m_lostMw;                  ///< grid -> MW
  QMap<QString, QList<QPointF>> m_scores;          ///< team -> (time, total)
  std::array<QList<QPointF>, KPI_COUNT> m_points;
  double m_lastTime = 0;
};

/// Five charts (availability, compromised nodes, data exfiltrated, MW lost, team scores) fed live with records or
/// with a whole journal, and a vertical cursor line at a chosen time. Redraws are coalesced (at most ~10 per second).
class Dashboard : public QWidget {
  Q_OBJECT
public:
  explicit Dashboard(QWidget* parent = nullptr);
  ~Dashboard() override;

  void setScenario(const cyberex::Scenario& scenario); ///< its services; clears the series
  void applyRecord(const QJsonObject& record);         ///< live: one more record
  void applyRecord(const QByteArray& json);            ///< same, from JSON text
  void setRecords(const QList<QJsonObject>& records);  ///< after-action: the whole series at once
  void reset();                                        ///< empty series (scenario kept)
  void setTimeRange(double end);                       ///< x axes span [0, end] (default: last record time)

  void setCursorTime(double time); ///< vertical line on every chart; negative hides it
  double cursorTime() const;

  const KpiSeries& series() const;
  /// The points drawn for a KPI (its series plus the step extended to the x range's end); for tests and screenshots.
  QList<QPointF> drawnPoints(Kpi kpi) const;
  void flush(); ///< redraw now instead of at the next coalesced update

private:
  struct Impl;
  std::unique_ptr<Impl> m_d;
};

} // namespace cyberex::gui
