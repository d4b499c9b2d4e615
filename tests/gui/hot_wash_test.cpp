/* Access and print (issue 18): the join commands, the token slips, the hot wash's PDF/PNG exports and File -> Print
 * (a QPrinter writing a PDF), on a real local drill of the tutorial. */
#include "console_support.hpp"

#include "console/controller_window.hpp"
#include "console/hot_wash.hpp"
#include "console/widgets.hpp"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPrinter>
#include <QStandardItemModel>
#include <QStandardPaths>

using namespace cyberex::gui;
using namespace cyberex::gui::test;

namespace {

QByteArray readAll(const QString& path)
{
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Pages of a PDF: its page objects ("/Type /Page" not followed by "s").
int pdfPages(const QByteArray& pdf)
{
  int pages = 0;
  for (qsizetype at = pdf.indexOf("/Type /Page"); at >= 0; at = pdf.indexOf("/Type /Page", at + 1))
    if (pdf.mid(at + 11, 1) != "s")
      ++pages;
  return pages;
}

} // namespace

class HotWashTest : public QObject {
  Q_OBJECT
private slots:
  void joinCommands();
  void tables();
  void pdfErrors();
  void drill();
  void formText();

private:
  QTemporaryDir m_dir;
};

void HotWashTest::joinCommands()
{
  const QUrl url("ws://10.0.0.5:8600/");
  QCOMPARE(joinCommand(url, "k3y", ""), QString("cyberex-gui --connect ws://10.0.0.5:8600/ --token k3y"));
  QCOMPARE(joinCommand(url, "k3y", "scenarios/my drill.json"),
           QString("cyberex-gui --connect ws://10.0.0.5:8600/ --token k3y --catalog 'scenarios/my drill.json'"));
  QCOMPARE(joinCommand(url, "k3y", "it's.json"),
           QString("cyberex-gui --connect ws://10.0.0.5:8600/ --token k3y --catalog 'it'\\''s.json'"));
  const QMap<QString, QString> tokens = {
      {"controller", "c"}, {"player:zeta", "z"}, {"player:alpha", "a"}, {"observer", "o"}};
  QCOMPARE(teamsWithTokens(tokens), QStringList({"alpha", "zeta"}));
  const QString slips = tokenSlipsHtml("Drill <1>", url, tokens, "");
  QVERIFY(slips.contains("<h2>Drill &lt;1&gt; — team alpha</h2>"));
  QVERIFY(slips.contains("<tt>cyberex-gui --connect ws://10.0.0.5:8600/ --token a</tt>"));
  QVERIFY(slips.contains("<tt>cyberex-gui --connect ws://10.0.0.5:8600/ --token z</tt>"));
  QVERIFY(!slips.contains("--token c")); // the controller's token is never on a slip
  QCOMPARE(slips.count("✂"), 1);         // one cut line between two slips
}

void HotWashTest::tables()
{
  QStandardItemModel model(0, 2);
  model.setHorizontalHeaderLabels({"Inject", "Title"});
  auto* move = new QStandardItem("move 1");
  move->appendRow({new QStandardItem("inj-01"), new QStandardItem("Phishing <wave>")});
  model.appendRow({move, new QStandardItem("")});
  QCOMPARE(tableHtml(model, "MSEL", "T+1 h"),
           QString("<html><body style=\"font-family:sans-serif\">\n<h1>MSEL</h1>\n<p>T+1 h</p>\n"
                   "<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">\n<tr><th>Inject</th><th>Title</th></tr>\n"
                   "<tr><td>move 1</td><td></td></tr>\n"
                   "<tr><td style=\"padding-left:16px\">inj-01</td><td>Phishing &lt;wave&gt;</td></tr>\n"
                   "</table>\n</body></html>\n"));
  const QString pdf = m_dir.filePath("table.pdf");
  QString error;
  QVERIFY2(writeHtmlPdf(tableHtml(model, "MSEL", ""), pdf, true, &error), qPrintable(error));
  const QByteArray bytes = readAll(pdf);
  QVERIFY(bytes.startsWith("%PDF-"));
  QCOMPARE(pdfPages(bytes), 1);
}

void HotWashTest::pdfErrors()
{
  QString error;
  QVERIFY(!writeHtmlPdf("<p>x</p>", "/nonexistent-dir/x.pdf", false, &error));
  QCOMPARE(error, QString("cannot write /nonexistent-dir/x.pdf: No such file or directory"));
}

void HotWashTest::drill()
{
  QStandardPaths::setTestModeEnabled(true);
  useBuiltBinary();
  LocalServer server;
  QString error = startServer(server);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  Client control;
  const ScenarioCatalog catalog = ScenarioCatalog::load(tutorial_scenario, &error);
  QVERIFY2(catalog.loaded, qPrintable(error));
  control.state->setCatalog(catalog);
  ControllerWindow window(control.state.get());
  window.setDrillAccess(server.url(), server.tokens());
  window.setLocalDrill(&server);
  window.show();
  control.connection->open(server.url(), server.tokens().value("controller"));
  QTRY_VERIFY_WITH_TIMEOUT(control.state->hasSnapshot(), start_timeout_ms);

  // Drill info: the journal and tokens of this drill, a join command per player team with its own token.
  QDialog* info = window.openDrillInfo();
  QCOMPARE(info->findChild<QLineEdit*>("drillJournal")->text(), QDir::toNativeSeparators(server.journal()));
  QCOMPARE(info->findChild<QLineEdit*>("drillTokens")->text(), QDir::toNativeSeparators(server.journal() + ".tokens"));
  for (const QString team : {"cert-gov", "cert-energy"})
    QCOMPARE(info->findChild<QLineEdit*>("join-" + team)->text(),
             joinCommand(server.url(), server.tokens().value("player:" + team), server.scenario()));
  const QString slips = m_dir.filePath("slips.pdf");
  QVERIFY2(static_cast<DrillInfoDialog*>(info)->writeTokenSlips(slips, &error), qPrintable(error));
  QVERIFY(readAll(slips).startsWith("%PDF-"));
  info->close();

  // Exports: the MSEL, the event log and the leaderboard as PDFs, the dashboard as a PNG of its size.
  for (const QString what : {"msel", "events", "leaderboard"}) {
    const QString path = m_dir.filePath(what + ".pdf");
    QVERIFY2(window.exportView(what, path, &error), qPrintable(error));
    const QByteArray bytes = readAll(path);
    QVERIFY2(bytes.startsWith("%PDF-") && pdfPages(bytes) >= 1, qPrintable(what));
  }
  const QString png = m_dir.filePath("dashboard.png");
  QVERIFY2(window.exportView("dashboard", png, &error), qPrintable(error));
  QCOMPARE(QImage(png).size(), window.dashboardWidget()->grab().size());
  window.selectTeam("cert-energy");
  QVERIFY2(window.exportView("team-actions", m_dir.filePath("t.pdf"), &error), qPrintable(error));
  QVERIFY(!window.exportView("map", m_dir.filePath("m.pdf"), &error));
  QCOMPARE(error,
           QString("nothing to export as 'map': msel, events, team-actions, team-events, leaderboard or dashboard"));

  // File -> Print: the same documents on a printer; here a QPrinter writing a PDF (no dialog). Each prints as many
  // pages as its PDF export has (the same HTML on the same A4 page, same margins and orientation); the leaderboard of
  // the tutorial's two teams is one portrait page.
  QCOMPARE(window.findChild<QAction*>("print-msel")->shortcut(), QKeySequence(QKeySequence::Print));
  for (const QString what : {"msel", "events", "team-events", "leaderboard"}) {
    QVERIFY(window.findChild<QAction*>("print-" + what));
    const QString exported = m_dir.filePath("export-" + what + ".pdf");
    QVERIFY2(window.exportView(what, exported, &error), qPrintable(error));
    QPrinter printer(QPrinter::HighResolution);
    printer.setOutputFormat(QPrinter::PdfFormat);
    const QString printed = m_dir.filePath("print-" + what + ".pdf");
    printer.setOutputFileName(printed);
    QVERIFY2(window.printView(what, &printer, &error), qPrintable(error));
    QVERIFY2(QFileInfo::exists(printed), qPrintable(printed));
    const QByteArray bytes = readAll(printed);
    QVERIFY2(bytes.startsWith("%PDF-"), qPrintable(what));
    QVERIFY2(pdfPages(bytes) > 0, qPrintable(what));
    QCOMPARE(pdfPages(bytes), pdfPages(readAll(exported)));
    if (what == "leaderboard")
      QCOMPARE(pdfPages(bytes), 1);
  }
  window.selectTeam(QString());
  QPrinter printer;
  printer.setOutputFormat(QPrinter::PdfFormat);
  printer.setOutputFileName(m_dir.filePath("none.pdf"));
  QVERIFY(!window.printView("team-events", &printer, &error));
  QCOMPARE(error, QString("choose a team in the Teams tab first"));
  QVERIFY(!window.printView("dashboard", &printer, &error));
  QCOMPARE(error, QString("the dashboard prints from its PDF or PNG export (File → Export for the hot wash)"));
}

void HotWashTest::formText()
{
  // a multi-line field of a form: Tab leaves it, Ctrl+Enter sends, Enter still types a new line
  QPlainTextEdit edit;
  int sent = 0;
  makeFormText(&edit, [&sent] { ++sent; });
  QVERIFY(edit.tabChangesFocus());
  QTest::keyClicks(&edit, "first");
  QTest::keyClick(&edit, Qt::Key_Return);
  QTest::keyClicks(&edit, "second");
  QCOMPARE(edit.toPlainText(), QString("first\nsecond"));
  QCOMPARE(sent, 0);
  QTest::keyClick(&edit, Qt::Key_Return, Qt::ControlModifier);
  QTest::keyClick(&edit, Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier);
  QCOMPARE(sent, 2);
  QCOMPARE(edit.toPlainText(), QString("first\nsecond")); // no new line typed by Ctrl+Enter
  QPlainTextEdit plain;
  makeFormText(&plain);
  QVERIFY(plain.tabChangesFocus());
  QCOMPARE(plain.toolTip(), QString("Tab: next field"));
  QCOMPARE(edit.toolTip(), QString("Tab: next field; Ctrl+Enter: send"));
}

QTEST_MAIN(HotWashTest)
#include "hot_wash_test.moc"
