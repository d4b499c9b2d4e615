/* The sentences of command feedback (toast.hpp): what a command did, errors in plain words; the toasts themselves;
 * the MSEL's filter proxy and its time-ordered insertion on a small hand-written MSEL. */
#include "console/msel_model.hpp"
#include "console/toast.hpp"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QLabel>
#include <QTest>
#include <QWidget>

using namespace cyberex::gui;

class TimelineFeedbackTest : public QObject {
  Q_OBJECT
private slots:
  void successSentences();
  void queriesSayNothing();
  void errorsInPlainWords();
  void toastsStackAndExpire();
  void newInjectsInTimeOrder();
  void filterProxy();
};

void TimelineFeedbackTest::successSentences()
{
  const QJsonObject inject{{"inject", "inj-07"},
                           {"title", "Phishing report"},
                           {"to", QJsonArray{"cert-de"}},
                           {"due", 5400},
                           {"status", "scheduled"}};
  QCOMPARE(commandFeedback("inject_release", {}, inject), QString("Released inj-07 'Phishing report' to cert-de"));
  QJsonObject two = inject;
  two.insert("to", QJsonArray{"cert-de", "cert-fr"});
  QCOMPARE(commandFeedback("inject_release", {}, two),
           QString("Released inj-07 'Phishing report' to cert-de, cert-fr"));
  QCOMPARE(commandFeedback("inject_delay", {{"type", "inject_delay"}, {"by", 900}}, inject),
           QString("Delayed inj-07 'Phishing report' by 00:15:00: now due at T+01:30:00"));
  QCOMPARE(commandFeedback("inject_cancel", {}, inject), QString("Cancelled inj-07 'Phishing report'"));
  QCOMPARE(commandFeedback("inject_create", {}, inject),
           QString("New inject inj-07 'Phishing report' for cert-de, due at T+01:30:00"));
  QCOMPARE(commandFeedback("pause", {}, QJsonObject{{"state", "paused"}, {"time", 14700}}),
           QString("Clock paused at T+04:05:00"));
  QCOMPARE(commandFeedback("start", {}, QJsonObject{{"state", "running"}, {"time", 0}}),
           QString("Clock started at T+00:00:00"));
  QCOMPARE(commandFeedback("step", {}, QJsonObject{{"time", 900}, {"move", "move-1"}}),
           QString("Clock stepped to T+00:15:00 (move move-1)"));
  QCOMPARE(commandFeedback("speed", {}, QJsonObject{{"speed", 60}}), QString("Clock speed set to ×60"));
  QCOMPARE(commandFeedback("rate",
                           {{"type", "rate"},
                            {"team", "cert-de"},
                            {"objective", "obj-detect-apt"},
                            {"critical_task", "ct-detect"},
                            {"rating", "S"}},
                           QJsonObject{}),
           QString("Rated cert-de S on obj-detect-apt (ct-detect)"));
  QCOMPARE(commandFeedback("confirm", {{"type", "confirm"}, {"expectation", "exp-1"}, {"team", "cert-fr"}}, {}),
           QString("Confirmed exp-1 of cert-fr: met"));
  QCOMPARE(commandFeedback("observe", {}, {}), QString("Observation recorded"));
  // a command sent elsewhere (not known here): the reply's fields, else a sentence without them
  QCOMPARE(commandFeedback("rate", {}, QJsonObject{}), QString("Rating recorded"));
  QCOMPARE(commandFeedback("official_assessment", {}, QJsonObject{{"incident", "apt-de"}, {"score", 69}}),
           QString("Official assessment of apt-de recorded"));
  QCOMPARE(commandFeedback("message", {{"type", "message"}, {"to", QJsonArray{"cert-fr", "us-cert"}}}, {}),
           QString("Message sent to cert-fr, us-cert"));
}

void TimelineFeedbackTest::queriesSayNothing()
{
  for (const char* q : {"clock", "msel", "scores", "leaderboard", "assets", "truth"})
    QVERIFY2(commandFeedback(q, {}, QJsonObject{{"time", 5}}).isEmpty(), q);
}

void TimelineFeedbackTest::errorsInPlainWords()
{
  QCOMPARE(plainError("inject_release rejected: inject \"inj-02\" was already delivered or cancelled [bad-state]"),
           QString("Could not release the inject: inject \"inj-02\" was already delivered or cancelled (not possible "
                   "in the current state)."));
  QCOMPARE(plainError("rate rejected: (/as) expected \"controller\" [forbidden]"),
           QString("Could not record the rating: field “as”: expected \"controller\" (your role may not do this)."));
  QCOMPARE(plainError("inject_create rejected: (/inject/to/0) no team \"cert-xx\" [unknown-target]"),
           QString("Could not create the inject: field “inject › to › 0”: no team \"cert-xx\" (it names something the "
                   "exercise does not have)."));
  QCOMPARE(plainError("frobnicate rejected: no such command [unknown-command]"),
           QString("The server refused “frobnicate”: no such command (the server does not know this command)."));
  // messages that are not a server's rejection are already plain
  QCOMPARE(plainError("Delay: select an inject in the MSEL first"),
           QString("Delay: select an inject in the MSEL first"));
}

void TimelineFeedbackTest::toastsStackAndExpire()
{
  QWidget host;
  host.resize(800, 600);
  host.show();
  ToastArea toasts(&host);
  for (int i = 1; i <= 5; ++i)
    toasts.showMessage(QString("message %1").arg(i));
  // at most four at once, the oldest dropped
  QCOMPARE(toasts.messages(), QStringList({"message 2", "message 3", "message 4", "message 5"}));
  QCOMPARE(toasts.lastMessage(), QString("message 5"));
  toasts.showMessage("went wrong", ToastArea::Kind::error);
  QCOMPARE(toasts.lastKind(), ToastArea::Kind::error);
  QCOMPARE(host.findChildren<QLabel*>("toastError").size(), 1);
  // inside the window, newest lowest
  const auto labels = host.findChildren<QLabel*>();
  for (QLabel* l : labels)
    QVERIFY(host.rect().contains(l->geometry()));
  QTRY_VERIFY_WITH_TIMEOUT(toasts.messages().isEmpty(), ToastArea::lifetime_ms + 2000);
}

namespace {
QJsonObject inject(const QString& id, double due, const QString& status = "scheduled",
                   const QStringList& to = {"cert-de"}, const QString& move = "move-1")
{
  QJsonObject o{{"inject", id}, {"status", status},          {"to", QJsonArray::fromStringList(to)},
                {"move", move}, {"title", "Title of " + id}, {"content", "text"}};
  if (due >= 0)
    o.insert("due", due);
  return o;
}
QStringList ids(const QAbstractItemModel* m)
{
  QStringList out;
  for (int r = 0; r < m->rowCount(); ++r)
    out.append(m->index(r, 0).data().toString());
  return out;
}
} // namespace

void TimelineFeedbackTest::newInjectsInTimeOrder()
{
  MselModel msel;
  QAbstractItemModelTester tester(&msel, QAbstractItemModelTester::FailureReportingMode::QtTest);
  msel.setMsel(
      {{"injects", QJsonArray{inject("a", 0), inject("w", -1, "waiting"), inject("b", 3600), inject("c", 7200)}}});
  msel.upsertInject(inject("n1", 5400));  // between b (1h) and c (2h)
  msel.upsertInject(inject("n0", 0));     // same time as a: before the first later one (b)
  msel.upsertInject(inject("n9", 99999)); // after everything
  msel.upsertInject(inject("nw", -1, "waiting"));
  QCOMPARE(ids(&msel), QStringList({"a", "w", "n0", "b", "n1", "c", "n9", "nw"}));
  // an update keeps the row
  msel.upsertInject(inject("b", 100));
  QCOMPARE(ids(&msel).indexOf("b"), 3);
  QCOMPARE(msel.columnCount(), 7);
  QCOMPARE(msel.headerData(MselModel::MoveColumn, Qt::Horizontal).toString(), QString("Move"));
  // full titles as tooltips, however short
  QCOMPARE(msel.index(0, MselModel::TitleColumn).data(Qt::ToolTipRole).toString(), QString("Title of a"));
}

void TimelineFeedbackTest::filterProxy()
{
  MselModel msel;
  msel.setMsel(
      {{"injects", QJsonArray{inject("a", 0), inject("b", 3600, "delivered", {"cert-fr"}),
                              inject("c", 7200, "scheduled", {"cert-de", "cert-fr"}, "move-2"),
                              inject("d", -1, "waiting", {"cert-fr"}, "")}},
       {"expectations",
        QJsonArray{QJsonObject{{"inject", "c"}, {"expectation", "e1"}, {"team", "cert-de"}, {"status", "pending"}}}}});
  MselFilterProxy proxy;
  proxy.setSourceModel(&msel);
  QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
  QCOMPARE(ids(&proxy), QStringList({"a", "b", "c", "d"}));
  proxy.setTeam("cert-fr");
  QCOMPARE(ids(&proxy), QStringList({"b", "c", "d"}));
  proxy.setMove("move-2");
  QCOMPARE(ids(&proxy), QStringList({"c"}));
  QCOMPARE(proxy.rowCount(proxy.index(0, 0)), 1); // its expectation follows it
  proxy.setMove({});
  proxy.setStatus("waiting");
  QCOMPARE(ids(&proxy), QStringList({"d"}));
  proxy.setStatus({});
  proxy.setTeam({});
  proxy.setSearch("TITLE OF B");
  QCOMPARE(ids(&proxy), QStringList({"b"}));
  proxy.setSearch({});
  // by time, descending: no time (waiting) counts as the latest
  proxy.sort(MselModel::TimeColumn, Qt::DescendingOrder);
  QCOMPARE(ids(&proxy), QStringList({"d", "c", "b", "a"}));
  proxy.sort(MselModel::InjectColumn, Qt::DescendingOrder);
  QCOMPARE(ids(&proxy), QStringList({"d", "c", "b", "a"}));
  proxy.sort(MselModel::StatusColumn, Qt::AscendingOrder);
  QCOMPARE(ids(&proxy).first(), QString("b")); // delivered < scheduled < waiting
  proxy.sort(-1);
  QCOMPARE(ids(&proxy), QStringList({"a", "b", "c", "d"}));
}

QTEST_MAIN(TimelineFeedbackTest)
#include "timeline_feedback_test.moc"
