/* Flat models of what teams receive and do: inbox, alerts, situation reports, expectations, leaderboard. */
#pragma once

#include "console/json_table_model.hpp"

#include <QJsonArray>
#include <QSet>

#include <functional>

namespace cyberex::gui {

/// Inbox items of one or more teams (injects and messages), with read tracking. Rows: team, item, time, kind, from,
/// channel, title, content, indicators, read, read_at; unread rows are bold.
class InboxModel : public JsonTableModel {
  Q_OBJECT
public:
  explicit InboxModel(QObject* parent = nullptr);
  /// The player teams whose inboxes this model keeps (records for others are ignored).
  void setTeams(const QStringList& teams) { m_teams = teams; }
  /// Injects with this predicate true are hidden (control only) and reach no inbox.
  void setHiddenPredicate(std::function<bool(const QString&)> hidden) { m_hidden = std::move(hidden); }
  /// Replace TEAM's items by ITEMS (a snapshot's or an `inbox` reply's array).
  void setInbox(const QString& team, const QJsonArray& items);
  /// Apply an `inject`, `message` or `read` record; other types are ignored.
  void applyRecord(const QJsonObject& record);
  int row(const QString& team, const QString& item) const;
  int unreadCount(const QString& team) const;

protected:
  QVariant extraData(const QJsonObject& row, int column, int role) const override;

private:
  void add(const QString& team, const QJsonObject& item);
  QStringList m_teams;
  std::function<bool(const QString&)> m_hidden;
};

/// Alerts delivered to teams: team, time, sensor, kind, technique, node, indicators.
class AlertModel : public JsonTableModel {
  Q_OBJECT
public:
  explicit AlertModel(QObject* parent = nullptr);
  void setAlerts(const QString& team, const QJsonArray& alerts);
  /// Apply an `alert` record (subject "team:ID").
  void applyRecord(const QJsonObject& record);
};

/// Situation reports: time, team, status, text.
class SitrepModel : public JsonTableModel {
  Q_OBJECT
public:
  explicit SitrepModel(QObject* parent = nullptr);
  void setSitreps(const QString& team, const QJsonArray& sitreps);
  void applyRecord(const QJsonObject& record);
};

/// Activated expectations: expectation, team, inject, status, activated, deadline, decided, by, objective,
/// critical task, points, description. Keyed by (expectation, team).
class ExpectationModel : public JsonTableModel {
  Q_OBJECT
public:
  explicit ExpectationModel(QObject* parent = nullptr);
  void setExpectations(const QJsonArray& expectations);
  /// Apply an `expectation_active`, `expectation_met` or `expectation_missed` record.
  void applyRecord(const QJsonObject& record);
  void upsert(const QJsonObject& expectation);
  int row(const QString& expectation, const QString& team) const;

protected:
  QVariant extraData(const QJsonObject& row, int column, int role) const override;
};

/// The leaderboard: rank, team, total, expectations, ratings, metrics (components empty while absent).
class LeaderboardModel : public JsonTableModel {
  Q_OBJECT
public:
  explicit LeaderboardModel(QObject* parent = nullptr);
  /// From a snapshot's `leaderboard`, a `leaderboard` reply or a `leaderboard` record's details.
  void setLeaderboard(const QJsonObject& board);
  double time() const { return m_time; }

private:
  double m_time = 0;
};

} // namespace cyberex::gui
