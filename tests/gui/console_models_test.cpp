/* Every item model of the consoles, checked by QAbstractItemModelTester while a real tutorial drill fills it. */
#include "console_support.hpp"

#include <QJsonArray>

using namespace cyberex::gui;
using namespace cyberex::gui::test;

class ConsoleModelsTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void snapshot();
  void drill();
  void filters();
  void playerViews();

private:
  LocalServer m_server;
  Client m_control;
  Client m_gov;
  Client m_energy;
  EventFilterProxy m_proxy;
};

void ConsoleModelsTest::initTestCase()
{
  useBuiltBinary();
  const QString error = startServer(m_server);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  QCOMPARE(m_server.tokens().keys(),
           QStringList({"controller", "evaluator", "observer", "player:cert-energy", "player:cert-gov"}));
  m_proxy.setSourceModel(m_control.state->eventLog());
  m_control.testModels({&m_proxy});
  m_gov.testModels();
  m_energy.testModels();
  m_control.connection->open(m_server.url(), m_server.tokens().value("controller"));
  m_gov.connection->open(m_server.url(), m_server.tokens().value("player:cert-gov"));
  m_energy.connection->open(m_server.url(), m_server.tokens().value("player:cert-energy"));
  for (Client* c : {&m_control, &m_gov, &m_energy})
    QTRY_VERIFY_WITH_TIMEOUT(c->state->hasSnapshot(), start_timeout_ms);
}

void ConsoleModelsTest::snapshot()
{
  ConsoleState* s = m_control.state.get();
  QCOMPARE(s->role(), QString("controller"));
  QCOMPARE(s->clock().state, QString("ready"));
  QCOMPARE(s->clock().time, 0.0);
  QCOMPARE(s->clock().duration, 28800.0);
  QCOMPARE(s->clock().nextInject, 900.0);
  QCOMPARE(s->playerTeams(), QStringList({"cert-gov", "cert-energy"}));
  MselModel* msel = s->msel();
  QCOMPARE(msel->rowCount(), 6);
  QCOMPARE(msel->text(0, "inject"), QString("inj-01"));
  QCOMPARE(msel->text(0, "status"), QString("scheduled"));
  QCOMPARE(msel->text(0, "when"), QString("00:15:00"));
  QCOMPARE(msel->text(1, "status"), QString("waiting"));
  QCOMPARE(msel->data(msel->index(0, 3)).toString(), QString("cert-gov, cert-energy"));
  QCOMPARE(s->leaderboard()->rowCount(), 2);
  QCOMPARE(s->scores()->rowCount(), 2);
  QCOMPARE(s->scores()->text(s->scores()->teamRow("cert-gov"), "metric", 0), QString("data_exfiltrated"));
  QCOMPARE(m_gov.state->role(), QString("player"));
  QCOMPARE(m_gov.state->team(), QString("cert-gov"));
  QCOMPARE(m_gov.state->assets()->rowCount(m_gov.state->assets()->index(0, 0)), 9);
  QCOMPARE(m_gov.state->assets()->state("gov-fs"), QString("ok"));
  QCOMPARE(m_gov.state->assets()->rowCount(m_gov.state->assets()->index(1, 0)), 2);
}

void ConsoleModelsTest::drill()
{
  ConsoleState* c = m_control.state.get();
  call(c, {{"type", "step"}, {"to", "time"}, {"time", "45m"}});
  QCOMPARE(c->clock().time, 2700.0);
  // inj-01 was delivered at 15 min to both teams, its expectation is pending until 1h15
  QCOMPARE(c->msel()->text(0, "status"), QString("delivered"));
  QCOMPARE(c->msel()->rowCount(c->msel()->index(0, 0)), 1);
  QCOMPARE(c->msel()->text(0, "deadline", 0), QString("01:15:00"));
  QCOMPARE(c->msel()->text(0, "status", 0), QString("pending"));
  QCOMPARE(c->inbox()->rowCount(), 2);
  QCOMPARE(c->alerts()->rowCount(), 1);
  QCOMPARE(c->alerts()->text(0, "node"), QString("gov-ws-3"));
  QCOMPARE(c->alerts()->text(0, "time"), QString("00:42:35"));
  // the agency shares its indicators, the utility reads the inject, the agency isolates its file server
  call(c, {{"type", "message"},
           {"team", "cert-gov"},
           {"to", QJsonArray{"cert-energy"}},
           {"subject", "Summit phishing"},
           {"text", "Block these."},
           {"indicators", QJsonArray{"ioc-mail", "ioc-hash"}}});
  call(m_energy.state.get(), {{"type", "read"}, {"item", "inj-01"}});
  const QJsonObject isolate =
      call(m_gov.state.get(), {{"type", "action"}, {"action", "isolate"}, {"target", "node:gov-fs"}}).toObject();
  QCOMPARE(isolate.value("effective_at").toDouble(), 3000.0);
  call(c, {{"type", "inject_create"},
           {"inject", QJsonObject{{"id", "intel-01"},
                                  {"title", "C2 domain of Grey Heron"},
                                  {"to", QJsonArray{"cert-gov"}},
                                  {"indicators", QJsonArray{"ioc-c2"}}}}});
  call(c, {{"type", "inject_delay"}, {"inject", "inj-05"}, {"by", "10m"}});
  call(c, {{"type", "inject_cancel"}, {"inject", "inj-06"}});
  call(c, {{"type", "rate"},
           {"team", "cert-gov"},
           {"objective", "obj-share"},
           {"critical_task", "ct-share"},
           {"rating", "S"},
           {"text", "Shared within the hour"}});
  call(m_energy.state.get(), {{"type", "sitrep"}, {"status", "investigating"}, {"text", "Phishing seen"}});
  call(c, {{"type", "step"}, {"to", "time"}, {"time", "8h"}});
  QCOMPARE(c->clock().state, QString("ended"));
  QCOMPARE(c->clock().time, 28800.0);

  MselModel* msel = c->msel();
  QCOMPARE(msel->rowCount(), 7);
  QCOMPARE(msel->status("inj-01"), QString("delivered"));
  QCOMPARE(msel->text(0, "status", 0), QString("met"));
  QCOMPARE(msel->text(0, "by", 0), QString("trigger"));
  QCOMPARE(msel->status("inj-02"), QString("waiting")); // its expectation was met: no contingency
  QCOMPARE(msel->status("inj-06"), QString("cancelled"));
  QCOMPARE(msel->status("intel-01"), QString("delivered"));
  QCOMPARE(msel->text(msel->injectRow("intel-01"), "when"), QString("00:45:00"));
  QCOMPARE(msel->status("inj-05"), QString("delivered"));
  QCOMPARE(msel->text(msel->injectRow("inj-05"), "when"), QString("04:10:00"));
  // inj-04, the White Cell's hidden note, comes when the APT holds the engineering workstation ut-ews
  QCOMPARE(msel->status("inj-04"), QString("delivered"));
  QCOMPARE(msel->openInjects(), QStringList({"inj-02", "inj-03"}));
  QCOMPARE(c->expectations()->text(c->expectations()->row("exp-share", "cert-gov"), "status"), QString("met"));
  // both teams' inboxes: inj-01 to both, the message and inj-05 to the utility, intel-01 to the agency
  QCOMPARE(c->inbox()->rowCount(), 5);
  InboxModel* inbox = c->inbox();
  QCOMPARE(inbox->text(inbox->row("cert-energy", "inj-01"), "read"), QString("yes"));
  QCOMPARE(inbox->text(inbox->row("cert-energy", "inj-01"), "read_at"), QString("00:45:00"));
  QCOMPARE(inbox->text(inbox->row("cert-gov", "inj-01"), "read"), QString("no"));
  QCOMPARE(inbox->text(inbox->row("cert-energy", "msg-1"), "indicators"), QString("ioc-mail, ioc-hash"));
  QVERIFY(inbox->row("cert-gov", "msg-1") < 0); // the sender gets no inbox item
  QCOMPARE(inbox->text(inbox->row("cert-gov", "intel-01"), "title"), QString("C2 domain of Grey Heron"));
  QCOMPARE(c->sitreps()->rowCount(), 1);
  QCOMPARE(c->sitreps()->text(0, "team"), QString("cert-energy"));
  QCOMPARE(c->sitreps()->text(0, "time"), QString("00:45:00"));
  // scores: expectation met (100), rating S (70) for the agency
  TeamScoreModel* scores = c->scores();
  const int gov = scores->teamRow("cert-gov");
  QTRY_COMPARE(scores->text(gov, "ratings"), QString("70.00"));
  QCOMPARE(scores->text(gov, "expectations"), QString("100.00"));
  QVERIFY(scores->rowCount(scores->index(gov, 0)) >= 5);
  LeaderboardModel* board = c->leaderboard();
  const int govRow = board->findRow([](const QJsonObject& o) { return o.value("team") == "cert-gov"; });
  QCOMPARE(board->text(govRow, "ratings"), QString("70.00"));
  QCOMPARE(board->time(), 28800.0);
}

void ConsoleModelsTest::filters()
{
  EventLogModel* log = m_control.state->eventLog();
  const int all = log->rowCount();
  QVERIFY(all > 50);
  m_proxy.setType("inject");
  QCOMPARE(m_proxy.rowCount(), 4); // inj-01, intel-01, inj-04 (to the White Cell), inj-05 (delivery records)
  m_proxy.setTeam("cert-gov");
  QCOMPARE(m_proxy.rowCount(), 2);
  m_proxy.setTimeRange(0, 1800);
  QCOMPARE(m_proxy.rowCount(), 1);
  QCOMPARE(m_proxy.index(0, 4).data().toString(), QString("inject:inj-01"));
  m_proxy.setTimeRange(-1, -1);
  m_proxy.setTeam({});
  m_proxy.setType("node_isolated");
  QCOMPARE(m_proxy.rowCount(), 1);
  QCOMPARE(m_proxy.index(0, 1).data().toString(), QString("00:50:00"));
  m_proxy.setType({});
  m_proxy.setNode("GOV-FS");
  QVERIFY(m_proxy.rowCount() >= 2);
  for (int i = 0; i < m_proxy.rowCount(); ++i)
    QVERIFY(m_proxy.index(i, 0).data(EventLogModel::NodeRole).toString() == "gov-fs" ||
            m_proxy.index(i, 4).data().toString().contains("gov-fs"));
  m_proxy.setNode({});
  QCOMPARE(m_proxy.rowCount(), all);
}

void ConsoleModelsTest::playerViews()
{
  ConsoleState* gov = m_gov.state.get();
  // an isolated node is also failed for the services that need it (node_status failed, reason isolated)
  QTRY_COMPARE(gov->assets()->state("gov-fs"), QString("isolated, failed"));
  QCOMPARE(gov->inbox()->rowCount(), 2);
  QCOMPARE(gov->inbox()->text(0, "item"), QString("inj-01"));
  QCOMPARE(gov->inbox()->text(1, "item"), QString("intel-01"));
  QCOMPARE(gov->knownIndicators(), QStringList({"ioc-c2", "ioc-hash", "ioc-mail"}));
  QCOMPARE(gov->msel()->rowCount(), 0); // players never see the MSEL
  QCOMPARE(gov->sitreps()->rowCount(), 0);
  ConsoleState* energy = m_energy.state.get();
  QCOMPARE(energy->knownIndicators(), QStringList({"ioc-hash", "ioc-mail"}));
  QCOMPARE(energy->sitreps()->rowCount(), 1);
  QCOMPARE(energy->inbox()->text(energy->inbox()->row("cert-energy", "inj-01"), "read"), QString("yes"));
  for (int i = 0; i < energy->alerts()->rowCount(); ++i)
    QCOMPARE(energy->alerts()->text(i, "team"), QString("cert-energy"));
}

QTEST_MAIN(ConsoleModelsTest)
#include "console_models_test.moc"
