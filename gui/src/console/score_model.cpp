#include "console/score_model.hpp"

namespace cyberex::gui {

TeamScoreModel::TeamScoreModel(QObject* parent)
    : JsonTreeModel({{tr("Team / metric"), "team", "metric"},
                     {tr("Rank"), "rank", ""},
                     {tr("Total / score"), "total", "score", Format::number},
                     {tr("Expectations"), "expectations", "", Format::number},
                     {tr("Ratings"), "ratings", "", Format::number},
                     {tr("Metrics"), "metrics", "", Format::number},
                     {tr("Value"), "", "value"}},
                    parent)
{
}

int TeamScoreModel::teamRow(const QString& team) const
{
  return findParent([&](const QJsonObject& o) { return o.value("team").toString() == team; });
}

void TeamScoreModel::setScores(const QJsonArray& scores)
{
  for (const auto& s : scores) {
    const QJsonObject o = s.toObject();
    QJsonObject team{{"team", o.value("team")},
                     {"total", o.value("total")},
                     {"expectations", o.value("expectations")},
                     {"ratings", o.value("ratings")},
                     {"metrics", o.value("metrics")}};
    QList<QJsonObject> metrics;
    const QJsonObject details = o.value("metric_details").toObject();
    for (auto it = details.begin(); it != details.end(); ++it) {
      QJsonObject m = it.value().toObject();
      m.insert("metric", it.key());
      metrics.append(m);
    }
    int r = teamRow(team.value("team").toString());
    if (r < 0) {
      appendParent({team, {}});
      r = parentCount() - 1;
    } else {
      team.insert("rank", parentObject(r).value("rank"));
      if (team != parentObject(r))
        replaceParent(r, team);
    }
    setChildren(r, metrics);
  }
}

void TeamScoreModel::setLeaderboard(const QJsonObject& board)
{
  for (const auto& t : board.value("teams").toArray()) {
    const QJsonObject o = t.toObject();
    const int r = teamRow(o.value("team").toString());
    if (r < 0)
      appendParent({o, {}});
    else if (QJsonObject(parentObject(r)) != o)
      patchParent(r, o);
  }
}

} // namespace cyberex::gui
