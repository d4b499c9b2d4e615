#include "console/scenario_catalog.hpp"

#include "cyberex/scenario.hpp"

#include <QDateTime>

#include <algorithm>

namespace cyberex::gui {

namespace {
QString q(const std::string& s)
{
  return QString::fromStdString(s);
}
} // namespace

ScenarioCatalog ScenarioCatalog::fromScenario(std::shared_ptr<const Scenario> scenario)
{
  const Scenario& sc = *scenario;
  ScenarioCatalog c;
  c.loaded = true;
  c.scenario = scenario;
  c.file = q(sc.file);
  c.title = q(sc.exercise.title);
  c.start = q(sc.exercise.start);
  c.duration = sc.exercise.duration;
  for (const auto& m : sc.exercise.moves)
    c.moves.append({q(m.id), q(m.title), m.offset, q(m.situation_time)});
  for (const auto& n : sc.nodes)
    c.nodes.append(q(n.id));
  for (const auto& t : sc.teams) {
    Team team;
    team.id = q(t.id);
    team.name = q(t.name);
    team.role = q(to_string(t.role));
    for (Index n : t.asset_nodes) {
      const Node& node = sc.nodes[n];
      team.nodes.append(q(node.id));
      QStringList vulns;
      for (const auto& v : node.vulnerabilities)
        vulns.append(q(v.id));
      if (!vulns.isEmpty())
        team.vulnerabilities.insert(q(node.id), vulns);
    }
    for (const auto& s : sc.services)
      if (std::binary_search(t.asset_nodes.begin(), t.asset_nodes.end(), s.node_index))
        team.services.append(q(s.id));
    c.teams.append(team);
  }
  for (const auto& cap : sc.capabilities)
    for (const auto& ct : cap.critical_tasks)
      c.criticalTasks.insert(q(ct.id), q(ct.description));
  for (const auto& o : sc.objectives) {
    Objective obj{q(o.id), q(o.title), {}, {}};
    for (const auto& ct : o.critical_tasks)
      obj.criticalTasks.append(q(ct));
    for (const auto& t : o.teams)
      obj.teams.append(q(t));
    c.objectives.append(obj);
  }
  for (const auto& a : sc.actions) {
    // share, report and communicate are sent as message and sitrep, not as actions
    if (a.type == ActionType::share || a.type == ActionType::report || a.type == ActionType::communicate)
      continue;
    c.actionTypes.append(q(to_string(a.type)));
  }
  for (const auto& cat : sc.scoring.severity) {
    std::vector<std::pair<double, std::string>> levels;
    for (const auto& [name, score] : cat.levels)
      levels.emplace_back(score, name);
    std::stable_sort(levels.begin(), levels.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    SeverityCategory s{q(cat.id), {}};
    for (const auto& l : levels)
      s.levels.append(q(l.second));
    c.severity.append(s);
  }
  for (const auto& camp : sc.campaigns)
    c.incidents.append(q(camp.id));
  for (const auto& i : sc.indicators)
    c.indicators.insert(q(i.id), q(i.value));
  return c;
}

ScenarioCatalog ScenarioCatalog::load(const QString& file, QString* error)
{
  LoadResult r = load_scenario(file.toStdString());
  if (!r.ok()) {
    if (error) {
      QStringList lines;
      for (const auto& d : r.diagnostics.items())
        if (d.severity == Diagnostic::Severity::error)
          lines.append(q(d.format()));
      *error = lines.isEmpty() ? QObject::tr("%1: the scenario could not be loaded").arg(file) : lines.join('\n');
    }
    return {};
  }
  return fromScenario(std::make_shared<const Scenario>(std::move(*r.scenario)));
}

const ScenarioCatalog::Team* ScenarioCatalog::team(const QString& id) const
{
  for (const auto& t : teams)
    if (t.id == id)
      return &t;
  return nullptr;
}

QStringList ScenarioCatalog::playerTeams() const
{
  QStringList out;
  for (const auto& t : teams)
    if (t.role == "player")
      out.append(t.id);
  return out;
}

const ScenarioCatalog::Objective* ScenarioCatalog::objective(const QString& id) const
{
  for (const auto& o : objectives)
    if (o.id == id)
      return &o;
  return nullptr;
}

QList<ScenarioCatalog::Objective> ScenarioCatalog::objectivesFor(const QString& team) const
{
  QList<Objective> out;
  for (const auto& o : objectives)
    if (o.teams.isEmpty() || o.teams.contains(team))
      out.append(o);
  return out;
}

QString ScenarioCatalog::situationTime(double t, const QString& fallbackStart) const
{
  QString base = loaded ? start : fallbackStart;
  double offset = 0;
  for (const auto& m : moves)
    if (m.offset <= t && !m.situationTime.isEmpty()) {
      base = m.situationTime;
      offset = m.offset;
    }
  QDateTime dt = QDateTime::fromString(base, Qt::ISODate);
  dt.setTimeSpec(Qt::UTC); // wall-clock arithmetic on the story's local time, no daylight-saving jumps
  if (!dt.isValid())
    return {};
  return dt.addMSecs(static_cast<qint64>((t - offset) * 1000.0)).toString("yyyy-MM-dd HH:mm:ss");
}

} // namespace cyberex::gui
