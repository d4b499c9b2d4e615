/* The GUI's one state: ExerciseStateModel folds received records with the core's ExerciseState, keeps the records that
 * come before its scenario, reads record types with the core's vocabulary, and gives the same state live as the
 * core's Timeline of the journal. */
#include "state/exercise_state_model.hpp"
#include "state/record_json.hpp"
#include "state/step_series_model.hpp"

#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <string>

using namespace cyberex::gui;
using cyberex::RecordType;
using Points = QList<QPointF>;

namespace {

const QString JOURNAL = QStringLiteral("tests/gui/data/tutorial-journal.jsonl");

/// The same JSON with its objects' keys sorted: a record received as a QJsonObject is written out again with sorted
/// keys, so the details a state keeps verbatim (a team's actions) may list their keys in another order.
std::string canonical(const std::string& json)
{
  return QJsonDocument::fromJson(QByteArray::fromStdString(json)).toJson(QJsonDocument::Compact).toStdString();
}

/// Empty when the JSON texts A and B hold the same values, else where they first differ, with some context.
QString firstDifference(std::string a, std::string b)
{
  a = canonical(a);
  b = canonical(b);
  if (a.empty() || a == b)
    return a.empty() ? QStringLiteral("not JSON") : QString();
  const auto at = static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin());
  const std::size_t from = at > 80 ? at - 80 : 0;
  return QStringLiteral("at %1: ...%2 | ...%3")
      .arg(at)
      .arg(QString::fromStdString(a.substr(from, 200)), QString::fromStdString(b.substr(from, 200)));
}

} // namespace

class StateModelTest : public QObject {
  Q_OBJECT

private slots:
  void recordsInTheCoreVocabulary()
  {
    const QJsonObject r{{"seq", 7},
                        {"time", 12.5},
                        {"kind", "delivery"},
                        {"type", "inject"},
                        {"subject", "inject:inj-01"},
                        {"details", QJsonObject{{"inject", "inj-01"}}},
                        {"audience", QJsonArray{"cert-gov", "cert-energy"}}};
    QCOMPARE(recordTypeOf(r), std::optional<RecordType>(RecordType::inject));
    QVERIFY(isRecord(r, RecordType::inject));
    QVERIFY(!isRecord(r, RecordType::inject_expired));
    QCOMPARE(recordTypeName(RecordType::node_compromised), QString("node_compromised"));
    const std::optional<cyberex::Record> core = toRecord(r);
    QVERIFY(core);
    QCOMPARE(core->seq, std::uint64_t(7));
    QCOMPARE(core->time, 12.5);
    QVERIFY(core->kind == cyberex::RecordKind::delivery);
    QVERIFY(core->type == RecordType::inject);
    QVERIFY(core->audience.kind == cyberex::Audience::Kind::teams);
    QCOMPARE(core->audience.teams, (std::vector<std::string>{"cert-energy", "cert-gov"})); // sorted, as the core's
    QCOMPARE(core->json, std::string(R"({"details":{"inject":"inj-01"},"kind":"delivery","seq":7,)"
                                     R"("subject":"inject:inj-01","time":12.5,"type":"inject"})"));
    QJsonObject back = r;
    back.insert("audience", QJsonArray{"cert-energy", "cert-gov"});
    QCOMPARE(toJsonObject(*core), back);
    // visible to the teams named, as every transport filters
    QVERIFY(cyberex::visible_to(cyberex::Principal{cyberex::Role::player, "cert-gov"}, *core));
    QVERIFY(!cyberex::visible_to(cyberex::Principal{cyberex::Role::player, "cert-water"}, *core));

    QJsonObject noAudience = r;
    noAudience.remove("audience");
    QVERIFY(toRecord(noAudience)->audience.kind == cyberex::Audience::Kind::control);
    noAudience.insert("audience", "all");
    QVERIFY(toRecord(noAudience)->audience.kind == cyberex::Audience::Kind::all);
    QJsonObject unknown = r;
    unknown.insert("type", "node_hacked");
    QCOMPARE(recordTypeOf(unknown), std::nullopt);
    QVERIFY(!toRecord(unknown));
    unknown = r;
    unknown.insert("kind", "rumour");
    QVERIFY(!toRecord(unknown));
  }

  void recordsBeforeTheScenarioAreFoldedWithIt()
  {
    auto loaded = cyberex::load_scenario("scenarios/tutorial/tutorial.json");
    QVERIFY(loaded.ok());
    const auto scenario = std::make_shared<const cyberex::Scenario>(std::move(*loaded.scenario));
    ExerciseStateModel model;
    QCOMPARE(model.nodeCount(), 0);
    QVERIFY(!model.scenario());
    QSignalSpy applied(&model, &ExerciseStateModel::recordApplied);
    // a console's records arrive before its scenario file has loaded: kept, folded once it has
    QVERIFY(model.applyRecord(QByteArray(
        R"({"seq":1,"time":600,"kind":"event","type":"node_compromised","subject":"node:gov-fs","details":{"campaign":"apt-docs"}})")));
    QVERIFY(model.applyRecord(QByteArray(
        R"({"seq":2,"time":900,"kind":"event","type":"service_status","subject":"service:gov-email","details":{"status":"down"}})")));
    QCOMPARE(applied.count(), 0);
    QCOMPARE(model.compromisedNodes(), QStringList());
    QSignalSpy scenarioChanged(&model, &ExerciseStateModel::scenarioChanged);
    model.setScenario(scenario);
    QCOMPARE(scenarioChanged.count(), 1);
    QCOMPARE(model.scenario(), scenario.get());
    QCOMPARE(model.nodeCount(), 35);
    QCOMPARE(model.compromisedNodes(), QStringList{"gov-fs"});
    QCOMPARE(model.serviceStatus("gov-email"), QString("down"));
    QCOMPARE(model.serviceStatus("no-such-service"), QString());
    QCOMPARE(model.time(), 900.0);
    QCOMPARE(model.nodeCondition(model.nodeIndex("gov-mail")).degraded, true);
    QCOMPARE(model.nodeCondition(model.nodeIndex("gov-fs")).compromised, true);
    QCOMPARE(model.series(Kpi::availability)->points(), (Points{{0, 100}, {900, 100}, {900, 75}}));

    QVERIFY(model.applyRecord(QByteArray(
        R"({"seq":3,"time":1000,"kind":"event","type":"node_isolated","subject":"node:gov-fs","details":{"team":"cert-gov"}})")));
    QCOMPARE(applied.count(), 1);
    QVERIFY(applied.at(0).at(0).value<RecordType>() == RecordType::node_isolated);
    QCOMPARE(model.nodeCondition(model.nodeIndex("gov-fs")).isolated, true);
    QCOMPARE(model.nodeCondition(-1), NodeCondition{});
    QCOMPARE(model.nodeIndex("nowhere"), -1);

    // a new scenario starts from nothing
    model.setScenario(scenario);
    QCOMPARE(model.compromisedNodes(), QStringList());
    QCOMPARE(model.time(), 0.0);
  }

  void liveEqualsTheTimeline()
  {
    auto timeline = std::make_shared<cyberex::Timeline>();
    std::string error;
    QVERIFY2(timeline->open(JOURNAL.toStdString(), &error), error.c_str());
    const std::shared_ptr<const cyberex::Scenario> scenario(timeline, &timeline->scenario());

    // live: the records as a console receives them (JSON objects), one by one
    ExerciseStateModel live;
    for (auto* s : {live.series(Kpi::availability), live.series(Kpi::compromised)})
      new QAbstractItemModelTester(s, QAbstractItemModelTester::FailureReportingMode::QtTest, &live);
    live.setScenario(scenario);
    for (const cyberex::Record& r : timeline->records())
      QVERIFY(live.applyRecord(toJsonObject(r)));
    live.setTime(timeline->duration());
    live.flushSeries();

    // after-action: the Timeline's state at the end
    ExerciseStateModel whole;
    whole.setScenario(scenario);
    whole.reset(timeline->fold_to(timeline->duration()), timeline->duration());

    const cyberex::Principal control{cyberex::Role::controller, {}};
    QCOMPARE(firstDifference(live.state().to_json(7200, control), whole.state().to_json(7200, control)), QString());
    QVERIFY(live.nodeConditions() == whole.nodeConditions());
    for (int k = 0; k < KPI_COUNT; ++k)
      QCOMPARE(live.series(static_cast<Kpi>(k))->points(), whole.series(static_cast<Kpi>(k))->points());
    QCOMPARE(live.series(Kpi::compromised)->points(),
             (Points{{0, 0}, {600, 0}, {600, 1}, {4200, 1}, {4200, 0}, {7200, 0}}));
    QCOMPARE(live.alertedNodes("cert-gov").at(static_cast<std::size_t>(live.nodeIndex("gov-ws-1"))), char(1));
    QVERIFY(live.alertedNodes("cert-energy").empty());

    // a seek back: the state at 1000 from the Timeline
    whole.reset(timeline->fold_to(1000), 1000);
    QCOMPARE(whole.compromisedNodes(), QStringList{"gov-ws-1"});
    QCOMPARE(whole.series(Kpi::compromised)->points(), (Points{{0, 0}, {600, 0}, {600, 1}, {1000, 1}}));
    QVERIFY(whole.alertedNodes("cert-gov").empty()); // the alert comes at 1200
  }
};

QTEST_MAIN(StateModelTest)
#include "state_model_test.moc"
