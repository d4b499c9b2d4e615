/* Teams' scores: per team its rank, total and components, and under it every automatic metric's value and score. */
#pragma once

#include "console/json_tree_model.hpp"

#include <QJsonArray>

namespace cyberex::gui {

/// Parents: teams (team, rank, total, expectations, ratings, metrics); children: metrics (metric, score, value,
/// applicable). Filled from `scores` results and updated by leaderboard records.
class TeamScoreModel : public JsonTreeModel {
  Q_OBJECT
public:
  explicit TeamScoreModel(QObject* parent = nullptr);
  /// A `scores` result (or a snapshot's "scores"): one object per team with metric_details.
  void setScores(const QJsonArray& scores);
  /// A leaderboard (snapshot, reply or record details): ranks, totals and components.
  void setLeaderboard(const QJsonObject& board);
  int teamRow(const QString& team) const;
};

} // namespace cyberex::gui
