/* The dependency view (issue 19): the layout of a hand-written chain (power plants -> water pumps -> hospital ->
 * emergency calls, tests/gui/data/dependency-chain.json) by sector and layer, cycles broken and said; live state,
 * backups and the cascade from hand-written records; then Cyber Atlantic 2011 end to end: `cyberex play` plays the
 * shipped responses to a journal whose records are handed, in order, to a controller's ConsoleState (as a drill
 * server would), and the view's colours, cascade and backups are checked against the core's ExerciseState folded from
 * the same records and against times read by hand from the scenario and the journal. With CYBEREX_SHOT_DIR=DIR it
 * saves docs/gui-dependencies.png and docs/gui-dependencies-1280.png there. */
#include "console/console_state.hpp"
#include "console/controller_window.hpp"
#include "console_support.hpp"
#include "cyberex/exercise_state.hpp"
#include "cyberex/scenario.hpp"
#include "deps/dependency_view.hpp"
#include "map/map_view.hpp"
#include "state/exercise_state_model.hpp"
#include "state/record_json.hpp"

#include <QApplication>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <set>

using namespace cyberex;
using namespace cyberex::gui;

namespace {
constexpr const char* chain_file = CYBEREX_SOURCE_DIR "/tests/gui/data/dependency-chain.json";
constexpr const char* scenario_file = CYBEREX_SOURCE_DIR "/scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json";
constexpr const char* responses_file = CYBEREX_SOURCE_DIR "/scenarios/cyber-atlantic-2011/responses.json";

/// A world event at TIME as the server sends it; seq grows with each one.
QJsonObject rec(const char* type, const char* subject, double time, QJsonObject details = {})
{
  static int seq = 0;
  ++seq;
  return QJsonObject{{"seq", seq},
                     {"time", time},
                     {"kind", "event"},
                     {"type", QString::fromLatin1(type)},
                     {"subject", QString::fromLatin1(subject)},
                     {"details", details}};
}

NodeCondition condition(bool down, bool degraded)
{
  NodeCondition c;
  c.down = down;
  c.degraded = degraded;
  return c;
}

QJsonObject parse(const std::string& json)
{
  return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}
} // namespace

class DepsTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void layersAChainBySector();
  void breaksCyclesAndSaysSo();
  void showsAScenarioWithoutRecords();
  void backupsDrainFromTheLossRecord();
  void cascadeFollowsLostDependencies();
  void coloursAreTheStates();
  void cascadeOfThePowerAttack();
  void backupTimeLeftInTheDrill();
  void clickSelectsTheNodeOnTheMap();
  void screenshots();
  void cascadeEndsWhenThePowerIsBack();
  void cleanupTestCase();

private:
  void playTo(double t);
  double recordTime(const QString& type, const QString& subject) const; ///< the first such record's time, -1 if none
  DependencyView* view() const;

  std::shared_ptr<const Scenario> m_chain;
  QTemporaryDir m_dir;
  QList<QJsonObject> m_records;
  int m_next = 0;
  ScenarioCatalog m_catalog;
  std::unique_ptr<DrillConnection> m_connection;
  std::unique_ptr<ConsoleState> m_state;
  std::unique_ptr<ControllerWindow> m_window;
  std::unique_ptr<ExerciseState> m_core; ///< the core's fold of the same records, for the expected values
};

void DepsTest::initTestCase()
{
  auto loaded = load_scenario(chain_file);
  QVERIFY2(loaded.ok(), loaded.diagnostics.items().empty() ? "" : loaded.diagnostics.items().front().format().c_str());
  m_chain = std::make_shared<const Scenario>(std::move(*loaded.scenario));

  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("cyberex-test");
  QCoreApplication::setApplicationName("gui-deps");
  QSettings().clear();
  QVERIFY(m_dir.isValid());
  const QString journal = m_dir.filePath("ca.jsonl");
  QString playError;
  m_records = test::playJournal(scenario_file, responses_file, journal, &playError);
  QVERIFY2(m_records.size() > 1000, qPrintable(playError));

  QString error;
  m_catalog = ScenarioCatalog::load(scenario_file, &error);
  QVERIFY2(m_catalog.loaded, qPrintable(error));
  m_core = std::make_unique<ExerciseState>(*m_catalog.scenario);
  m_connection = std::make_unique<DrillConnection>();
  m_state = std::make_unique<ConsoleState>(m_connection.get());
  m_state->setCatalog(m_catalog);
  m_state->applySnapshot(parse(m_core->to_json(0, Principal{Role::controller, ""})));
  m_window = std::make_unique<ControllerWindow>(m_state.get());
  m_window->resize(1600, 1000);
  m_window->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
  QVERIFY(view());
  QCOMPARE(view()->model(), m_state->exercise());
}

DependencyView* DepsTest::view() const
{
  return m_window->findChild<DependencyView*>("dependencyView");
}

void DepsTest::playTo(double t)
{
  while (m_next < m_records.size() && m_records.at(m_next).value("time").toDouble() <= t) {
    const QJsonObject& r = m_records.at(m_next++);
    m_state->applyRecord(r);
    if (auto record = toRecord(r))
      m_core->apply(*record);
  }
  const double seq = m_records.at(std::max(0, m_next - 1)).value("seq").toDouble();
  m_state->applyRecord({{"seq", seq},
                        {"time", t},
                        {"kind", "exercise"},
                        {"type", "clock"},
                        {"subject", "exercise:cyber-atlantic-2011"},
                        {"details", QJsonObject{{"state", "paused"}, {"time", t}, {"speed", 1}}}});
  QCOMPARE(m_state->exercise()->time(), t);
}

double DepsTest::recordTime(const QString& type, const QString& subject) const
{
  for (const QJsonObject& r : m_records)
    if (r.value("type").toString() == type && r.value("subject").toString() == subject)
      return r.value("time").toDouble();
  return -1;
}

void DepsTest::layersAChainBySector()
{
  const DependencyLayout layout = computeDependencyLayout(*m_chain);
  // items in order of first mention: each dependency names its dependent, then what it needs
  QStringList refs;
  for (const auto& item : layout.items)
    refs << item.ref;
  QCOMPARE(refs, QStringList({"node:mast", "node:plant-2", "service:water-a", "node:plant-1", "service:water-b",
                              "service:hospital-care", "service:emergency-calls"}));
  // longest paths: the plants need nothing; the chain plant-1 -> water-a -> hospital-care -> emergency-calls
  QCOMPARE(layout.layers, 4);
  const std::map<QString, int> layers{
      {"node:plant-1", 0},           {"node:plant-2", 0},    {"node:mast", 1},
      {"service:water-a", 1},        {"service:water-b", 1}, {"service:hospital-care", 2},
      {"service:emergency-calls", 3}};
  for (const auto& [ref, layer] : layers)
    QCOMPARE(layout.items[static_cast<std::size_t>(layout.indexOf(ref))].layer, layer);
  // sectors (the services' own, the nodes' sites' organisations'): energy (lowest layer 0), water (1, mean 1),
  // telecom (1, mean 2: the mast and the call centre), health (2)
  QCOMPARE(layout.bands, QStringList({"energy", "water", "telecom", "health"}));
  QVERIFY(layout.brokenCycles.isEmpty());
  // First mention puts plant-2 above plant-1, so water-a (on plant-1) crosses water-b (on plant-2) and mast (on
  // plant-2, in the telecom band below) crosses water-a: 2 crossings. The barycentre sweeps reach plant-1 above
  // plant-2 with water-a above water-b: none.
  QCOMPARE(layout.cell("energy", 0), QStringList({"node:plant-1", "node:plant-2"}));
  QCOMPARE(layout.cell("water", 1), QStringList({"service:water-a", "service:water-b"}));
  QCOMPARE(layout.cell("telecom", 1), QStringList({"node:mast"}));
  QCOMPARE(layout.cell("health", 2), QStringList({"service:hospital-care"}));
  QCOMPARE(layout.cell("telecom", 3), QStringList({"service:emergency-calls"}));
  QCOMPARE(layout.cell("energy", 1), QStringList());
  // services: their node; nodes: themselves
  QCOMPARE(layout.items[static_cast<std::size_t>(layout.indexOf("service:hospital-care"))].node, QString("his"));
  QCOMPARE(layout.items[static_cast<std::size_t>(layout.indexOf("node:mast"))].node, QString("mast"));
  QCOMPARE(layout.items[static_cast<std::size_t>(layout.indexOf("node:mast"))].name, QString("Mobile mast"));
  // deterministic
  const DependencyLayout again = computeDependencyLayout(*m_chain);
  for (std::size_t i = 0; i < layout.items.size(); ++i) {
    QCOMPARE(again.items[i].ref, layout.items[i].ref);
    QCOMPARE(again.items[i].slot, layout.items[i].slot);
  }
}

void DepsTest::breaksCyclesAndSaysSo()
{
  // plant-1 needing the emergency calls closes the cycle plant-1 -> water-a -> hospital-care -> emergency-calls.
  Scenario cyclic = *m_chain;
  Dependency back;
  back.id = "plant-needs-calls";
  back.dependent = "node:plant-1";
  back.on = "service:emergency-calls";
  cyclic.dependencies.push_back(back);
  const DependencyLayout layout = computeDependencyLayout(cyclic);
  // The depth-first search goes by item: mast (no edges out), plant-2 (to mast, water-b), then water-a -> hospital-care
  // -> emergency-calls -> plant-1 -> water-a, still open: plant-1's edge to water-a (water-a-power) is the back edge.
  QCOMPARE(layout.brokenCycles, QStringList({"water-a-power"}));
  QVERIFY(layout.edges[1].cycle);
  QVERIFY(!layout.edges[5].cycle);
  const std::map<QString, int> layers{
      {"service:water-a", 0}, {"service:hospital-care", 1}, {"service:emergency-calls", 2},
      {"node:plant-1", 3},    {"node:plant-2", 0},          {"node:mast", 1}};
  for (const auto& [ref, layer] : layers)
    QCOMPARE(layout.items[static_cast<std::size_t>(layout.indexOf(ref))].layer, layer);

  ExerciseStateModel model;
  model.setScenario(std::make_shared<const Scenario>(cyclic));
  DependencyView view;
  view.setModel(&model);
  QVERIFY(view.toolTipFor("service:water-a").contains("[left out of the layering: cycle]"));
}

void DepsTest::showsAScenarioWithoutRecords()
{
  // the planning mode's case: a scenario, no record
  ExerciseStateModel model;
  DependencyView view;
  view.setModel(&model);
  QVERIFY(view.graph().items.empty());
  model.setScenario(m_chain);
  QCOMPARE(view.graph().items.size(), std::size_t(7));
  const QColor ok = MapView::colorFor(NodeCondition{});
  for (const auto& item : view.graph().items) {
    QCOMPARE(view.itemState(item.ref), QString(item.ref.startsWith("service:") ? "up" : "ok"));
    QCOMPARE(view.itemColor(item.ref), ok);
  }
  QVERIFY(view.cascade().isEmpty());
  QCOMPARE(view.backupLeft("mast-power"), std::optional<double>());
  QCOMPARE(view.backupLeft("water-a-power"), std::optional<double>());
  QCOMPARE(view.toolTipFor("node:mast"), QString("Mobile mast (node:mast)\nSector: telecom\nState: ok\n"
                                                 "Needs node:plant-2 (backup: battery, 1h00m)"));
  view.resize(900, 600);
  QVERIFY(!view.itemRect("service:hospital-care").isEmpty());
  QVERIFY(!view.grab().isNull()); // paints without records
}

void DepsTest::backupsDrainFromTheLossRecord()
{
  ExerciseStateModel model;
  model.setScenario(m_chain);
  DependencyView view;
  view.setModel(&model);
  // plant-2 fails at 100 s: the mast's battery (1h) carries it from then
  model.applyRecord(rec("node_status", "node:plant-2", 100, {{"status", "failed"}, {"reason", "tripped"}}));
  model.applyRecord(rec("dependency_lost", "dependency:mast-power", 100,
                        {{"dependent", "node:mast"}, {"on", "node:plant-2"}, {"backup", 3600}}));
  model.setTime(1000);
  QCOMPARE(view.backupLeft("mast-power"), std::optional<double>(3600 - (1000 - 100)));
  QVERIFY(view.toolTipFor("node:mast").endsWith("(backup: battery, 45m left)"));
  // refuelled at 1200 s for 30 more minutes: it runs dry at 100 + 3600 + 1800
  model.applyRecord(
      rec("backup_refuelled", "dependency:mast-power", 1200, {{"team", "csirt"}, {"extends", 1800}, {"until", 5500}}));
  model.setTime(2000);
  QCOMPARE(view.backupLeft("mast-power"), std::optional<double>(5500 - 2000));
  // exhausted: empty; restored: nothing to show
  model.applyRecord(rec("backup_exhausted", "dependency:mast-power", 5500, {{"kind", "battery"}}));
  QCOMPARE(view.backupLeft("mast-power"), std::optional<double>(0));
  QVERIFY(view.toolTipFor("node:mast").endsWith("(backup: battery, exhausted)"));
  model.applyRecord(
      rec("dependency_restored", "dependency:mast-power", 6000, {{"dependent", "node:mast"}, {"on", "node:plant-2"}}));
  QCOMPARE(view.backupLeft("mast-power"), std::optional<double>());
  // no backup: never a time left
  model.applyRecord(rec("dependency_lost", "dependency:water-a-power", 6100,
                        {{"dependent", "service:water-a"}, {"on", "node:plant-1"}, {"backup", 0}}));
  QCOMPARE(view.backupLeft("water-a-power"), std::optional<double>());
}

void DepsTest::cascadeFollowsLostDependencies()
{
  ExerciseStateModel model;
  model.setScenario(m_chain);
  DependencyView view;
  view.setModel(&model);
  // plant-1 fails; water-a has no backup and goes down; the hospital runs on its tank
  model.applyRecord(rec("node_status", "node:plant-1", 10, {{"status", "failed"}, {"reason", "tripped"}}));
  QVERIFY(view.cascade().isEmpty()); // nothing depends on it yet as far as the records say
  model.applyRecord(rec("dependency_lost", "dependency:water-a-power", 10,
                        {{"dependent", "service:water-a"}, {"on", "node:plant-1"}, {"backup", 0}}));
  model.applyRecord(rec("service_status", "service:water-a", 10, {{"status", "down"}}));
  model.applyRecord(rec("dependency_lost", "dependency:hospital-water", 10,
                        {{"dependent", "service:hospital-care"}, {"on", "service:water-a"}, {"backup", 43200}}));
  QCOMPARE(view.itemState("node:plant-1"), QString("down"));
  QCOMPARE(view.itemColor("node:plant-1"), MapView::colorFor(condition(true, false)));
  QCOMPARE(view.itemState("service:water-a"), QString("down"));
  QCOMPARE(view.itemState("service:hospital-care"), QString("up"));
  QCOMPARE(view.cascade(), QStringList({"service:water-a", "node:plant-1"}));
  QCOMPARE(view.cascadeDependencies(), QStringList({"water-a-power"}));
  // degraded for another reason while its tank carries it: not because of the water, so not on the path
  model.applyRecord(rec("service_status", "service:hospital-care", 20, {{"status", "degraded"}}));
  QCOMPARE(view.itemState("service:hospital-care"), QString("degraded"));
  QCOMPARE(view.cascade(), QStringList({"service:water-a", "node:plant-1"}));
  // the tank runs dry: the hospital, then the emergency calls go down
  model.applyRecord(rec("backup_exhausted", "dependency:hospital-water", 43210, {{"kind", "tank"}}));
  model.applyRecord(rec("service_status", "service:hospital-care", 43210, {{"status", "down"}}));
  model.applyRecord(rec("dependency_lost", "dependency:calls-hospital", 43210,
                        {{"dependent", "service:emergency-calls"}, {"on", "service:hospital-care"}, {"backup", 0}}));
  model.applyRecord(rec("service_status", "service:emergency-calls", 43210, {{"status", "degraded"}}));
  QCOMPARE(view.itemColor("service:emergency-calls"), MapView::colorFor(condition(false, true)));
  QCOMPARE(view.cascade(),
           QStringList({"service:water-a", "node:plant-1", "service:hospital-care", "service:emergency-calls"}));
  QCOMPARE(view.cascadeDependencies(), QStringList({"water-a-power", "hospital-water", "calls-hospital"}));
  QVERIFY(!view.cascade().contains("node:mast")); // plant-2 never failed
  // plant-1 back: the water comes back, the cascade is gone
  model.applyRecord(rec("node_status", "node:plant-1", 50000, {{"status", "ok"}}));
  model.applyRecord(rec("dependency_restored", "dependency:water-a-power", 50000,
                        {{"dependent", "service:water-a"}, {"on", "node:plant-1"}}));
  model.applyRecord(rec("service_status", "service:water-a", 50000, {{"status", "up"}}));
  model.applyRecord(rec("dependency_restored", "dependency:hospital-water", 50000,
                        {{"dependent", "service:hospital-care"}, {"on", "service:water-a"}}));
  model.applyRecord(rec("service_status", "service:hospital-care", 50000, {{"status", "up"}}));
  model.applyRecord(rec("dependency_restored", "dependency:calls-hospital", 50000,
                        {{"dependent", "service:emergency-calls"}, {"on", "service:hospital-care"}}));
  model.applyRecord(rec("service_status", "service:emergency-calls", 50000, {{"status", "up"}}));
  QVERIFY(view.cascade().isEmpty());
}

void DepsTest::coloursAreTheStates()
{
  const Scenario& sc = *m_catalog.scenario;
  DependencyView* v = view();
  // energy.json: 18 dependencies naming 22 services, nodes and grids
  QCOMPARE(v->graph().items.size(), std::size_t(22));
  QCOMPARE(v->graph().edges.size(), std::size_t(18));
  // 1 h: nothing yet; 16000 s: the Nordhafen units tripped at 15300 s, Industriehafen (420 MW) shed; 20000 s:
  // substations Nordkreis (16500 s) and Rheinstadt West (16800 s) tripped by the adversary; 23000 s: the mobile base
  // stations' batteries ran dry at 22200 s (the journal)
  for (double t : {3600.0, 16000.0, 20000.0, 23000.0}) {
    playTo(t);
    for (const auto& item : v->graph().items) {
      const std::string id = item.ref.section(':', 1).toStdString();
      QString expected;
      if (item.ref.startsWith("service:")) {
        expected = QString::fromStdString(m_core->service_status(sc.service_by_id.at(id)));
      } else if (item.ref.startsWith("node:")) {
        const NodeState& n = m_core->node(sc.node_by_id.at(id));
        const NodeCondition c = m_state->exercise()->nodeCondition(m_state->exercise()->nodeIndex(item.node));
        // the model's condition is the core's node state (an isolated node is shown isolated, not down)
        QCOMPARE(c.down, n.offline || n.down || (n.failed && n.reason != "isolated"));
        expected = c.down          ? "down"
                   : c.isolated    ? "isolated"
                   : c.compromised ? "compromised"
                   : c.degraded    ? "degraded"
                                   : "ok";
      } else {
        // grid-rhine: the load of its eight substations is 1750 MW (energy.json)
        const double lost = m_core->lost_mw(id);
        expected = lost == 0 ? "ok" : lost >= 1750 ? "down" : "degraded";
      }
      QCOMPARE(v->itemState(item.ref), expected);
      const QString as = expected == "up" ? "ok" : expected;
      NodeCondition c;
      c.down = as == "down";
      c.isolated = as == "isolated";
      c.compromised = as == "compromised";
      c.degraded = as == "degraded";
      QCOMPARE(v->itemColor(item.ref), MapView::colorFor(c));
    }
    if (t == 3600.0)
      QCOMPARE(v->itemState("grid:grid-rhine"), QString("ok"));
    if (t == 16000.0)
      QCOMPARE(v->itemState("grid:grid-rhine"), QString("degraded")); // 420 MW of 1750 lost
    if (t == 20000.0) {
      QCOMPARE(v->itemState("node:sub-north"), QString("down"));
      QCOMPARE(v->itemState("node:sub-city-west"), QString("down"));
      QVERIFY(v->itemState("node:tel-mobile-west") != "down"); // on its batteries
    }
  }
  QCOMPARE(v->itemState("node:tel-mobile-west"), QString("down"));
  QCOMPARE(v->itemState("service:water-north"), QString("up")); // its generator still runs
}

void DepsTest::cascadeOfThePowerAttack()
{
  // At 23000 s: Rheinstadt West (tripped at 16800 s) is down, and the mobile base stations' 90 minutes of batteries
  // (mobile-west-power) ran dry at 22200 s: they are down through it. Nordkreis (down since 16500 s) still carries
  // pumping station North on its 2 h generator and exchange North on its 8 h one, exchange West runs on its 3 h
  // batteries: backups, not the cascade. rtu-north and rtu-city-west are down for a restore, not through a dependency.
  DependencyView* v = view();
  QCOMPARE(v->cascade(), QStringList({"node:sub-city-west", "node:tel-mobile-west"}));
  QCOMPARE(v->cascadeDependencies(), QStringList({"mobile-west-power"}));
  // the same from the core, independently: the failed providers' dependents down or degraded through a dependency
  // lost without a backup or whose backup ran dry, transitively
  const Scenario& sc = *m_catalog.scenario;
  auto down = [&](const std::string& ref) {
    const std::string id = ref.substr(ref.find(':') + 1);
    if (ref.rfind("service:", 0) == 0)
      return m_core->service_status(sc.service_by_id.at(id)) != "up";
    if (ref.rfind("node:", 0) == 0) {
      const NodeCondition c =
          m_state->exercise()->nodeCondition(m_state->exercise()->nodeIndex(QString::fromStdString(id)));
      return c.down || c.degraded || c.isolated;
    }
    return m_core->lost_mw(id) > 0;
  };
  std::set<std::string> expected;
  for (const Dependency& d : sc.dependencies) {
    const std::string status = m_core->dependency_status(d.id);
    if ((status == "exhausted" || (status == "lost" && !d.backup)) && down(d.on) && down(d.dependent)) {
      expected.insert(d.on);
      expected.insert(d.dependent);
    }
  }
  std::set<std::string> drawn;
  for (const QString& ref : v->cascade())
    drawn.insert(ref.toStdString());
  QCOMPARE(drawn, expected);
}

void DepsTest::backupTimeLeftInTheDrill()
{
  DependencyView* v = view();
  const double now = m_state->exercise()->time();
  QCOMPARE(now, 23000.0);
  // energy.json: water-north-power holds 2 h, exch-west-power 3 h, exch-north-power 8 h; the journal: lost at
  // 16500 s (Nordkreis) and 16800 s (Rheinstadt West)
  QCOMPARE(recordTime("dependency_lost", "dependency:water-north-power"), 16500.0);
  QCOMPARE(recordTime("dependency_lost", "dependency:exch-west-power"), 16800.0);
  QCOMPARE(v->backupLeft("water-north-power"), std::optional<double>(2 * 3600 - (23000 - 16500))); // 700 s
  QCOMPARE(v->backupLeft("exch-west-power"), std::optional<double>(3 * 3600 - (23000 - 16800)));   // 4600 s
  QCOMPARE(v->backupLeft("exch-north-power"), std::optional<double>(8 * 3600 - (23000 - 16500)));  // 22300 s
  QCOMPARE(v->backupLeft("mobile-west-power"), std::optional<double>(0));                          // ran dry
  QCOMPARE(v->backupLeft("ops-power"), std::optional<double>()); // lost at 15300 s, restored at 16500 s
  QCOMPARE(v->backupLeft("hospital-power"), std::optional<double>());
  QVERIFY(v->toolTipFor("service:water-north").contains("Needs node:sub-north (backup: generator, 11m left)"));
  QVERIFY(v->toolTipFor("node:tel-exch-west").contains("Needs node:sub-city-west (backup: battery, 1h16m left)"));
}

void DepsTest::clickSelectsTheNodeOnTheMap()
{
  DependencyView* v = view();
  auto* map = qobject_cast<MapView*>(m_window->mapWidget());
  QVERIFY(map);
  m_window->tabs()->setCurrentWidget(m_window->findChild<QSplitter*>("dependencyTab"));
  QTest::qWait(50);
  QSignalSpy items(v, &DependencyView::itemSelected);
  QSignalSpy nodes(v, &DependencyView::nodeSelected);
  auto click = [&](const QString& ref) {
    const QPoint at = v->itemRect(ref).center().toPoint();
    QVERIFY2(v->rect().contains(at), qPrintable(ref));
    QTest::mouseClick(v, Qt::LeftButton, {}, at);
  };
  click("node:tel-mobile-west");
  QCOMPARE(items.count(), 1);
  QCOMPARE(items.last().at(0).toString(), QString("node:tel-mobile-west"));
  QCOMPARE(nodes.count(), 1);
  QCOMPARE(nodes.last().at(0).toString(), QString("tel-mobile-west"));
  QCOMPARE(map->selectedNode(), QString("tel-mobile-west"));
  QCOMPARE(v->selectedItem(), QString("node:tel-mobile-west"));
  auto* history = m_window->findChild<QTableView*>("dependencyHistory");
  QVERIFY(history);
  QVERIFY(history->model()->rowCount() > 0); // its node_status record at 22200 s
  for (int r = 0; r < history->model()->rowCount(); ++r) {
    QString row;
    for (int c = 0; c < history->model()->columnCount(); ++c)
      row += history->model()->index(r, c).data().toString() + " ";
    QVERIFY2(row.contains("tel-mobile-west"), qPrintable(row));
  }
  // a service: its host node
  click("service:water-city");
  QCOMPARE(items.last().at(0).toString(), QString("service:water-city"));
  QCOMPARE(nodes.last().at(0).toString(), QString("pump-city"));
  QCOMPARE(map->selectedNode(), QString("pump-city"));
  // a grid has no node: the map keeps its selection
  click("grid:grid-rhine");
  QCOMPARE(items.count(), 3);
  QCOMPARE(nodes.count(), 2);
  QCOMPARE(map->selectedNode(), QString("pump-city"));
}

void DepsTest::screenshots()
{
  const QString dir = qEnvironmentVariable("CYBEREX_SHOT_DIR");
  if (dir.isEmpty())
    QSKIP("set CYBEREX_SHOT_DIR=DIR to save docs/gui-dependencies.png and docs/gui-dependencies-1280.png there");
  if (m_state->exercise()->time() < 23000) // run alone (scripts/screenshots.sh)
    playTo(23000);
  // the view alone, on the console's state, at the two window sizes of the docs
  DependencyView shot;
  shot.setModel(m_state->exercise());
  for (const auto& [name, size] : {std::pair{"gui-dependencies.png", QSize(1600, 1000)},
                                   std::pair{"gui-dependencies-1280.png", QSize(1280, 800)}}) {
    shot.resize(size);
    shot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&shot));
    shot.fitAll();
    QTest::qWait(100);
    QVERIFY(shot.grab().save(dir + "/" + name));
  }
}

void DepsTest::cascadeEndsWhenThePowerIsBack()
{
  // 24300 s: Rheinstadt West restored (the journal): its dependencies are restored, nothing is cascading
  playTo(24300);
  QVERIFY(view()->cascade().isEmpty());
  QCOMPARE(view()->backupLeft("exch-west-power"), std::optional<double>());
  QVERIFY(view()->itemState("node:tel-mobile-west") != "down");
}

void DepsTest::cleanupTestCase()
{
  m_window.reset();
}

// the offscreen platform's screen is 800x600 unless told: a 1600x1000 desktop (tests/gui/data/screen-1600x1000.json)
int main(int argc, char** argv)
{
  if (qgetenv("QT_QPA_PLATFORM") == "offscreen")
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" CYBEREX_SOURCE_DIR "/tests/gui/data/screen-1600x1000.json");
  QApplication app(argc, argv);
  DepsTest test;
  QTEST_SET_MAIN_SOURCE_PATH
  return QTest::qExec(&test, argc, argv);
}

#include "deps_test.moc"
