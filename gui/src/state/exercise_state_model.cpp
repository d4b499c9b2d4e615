#include "state/exercise_state_model.hpp"

#include "state/record_json.hpp"
#include "state/step_series_model.hpp"

#include "cyberex/exercise_state.hpp"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <string_view>

namespace cyberex::gui {

namespace {

/// The scenario of a model that has none yet: no nodes, no services.
const Scenario& noScenario()
{
  static const Scenario empty;
  return empty;
}

/// The subject of a record's JSON text ("node:gov-fs"), found without parsing it: records are written without white
/// space, by the server, the journal and toRecord alike.
std::string_view subjectOf(std::string_view json)
{
  constexpr std::string_view key = "\"subject\":\"";
  const auto at = json.find(key);
  if (at == std::string_view::npos)
    return {};
  const auto begin = at + key.size();
  const auto end = json.find('"', begin);
  return end == std::string_view::npos ? std::string_view() : json.substr(begin, end - begin);
}

} // namespace

ExerciseStateModel::ExerciseStateModel(QObject* parent)
    : QObject(parent), m_state(std::make_unique<ExerciseState>(noScenario()))
{
  for (auto& s : m_series)
    s = new StepSeriesModel(this);
  m_seriesTimer.setSingleShot(true);
  m_seriesTimer.setInterval(100);
  connect(&m_seriesTimer, &QTimer::timeout, this, &ExerciseStateModel::flushSeries);
}

ExerciseStateModel::~ExerciseStateModel() = default;

void ExerciseStateModel::setScenario(std::shared_ptr<const Scenario> scenario)
{
  // the new state first: the old one refers to the old scenario
  auto state = std::make_unique<ExerciseState>(scenario ? *scenario : noScenario());
  m_state = std::move(state);
  m_scenario = std::move(scenario);
  m_time = 0;
  m_nodeIndex.clear();
  m_serviceIndex.clear();
  m_nodeServices.clear();
  if (m_scenario) {
    m_nodeServices.resize(m_scenario->nodes.size());
    m_nodeIndex.reserve(static_cast<qsizetype>(m_scenario->nodes.size()));
    for (std::size_t i = 0; i < m_scenario->nodes.size(); ++i)
      m_nodeIndex.insert(QString::fromStdString(m_scenario->nodes[i].id), static_cast<int>(i));
    for (std::size_t i = 0; i < m_scenario->services.size(); ++i) {
      m_serviceIndex.insert(QString::fromStdString(m_scenario->services[i].id), static_cast<int>(i));
      const Index node = m_scenario->services[i].node_index;
      if (node >= 0 && static_cast<std::size_t>(node) < m_nodeServices.size())
        m_nodeServices[static_cast<std::size_t>(node)].push_back(static_cast<int>(i));
    }
    for (const Record& r : m_pending)
      m_state->apply(r);
    m_pending.clear();
    m_time = m_state->time();
  }
  for (StepSeriesModel* s : m_series)
    s->clear();
  for (StepSeriesModel* s : std::as_const(m_teamSeries))
    s->deleteLater();
  const bool hadTeams = !m_teamSeries.isEmpty();
  m_teamSeries.clear();
  if (hadTeams)
    emit scoredTeamsChanged();
  emit scenarioChanged();
  folded();
  flushSeries();
}

const Scenario* ExerciseStateModel::scenario() const
{
  return m_scenario.get();
}

const ExerciseState& ExerciseStateModel::state() const
{
  return *m_state;
}

bool ExerciseStateModel::applyRecord(const QJsonObject& record)
{
  std::optional<Record> r = toRecord(record);
  if (!r)
    return false;
  applyRecord(*r);
  return true;
}

bool ExerciseStateModel::applyRecord(const QByteArray& json)
{
  const QJsonDocument doc = QJsonDocument::fromJson(json);
  return doc.isObject() && applyRecord(doc.object());
}

void ExerciseStateModel::applyRecord(const Record& record)
{
  if (!m_scenario) {
    m_pending.push_back(record);
    return;
  }
  m_state->apply(record);
  m_time = std::max(m_time, m_state->time());
  // only a record about a node, or a service on it, changes a node's condition: the others leave the map as it is
  const std::string_view subject = subjectOf(record.json);
  int node = -2; // none
  if (subject.substr(0, 5) == "node:")
    node = nodeIndex(QString::fromUtf8(subject.data() + 5, static_cast<qsizetype>(subject.size() - 5)));
  else if (subject.substr(0, 8) == "service:")
    if (const int s =
            m_serviceIndex.value(QString::fromUtf8(subject.data() + 8, static_cast<qsizetype>(subject.size() - 8)), -1);
        s >= 0)
      node = m_scenario->services[static_cast<std::size_t>(s)].node_index;
  folded(node < 0 ? -2 : node);
  emit recordApplied(record.type);
  scheduleSeries();
}

void ExerciseStateModel::reset(ExerciseState state, double time)
{
  if (!m_scenario || &state.scenario() != m_scenario.get())
    qFatal("ExerciseStateModel::reset: a state of another scenario than the model's");
  *m_state = std::move(state);
  m_time = std::max(time, m_state->time());
  folded();
  flushSeries();
}

void ExerciseStateModel::clear()
{
  *m_state = ExerciseState(m_scenario ? *m_scenario : noScenario());
  m_pending.clear();
  m_time = 0;
  folded();
  flushSeries();
}

void ExerciseStateModel::setTime(double time)
{
  if (time <= m_time)
    return;
  m_time = time;
  scheduleSeries();
}

double ExerciseStateModel::time() const
{
  return m_time;
}

void ExerciseStateModel::folded(int node)
{
  if (node == -1 || (node >= 0 && m_dirtyNodes.size() > m_nodeServices.size() / 8))
    m_conditionsDirty = true; // many records since the last read: every node at once
  else if (node >= 0 && !m_conditionsDirty)
    m_dirtyNodes.push_back(node);
  m_alerts.clear();
  emit stateChanged();
}

void ExerciseStateModel::scheduleSeries()
{
  if (!m_seriesTimer.isActive())
    m_seriesTimer.start();
}

int ExerciseStateModel::nodeCount() const
{
  return m_scenario ? static_cast<int>(m_scenario->nodes.size()) : 0;
}

int ExerciseStateModel::nodeIndex(const QString& nodeId) const
{
  return m_nodeIndex.value(nodeId, -1);
}

NodeCondition ExerciseStateModel::conditionOf(std::size_t node) const
{
  const NodeState& s = m_state->node(static_cast<Index>(node));
  NodeCondition c;
  c.compromised = s.compromised();
  c.isolated = s.isolated;
  // an isolated node fails by design: the map shows it as isolated, not down
  c.down = s.offline || s.down || (s.failed && s.reason != "isolated");
  c.degraded = s.defaced || s.encrypted || (!s.mode.empty() && s.mode != "running");
  for (int service : m_nodeServices[node])
    c.degraded = c.degraded || m_state->service_status(service) != "up";
  return c;
}

const std::vector<NodeCondition>& ExerciseStateModel::nodeConditions() const
{
  if (m_conditionsDirty) {
    m_conditionsDirty = false;
    m_dirtyNodes.clear();
    const auto n = static_cast<std::size_t>(nodeCount());
    m_conditions.resize(n);
    for (std::size_t i = 0; i < n; ++i)
      m_conditions[i] = conditionOf(i);
  }
  for (int i : m_dirtyNodes)
    m_conditions[static_cast<std::size_t>(i)] = conditionOf(static_cast<std::size_t>(i));
  m_dirtyNodes.clear();
  return m_conditions;
}

NodeCondition ExerciseStateModel::nodeCondition(int n) const
{
  const auto& all = nodeConditions();
  return n >= 0 && static_cast<std::size_t>(n) < all.size() ? all[static_cast<std::size_t>(n)] : NodeCondition{};
}

const std::vector<char>& ExerciseStateModel::alertedNodes(const QString& team) const
{
  auto it = m_alerts.find(team);
  if (it != m_alerts.end())
    return *it;
  std::vector<char> mask;
  const QJsonDocument alerts =
      QJsonDocument::fromJson(QByteArray::fromStdString(m_state->alerts_json(team.toStdString())));
  for (const QJsonValue& a : alerts.array()) {
    const int i = nodeIndex(a.toObject().value(QLatin1String("node")).toString());
    if (i < 0)
      continue;
    if (mask.empty())
      mask.assign(static_cast<std::size_t>(nodeCount()), 0);
    mask[static_cast<std::size_t>(i)] = 1;
  }
  return *m_alerts.insert(team, std::move(mask));
}

QStringList ExerciseStateModel::compromisedNodes() const
{
  QStringList out;
  for (const std::string& id : m_state->compromised_nodes())
    out.append(QString::fromStdString(id));
  return out;
}

QString ExerciseStateModel::serviceStatus(const QString& id) const
{
  const int s = m_serviceIndex.value(id, -1);
  return s < 0 ? QString() : QString::fromStdString(m_state->service_status(static_cast<Index>(s)));
}

double ExerciseStateModel::kpiValue(Kpi kpi) const
{
  const KpiHistory h = m_state->series(m_time);
  const std::vector<std::pair<double, double>>* s = nullptr;
  switch (kpi) {
  case Kpi::availability:
    s = &h.availability_pct;
    break;
  case Kpi::compromised:
    s = &h.nodes_compromised;
    break;
  case Kpi::exfiltrated:
    s = &h.data_exfiltrated_mb;
    break;
  case Kpi::mwLost:
    s = &h.mw_lost;
    break;
  case Kpi::mwShed:
    s = &h.mw_shed;
    break;
  case Kpi::overloaded:
    s = &h.overloaded_branches;
    break;
  }
  return s && !s->empty() ? s->back().second : 0;
}

StepSeriesModel* ExerciseStateModel::series(Kpi kpi) const
{
  return m_series[static_cast<std::size_t>(kpi)];
}

StepSeriesModel* ExerciseStateModel::teamScores(const QString& team) const
{
  return m_teamSeries.value(team, nullptr);
}

QStringList ExerciseStateModel::scoredTeams() const
{
  QStringList teams = m_teamSeries.keys();
  teams.sort();
  return teams;
}

void ExerciseStateModel::flushSeries()
{
  m_seriesTimer.stop();
  if (!m_scenario)
    return;
  const KpiHistory h = m_state->series(m_time);
  m_series[static_cast<std::size_t>(Kpi::availability)]->setSteps(h.availability_pct, m_time);
  m_series[static_cast<std::size_t>(Kpi::compromised)]->setSteps(h.nodes_compromised, m_time);
  m_series[static_cast<std::size_t>(Kpi::exfiltrated)]->setSteps(h.data_exfiltrated_mb, m_time);
  m_series[static_cast<std::size_t>(Kpi::mwLost)]->setSteps(h.mw_lost, m_time);
  m_series[static_cast<std::size_t>(Kpi::mwShed)]->setSteps(h.mw_shed, m_time);
  m_series[static_cast<std::size_t>(Kpi::overloaded)]->setSteps(h.overloaded_branches, m_time);
  bool newTeam = false;
  QStringList seen;
  for (const auto& [team, points] : h.scores) {
    const QString id = QString::fromStdString(team);
    seen.append(id);
    StepSeriesModel*& s = m_teamSeries[id];
    if (!s) {
      s = new StepSeriesModel(this);
      newTeam = true;
    }
    s->setSteps(points, m_time);
  }
  for (auto it = m_teamSeries.begin(); it != m_teamSeries.end(); ++it)
    if (!seen.contains(it.key()))
      it.value()->clear(); // a seek back to before the team's first leaderboard
  if (newTeam)
    emit scoredTeamsChanged();
  emit seriesChanged();
}

} // namespace cyberex::gui
