/* The MSEL grouped by move (issue 18): MselMoveProxy over the MSEL's filter proxy on a hand-written MSEL of four
 * injects (two in move-1, one in move-2, one without a move) and two expectations, under QAbstractItemModelTester;
 * then the controller console's "Group by move" box, its selection kept through a regroup. */
#include "console/console_state.hpp"
#include "console/controller_window.hpp"
#include "console/msel_model.hpp"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QJsonArray>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>

using namespace cyberex::gui;

namespace {

QJsonObject inject(const QString& id, const QString& move, const QJsonValue& due, const QString& to)
{
  QJsonObject o{{"inject", id},
                {"status", due.isDouble() ? "scheduled" : "waiting"},
                {"title", "T " + id},
                {"to", QJsonArray{to}},
                {"channel", "email"}};
  if (due.isDouble())
    o.insert("due", due);
  if (!move.isEmpty())
    o.insert("move", move);
  return o;
}

/// a (move-1, 100 s, cert-x), b (move-2, 200 s, cert-y), c (move-1, 300 s, cert-x), d (no move, waiting, cert-x);
/// expectation e1 of a, e2 of c.
QJsonObject msel()
{
  return {{"injects", QJsonArray{inject("a", "move-1", 100, "cert-x"), inject("b", "move-2", 200, "cert-y"),
                                 inject("c", "move-1", 300, "cert-x"), inject("d", "", QJsonValue(), "cert-x")}},
          {"expectations",
           QJsonArray{QJsonObject{{"expectation", "e1"}, {"inject", "a"}, {"team", "cert-x"}, {"status", "pending"}},
                      QJsonObject{{"expectation", "e2"}, {"inject", "c"}, {"team", "cert-x"}, {"status", "met"}}}}};
}

/// The inject ids under move row G of MODEL.
QStringList injectsOf(const QAbstractItemModel& model, int g)
{
  QStringList out;
  const QModelIndex group = model.index(g, 0);
  for (int r = 0; r < model.rowCount(group); ++r)
    out.append(model.index(r, 0, group).data(MselModel::InjectRole).toString());
  return out;
}

} // namespace

class MselGroupsTest : public QObject {
  Q_OBJECT
private slots:
  void groupsByMove();
  void followsFiltersSortingAndChanges();
  void controllerGroupBox();
};

void MselGroupsTest::groupsByMove()
{
  MselModel model;
  model.setMsel(msel());
  MselFilterProxy filter;
  filter.setSourceModel(&model);
  MselMoveProxy groups;
  QAbstractItemModelTester tester(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
  groups.setSourceModel(&filter);
  groups.setMoveTitles({{"move-1", "Paper Trail"}});
  // the moves in the order of their first inject; the injects under them in the MSEL's order
  QCOMPARE(groups.moves(), QStringList({"move-1", "move-2", ""}));
  QCOMPARE(groups.rowCount(), 3);
  QCOMPARE(groups.index(0, 0).data().toString(), QString("move-1: Paper Trail — 2 injects"));
  QCOMPARE(groups.index(1, 0).data().toString(), QString("move-2 — 1 inject"));
  QCOMPARE(groups.index(2, 0).data().toString(), QString("(no move) — 1 inject"));
  QVERIFY(MselMoveProxy::isMoveRow(groups.index(0, 0)));
  QVERIFY(!(groups.flags(groups.index(0, 0)) & Qt::ItemIsSelectable));
  QCOMPARE(injectsOf(groups, 0), QStringList({"a", "c"}));
  QCOMPARE(injectsOf(groups, 1), QStringList({"b"}));
  QCOMPARE(injectsOf(groups, 2), QStringList({"d"}));
  // an inject's cells and its expectations, as in the flat MSEL
  const QModelIndex c = groups.index(1, 0, groups.index(0, 0));
  QCOMPARE(c.siblingAtColumn(MselModel::TitleColumn).data().toString(), QString("T c"));
  QCOMPARE(c.siblingAtColumn(MselModel::StatusColumn).data().toString(), QString("scheduled"));
  QCOMPARE(groups.rowCount(c), 1);
  QCOMPARE(groups.index(0, 0, c).data().toString(), QString("e2"));
  QCOMPARE(groups.index(0, MselModel::StatusColumn, c).data().toString(), QString("met"));
  QCOMPARE(groups.parent(groups.index(0, 0, c)), c);
  // mapping both ways
  const QModelIndex source = filter.mapFromSource(model.index(model.injectRow("c"), 0));
  QCOMPARE(groups.mapToSource(c), source);
  QCOMPARE(groups.mapFromSource(source), c);
  QCOMPARE(groups.mapToSource(groups.index(0, 0)), QModelIndex()); // a move is no row of the MSEL
  QCOMPARE(groups.headerData(MselModel::MoveColumn, Qt::Horizontal).toString(), QString("Move"));
}

void MselGroupsTest::followsFiltersSortingAndChanges()
{
  MselModel model;
  model.setMsel(msel());
  MselFilterProxy filter;
  filter.setSourceModel(&model);
  MselMoveProxy groups;
  QAbstractItemModelTester tester(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
  groups.setSourceModel(&filter);
  // a team filter leaves its injects' moves only
  filter.setTeam("cert-y");
  QCOMPARE(groups.moves(), QStringList({"move-2"}));
  filter.setTeam(QString());
  QCOMPARE(groups.moves(), QStringList({"move-1", "move-2", ""}));
  // sorted by time, latest first: d (no time sorts after every time) 300 200 100, so the moves come as "", move-1
  // (c, a), move-2
  groups.sort(MselModel::TimeColumn, Qt::DescendingOrder);
  QCOMPARE(groups.moves(), QStringList({"", "move-1", "move-2"}));
  QCOMPARE(injectsOf(groups, 1), QStringList({"c", "a"}));
  groups.sort(-1); // the MSEL's own order again
  QCOMPARE(groups.moves(), QStringList({"move-1", "move-2", ""}));
  // a new inject joins its move; a changed one changes in place
  model.upsertInject(inject("b2", "move-2", 250, "cert-y"));
  QCOMPARE(injectsOf(groups, 1), QStringList({"b", "b2"}));
  model.applyRecord({{"type", "inject_cancelled"}, {"time", 50}, {"details", QJsonObject{{"inject", "a"}}}});
  QCOMPARE(groups.index(0, MselModel::StatusColumn, groups.index(0, 0)).data().toString(), QString("cancelled"));
}

void MselGroupsTest::controllerGroupBox()
{
  DrillConnection connection;
  ConsoleState state(&connection);
  state.msel()->setMsel(msel());
  ControllerWindow window(&state);
  QTreeView* view = window.mselView();
  QCOMPARE(view->model(), static_cast<QAbstractItemModel*>(window.mselFilter()));
  QVERIFY(!window.mselGroupBox()->isChecked()); // flat unless asked
  window.selectInject("c");
  window.mselGroupBox()->setChecked(true);
  QCOMPARE(view->model(), static_cast<QAbstractItemModel*>(window.mselGroups()));
  QCOMPARE(window.selectedInject(), QString("c")); // the selection follows
  QCOMPARE(view->currentIndex().parent().data().toString(), QString("move-1 — 2 injects"));
  QVERIFY(view->isFirstColumnSpanned(0, {}));
  QVERIFY(view->isExpanded(view->model()->index(0, 0)));
  // a new inject regroups: the moves stay open, the selection stays
  state.msel()->upsertInject(inject("a0", "move-1", 50, "cert-x"));
  QCOMPARE(injectsOf(*view->model(), 0), QStringList({"a0", "a", "c"}));
  QCOMPARE(window.selectedInject(), QString("c"));
  QVERIFY(view->isExpanded(view->model()->index(0, 0)));
  // selecting an inject (the timeline, the attention list) finds it under its move
  window.selectInject("d");
  QCOMPARE(view->currentIndex().parent().data().toString(), QString("(no move) — 1 inject"));
  window.setMselGrouped(false);
  QVERIFY(!window.mselGroupBox()->isChecked());
  QCOMPARE(view->model(), static_cast<QAbstractItemModel*>(window.mselFilter()));
  QCOMPARE(window.selectedInject(), QString("d"));
}

int main(int argc, char** argv)
{
  QStandardPaths::setTestModeEnabled(true);
  QApplication app(argc, argv);
  MselGroupsTest test;
  QTEST_SET_MAIN_SOURCE_PATH
  return QTest::qExec(&test, argc, argv);
}

#include "msel_groups_test.moc"
