/* Planning mode (issue 19): PlanWindow on a copy of the tutorial in a temporary directory: the map and the MSEL
 * timeline show the scenario, the analysis reaches the map as overlays, a saved broken file is reloaded and shows the
 * loader's located diagnostic while the last good view stays, a fixed file clears it; the editor's command lines; the
 * argument check of `cyberex-gui --plan`. With CYBEREX_GUI_SCREENSHOTS=DIR it saves the docs' screenshots there. */
#include "map/map_view.hpp"
#include "plan/editor_command.hpp"
#include "plan/plan_timeline.hpp"
#include "plan/plan_window.hpp"

#include "cyberex/analysis.hpp"
#include "cyberex/scenario.hpp"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <filesystem>

using cyberex::Diagnostic;
using cyberex::gui::EditorCommand;
using cyberex::gui::editorCommand;
using cyberex::gui::PlanTimeline;
using cyberex::gui::PlanWindow;

namespace {

constexpr int reload_timeout_ms = 10000;

QByteArray readAll(const QString& path)
{
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Write BYTES to PATH in place (as most editors do).
bool writeInPlace(const QString& path, const QByteArray& bytes)
{
  QFile f(path);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

/// Write BYTES to a new file and rename it over PATH (as vim with backupcopy=no, and many IDEs, do).
bool writeByRename(const QString& path, const QByteArray& bytes)
{
  const QString tmp = path + ".new";
  if (!writeInPlace(tmp, bytes))
    return false;
  std::error_code ec;
  std::filesystem::rename(tmp.toStdString(), path.toStdString(), ec);
  return !ec;
}

/// Copy the scenario directory NAME and the shared topologies into DIR (the scenarios include ../topologies/...).
bool copyScenario(const QString& name, const QString& dir)
{
  std::error_code ec;
  const std::filesystem::path src = CYBEREX_SOURCE_DIR "/scenarios";
  const std::filesystem::path dst = dir.toStdString();
  std::filesystem::copy(src / name.toStdString(), dst / name.toStdString(), std::filesystem::copy_options::recursive,
                        ec);
  if (!ec)
    std::filesystem::copy(src / "topologies", dst / "topologies", std::filesystem::copy_options::recursive, ec);
  return !ec;
}

/// 1-based line and column of the first occurrence of NEEDLE in TEXT (ASCII text), plus OFFSET columns.
QPair<int, int> lineColumnOf(const QByteArray& text, const QByteArray& needle, int offset = 0)
{
  const qsizetype at = text.indexOf(needle);
  if (at < 0)
    return {0, 0};
  const int line = int(text.left(at).count('\n')) + 1;
  const qsizetype lineStart = text.lastIndexOf('\n', at) + 1;
  return {line, int(at - lineStart) + 1 + offset};
}

QString describe(const std::vector<Diagnostic>& ds)
{
  QStringList out;
  for (const Diagnostic& d : ds)
    out << QString::fromStdString(d.format());
  return out.join('\n');
}

} // namespace

class PlanTest : public QObject {
  Q_OBJECT

private slots:
  void initTestCase();
  void mapAndMselOfTheTutorial();
  void analysisOverlaysAreTheCoresResults();
  void reloadsBrokenThenFixedFile();
  void brokenScenarioStillOpens();
  void editorCommandLines();
  void planWithoutScenarioExits();
  void screenshots();

private:
  QTemporaryDir m_dir;
  QString m_file; ///< the copy of tutorial.json
  QByteArray m_good;
};

void PlanTest::initTestCase()
{
  QVERIFY(m_dir.isValid());
  QVERIFY(copyScenario("tutorial", m_dir.path()));
  m_file = m_dir.filePath("tutorial/tutorial.json");
  m_good = readAll(m_file);
  QVERIFY(!m_good.isEmpty());
}

void PlanTest::mapAndMselOfTheTutorial()
{
  PlanWindow w(m_file);
  QTRY_COMPARE_WITH_TIMEOUT(w.loadCount(), 1, reload_timeout_ms);
  QVERIFY2(!w.lastLoadFailed(), qPrintable(describe(w.diagnostics())));
  QVERIFY(w.scenario());
  const auto loaded = cyberex::load_scenario(m_file.toStdString());
  QVERIFY(loaded.ok());
  // cyberex validate: "tutorial.json: valid (35 nodes, ...)": 22 written, 24 with their counts, and Abilene's 11
  // routers
  QCOMPARE(int(loaded.scenario->nodes.size()), 35);
  QCOMPARE(w.mapView()->nodeCount(), 35);
  QCOMPARE(w.mapView()->model(), w.exerciseModel());
  QCOMPARE(w.exerciseModel()->nodeCount(), 35);

  // MSEL: 6 injects; inj-01 goes to both player teams, inj-04 to the White Cell only (the control lane)
  const PlanTimeline* t = w.timeline();
  QCOMPARE(t->lanes(), QStringList({"cert-gov", "cert-energy", "control"}));
  QCOMPARE(t->injectMarks().size(), 7);
  QStringList ids;
  for (const auto& m : t->injectMarks())
    if (!ids.contains(m.inject))
      ids << m.inject;
  QCOMPARE(ids, QStringList({"inj-01", "inj-02", "inj-03", "inj-04", "inj-05", "inj-06"}));
  QCOMPARE(int(loaded.scenario->msel.size()), ids.size());
  auto mark = [&](const QString& inject, const QString& lane) {
    for (const auto& m : t->injectMarks())
      if (m.inject == inject && m.lane == lane)
        return m;
    return PlanTimeline::InjectMark{};
  };
  QCOMPARE(mark("inj-01", "cert-gov").time, 900.0); // "H+0 M+15"
  QCOMPARE(mark("inj-01", "cert-energy").time, 900.0);
  QCOMPARE(mark("inj-04", "control").timed, false);         // released by node_compromised
  QCOMPARE(mark("inj-05", "cert-energy").time, 4 * 3600.0); // move-2 (4h) "M+0"
  QVERIFY(mark("inj-05", "cert-energy").timed);
  QCOMPARE(t->moveBands().size(), 2);
  QCOMPARE(t->moveBands()[1].from, 4 * 3600.0);
  QCOMPARE(t->moveBands()[1].to, 8 * 3600.0);

  // the main file and what it reads are watched (the copy of Abilene.graphml)
  QVERIFY2(w.watchedFiles().contains(QFileInfo(m_file).absoluteFilePath()), qPrintable(w.watchedFiles().join(' ')));
  QVERIFY2(w.watchedFiles().contains(QFileInfo(m_dir.filePath("topologies/Abilene.graphml")).absoluteFilePath()),
           qPrintable(w.watchedFiles().join(' ')));
  QCOMPARE(w.diagnosticsView()->topLevelItemCount(), 0);
}

void PlanTest::analysisOverlaysAreTheCoresResults()
{
  PlanWindow w(m_file);
  QTRY_COMPARE_WITH_TIMEOUT(w.loadCount(), 1, reload_timeout_ms);
  const auto loaded = cyberex::load_scenario(m_file.toStdString());
  QVERIFY(loaded.ok());
  const cyberex::Analysis a = cyberex::analyze(*loaded.scenario);
  QList<QStringList> expected;
  QStringList labels;
  for (const auto& p : a.attack_paths)
    if (!p.path.empty()) {
      QStringList nodes;
      for (const auto& h : p.path)
        nodes << QString::fromStdString(h.node);
      expected << nodes;
      labels << QString::fromStdString(p.campaign);
    }
  QVERIFY(!expected.isEmpty()); // the tutorial's campaigns reach their goals
  QCOMPARE(w.attackOverlays().size(), expected.size());
  for (int i = 0; i < expected.size(); ++i) {
    QCOMPARE(w.attackOverlays()[i].nodes, expected[i]);
    QCOMPARE(w.attackOverlays()[i].label, labels[i]);
  }
  // distinct colours for the campaigns
  QSet<QRgb> colours;
  for (const auto& o : w.attackOverlays())
    colours.insert(o.color.rgb());
  QCOMPARE(colours.size(), w.attackOverlays().size());
  QStringList spofs;
  for (const auto& p : a.articulation_points)
    spofs << QString::fromStdString(p.node);
  QVERIFY(!spofs.isEmpty());
  QCOMPARE(w.spofNodes(), spofs);
  // the side panel lists one row per campaign and per network SPOF
  QTreeWidget* v = w.analysisView();
  QCOMPARE(v->topLevelItem(0)->childCount(), int(a.attack_paths.size()));
  QCOMPARE(v->topLevelItem(1)->childCount(), spofs.size());
  QCOMPARE(v->topLevelItem(1)->child(0)->text(0), spofs[0]);
}

void PlanTest::reloadsBrokenThenFixedFile()
{
  PlanWindow w(m_file);
  w.setDebounce(50);
  QTRY_COMPARE_WITH_TIMEOUT(w.loadCount(), 1, reload_timeout_ms);
  QVERIFY(!w.lastLoadFailed());
  const cyberex::Scenario* good = w.scenario();

  // 1. an unknown node in a link, saved in place
  const QByteArray link = R"("id": "gov-core", "a": "gov-fw", "b": "gov-sw")";
  QVERIFY(m_good.contains(link));
  QByteArray broken = m_good;
  broken.replace(link, R"("id": "gov-core", "a": "gov-fw", "b": "gov-swx")");
  QVERIFY(writeInPlace(m_file, broken));
  QTRY_COMPARE_WITH_TIMEOUT(w.loadCount(), 2, reload_timeout_ms);
  QVERIFY(w.lastLoadFailed());
  QCOMPARE(w.diagnostics().size(), std::size_t(1));
  const Diagnostic& d = w.diagnostics()[0];
  const auto [line, column] = lineColumnOf(broken, R"("gov-swx")");
  QCOMPARE(line, 87);
  QCOMPARE(QString::fromStdString(d.file), QFileInfo(m_file).absoluteFilePath());
  QCOMPARE(d.line, line);
  QCOMPARE(d.column, column);
  QVERIFY(d.severity == Diagnostic::Severity::error);
  QCOMPARE(QString::fromStdString(d.code), QString("scenario.unknown-node"));
  QCOMPARE(QString::fromStdString(d.message), QString("no node 'gov-swx'; did you mean 'gov-sw'?"));
  // the panel shows it; the map keeps the last good scenario
  QCOMPARE(w.diagnosticsView()->topLevelItemCount(), 1);
  QTreeWidgetItem* item = w.diagnosticsView()->topLevelItem(0);
  QCOMPARE(item->text(0), QString("error"));
  QCOMPARE(item->text(1), QString("tutorial.json:%1:%2").arg(line).arg(column)); // relative to the main file's folder
  QCOMPARE(item->text(3), QString("no node 'gov-swx'; did you mean 'gov-sw'?"));
  QCOMPARE(w.scenario(), good);
  QCOMPARE(w.mapView()->nodeCount(), 35);

  // clicking it opens the file at the line in $EDITOR (captured here)
  qputenv("VISUAL", "");
  qputenv("EDITOR", "vim");
  QList<EditorCommand> launched;
  w.setEditorLauncher([&](const EditorCommand& c, const QString&) { launched << c; });
  const QRect r = w.diagnosticsView()->visualItemRect(item);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QTest::mouseClick(w.diagnosticsView()->viewport(), Qt::LeftButton, {}, r.center());
  QCOMPARE(launched.size(), 1);
  QCOMPARE(launched[0].program, QString("vim"));
  QCOMPARE(launched[0].arguments, QStringList({QString("+%1").arg(line), QFileInfo(m_file).absoluteFilePath()}));
  QVERIFY(launched[0].terminal);

  // 2. a JSON syntax error, saved by writing a new file and renaming it over the old one: the watch follows
  QByteArray syntax = m_good;
  const QByteArray pair = R"("a": "gov-fw", "b": "gov-sw")";
  syntax.replace(pair, R"("a": "gov-fw" "b": "gov-sw")");
  QVERIFY(writeByRename(m_file, syntax));
  QTRY_COMPARE_WITH_TIMEOUT(w.loadCount(), 3, reload_timeout_ms);
  QVERIFY(w.lastLoadFailed());
  QCOMPARE(w.diagnostics().size(), std::size_t(1));
  const Diagnostic& s = w.diagnostics()[0];
  // nlohmann/json stops after reading the string "b": the position is its closing quote
  const auto [sline, scolumn] = lineColumnOf(syntax, R"("gov-fw" "b")", 11);
  QCOMPARE(sline, 87);
  QCOMPARE(QString::fromStdString(s.file), QFileInfo(m_file).absoluteFilePath());
  QCOMPARE(s.line, sline);
  QCOMPARE(s.column, scolumn);
  QCOMPARE(QString::fromStdString(s.code), QString("json.syntax"));
  QCOMPARE(QString::fromStdString(s.message),
           QString("syntax error while parsing object - unexpected string literal; expected '}'"));
  QCOMPARE(w.scenario(), good);
  QVERIFY(w.watchedFiles().contains(QFileInfo(m_file).absoluteFilePath()));

  // 3. fixed again (by rename too): the diagnostics clear and the map is back on the new scenario
  QVERIFY(writeByRename(m_file, m_good));
  QTRY_COMPARE_WITH_TIMEOUT(w.loadCount(), 4, reload_timeout_ms);
  QVERIFY2(!w.lastLoadFailed(), qPrintable(describe(w.diagnostics())));
  QVERIFY(w.diagnostics().empty());
  QCOMPARE(w.diagnosticsView()->topLevelItemCount(), 0);
  QVERIFY(w.scenario() != good);
  QCOMPARE(w.mapView()->nodeCount(), 35);
  QCOMPARE(w.timeline()->injectMarks().size(), 7);

  // 4. and a save after the rename is still seen
  QByteArray retitled = m_good;
  retitled.replace("Tutorial: one agency", "Tutorial (edited): one agency");
  QVERIFY(writeInPlace(m_file, retitled));
  QTRY_COMPARE_WITH_TIMEOUT(w.loadCount(), 5, reload_timeout_ms);
  QVERIFY(!w.lastLoadFailed());
  QCOMPARE(QString::fromStdString(w.scenario()->exercise.title),
           QString("Tutorial (edited): one agency, one utility, one bad day"));
  QVERIFY(writeInPlace(m_file, m_good));
  QTRY_COMPARE_WITH_TIMEOUT(w.loadCount(), 6, reload_timeout_ms);
}

void PlanTest::brokenScenarioStillOpens()
{
  QTemporaryDir dir;
  const QString file = dir.filePath("broken.json");
  QVERIFY(writeInPlace(file, "{\n  \"cyberex\": 1,\n  \"exercise\": {\n"));
  PlanWindow w(file);
  QSignalSpy loaded(&w, &PlanWindow::loaded);
  QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, reload_timeout_ms);
  QCOMPARE(loaded[0][0].toBool(), false);
  QVERIFY(w.scenario() == nullptr);
  QCOMPARE(w.mapView()->nodeCount(), 0);
  QVERIFY(w.timeline()->injectMarks().isEmpty());
  QVERIFY(!w.diagnostics().empty());
  QCOMPARE(QString::fromStdString(w.diagnostics()[0].file), QFileInfo(file).absoluteFilePath());
  QCOMPARE(QString::fromStdString(w.diagnostics()[0].code), QString("json.syntax"));
  QCOMPARE(w.diagnosticsView()->topLevelItemCount(), int(w.diagnostics().size()));
}

void PlanTest::editorCommandLines()
{
  const QString f = "/tmp/x/tutorial.json";
  QCOMPARE(editorCommand("vim", f, 87, 47), (EditorCommand{"vim", {"+87", f}, true}));
  QCOMPARE(editorCommand("/usr/bin/nvim", f, 3), (EditorCommand{"/usr/bin/nvim", {"+3", f}, true}));
  QCOMPARE(editorCommand("code", f, 87, 47), (EditorCommand{"code", {"-g", f + ":87:47"}, false}));
  QCOMPARE(editorCommand("code --wait", f, 87), (EditorCommand{"code", {"--wait", "-g", f + ":87"}, false}));
  QCOMPARE(editorCommand("nano", f, 87, 47), (EditorCommand{"nano", {"+87,47", f}, true}));
  QCOMPARE(editorCommand("emacsclient -n", f, 87, 47), (EditorCommand{"emacsclient", {"-n", "+87:47", f}, false}));
  QCOMPARE(editorCommand("subl", f, 87, 47), (EditorCommand{"subl", {f + ":87:47"}, false}));
  QCOMPARE(editorCommand("gedit", f, 87, 47), (EditorCommand{"gedit", {f}, false}));
  QCOMPARE(editorCommand("vim", f, 0), (EditorCommand{"vim", {f}, true})); // no line known
  QCOMPARE(editorCommand("\"/opt/my editor/vim\"", f, 2), (EditorCommand{"/opt/my editor/vim", {"+2", f}, true}));
  QCOMPARE(editorCommand("", f, 87), EditorCommand{});
  // $VISUAL before $EDITOR
  qputenv("VISUAL", "code");
  qputenv("EDITOR", "vim");
  QCOMPARE(cyberex::gui::editorFromEnvironment(), QString("code"));
  qputenv("VISUAL", "");
  QCOMPARE(cyberex::gui::editorFromEnvironment(), QString("vim"));
  // a terminal editor runs in $TERMINAL
  qputenv("TERMINAL", "xterm");
  QCOMPARE(cyberex::gui::inTerminal(editorCommand("vim", f, 5)),
           (EditorCommand{"xterm", {"-e", "vim", "+5", f}, false}));
  QCOMPARE(cyberex::gui::inTerminal(editorCommand("code", f, 5)), editorCommand("code", f, 5));
}

void PlanTest::planWithoutScenarioExits()
{
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("QT_QPA_PLATFORM", "offscreen");
  QTemporaryDir runtime; // else Qt says on stderr that XDG_RUNTIME_DIR is not set
  QVERIFY(runtime.isValid());
  QVERIFY(QFile::setPermissions(runtime.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
  env.insert("XDG_RUNTIME_DIR", runtime.path());
  p.setProcessEnvironment(env);
  p.start(CYBEREX_GUI_BINARY, {"--plan"});
  QVERIFY(p.waitForFinished(20000));
  QCOMPARE(p.exitStatus(), QProcess::NormalExit);
  QCOMPARE(p.exitCode(), 1);
  QCOMPARE(QString::fromUtf8(p.readAllStandardError()),
           QString("cyberex-gui: --plan needs --scenario FILE (the scenario to open in planning mode)\n"));
  p.start(CYBEREX_GUI_BINARY, {"--plan", "--scenario", m_file, "--journal", "x.journal"});
  QVERIFY(p.waitForFinished(20000));
  QCOMPARE(p.exitCode(), 1);
  QCOMPARE(QString::fromUtf8(p.readAllStandardError()),
           QString("cyberex-gui: --plan goes with --scenario only, not with --journal\n"));
}

void PlanTest::screenshots()
{
  const QString dir = qEnvironmentVariable("CYBEREX_GUI_SCREENSHOTS");
  if (dir.isEmpty())
    QSKIP("set CYBEREX_GUI_SCREENSHOTS=DIR to save the screenshots");
  // Cyber Atlantic 2011 as loaded, then saved with a planted error (a link to a misspelt node in energy.json) and a
  // warning (a country code in lower case): the last good view stays, the diagnostics say what is wrong
  QTemporaryDir tmp;
  QVERIFY(copyScenario("cyber-atlantic-2011", tmp.path()));
  const QString main = tmp.filePath("cyber-atlantic-2011/cyber-atlantic-2011.json");
  const QString energy = tmp.filePath("cyber-atlantic-2011/energy.json");
  PlanWindow w(main);
  w.setDebounce(50);
  QTRY_COMPARE_WITH_TIMEOUT(w.loadCount(), 1, 30000);
  QVERIFY2(!w.lastLoadFailed(), qPrintable(describe(w.diagnostics())));
  QByteArray text = readAll(energy);
  QVERIFY(text.contains(R"("b": "ot-fw",)") && text.contains(R"("country": "DE",)"));
  text.replace(text.indexOf(R"("b": "ot-fw",)"), 13, R"("b": "otfw",)");
  text.replace(text.indexOf(R"("country": "DE",)"), 16, R"("country": "de",)");
  QVERIFY(writeInPlace(energy, text));
  QTRY_COMPARE_WITH_TIMEOUT(w.loadCount(), 2, 30000);
  QVERIFY(w.lastLoadFailed());
  // the two planted, besides what the shipped scenario already has (cyberex validate: two scenario.not-physical)
  QStringList planted;
  for (int i = 0; i < w.diagnosticsView()->topLevelItemCount(); ++i) {
    const QTreeWidgetItem* item = w.diagnosticsView()->topLevelItem(i);
    if (item->text(2) != "scenario.not-physical")
      planted << item->text(0) + " " + QFileInfo(item->text(1)).fileName() + " " + item->text(3);
  }
  QCOMPARE(planted, QStringList({"warning energy.json:8:18 country code 'de' is not in capitals; ISO 3166 codes are "
                                 "written 'DE'",
                                 "error energy.json:959:12 no node 'otfw'; did you mean 'ot-fw'?"}));
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  for (const QSize& size : {QSize(1600, 1000), QSize(1280, 800)}) {
    w.resize(size);
    QTest::qWait(300);
    w.mapView()->fitAll();
    QTest::qWait(300);
    const QString name = size.width() == 1600 ? "gui-plan.png" : "gui-plan-1280.png";
    QVERIFY(w.grab().save(dir + "/" + name));
  }
}

// the offscreen platform's screen is 800x600 unless told: a 1600x1000 desktop (tests/gui/data/screen-1600x1000.json)
int main(int argc, char** argv)
{
  if (qgetenv("QT_QPA_PLATFORM") == "offscreen")
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" CYBEREX_SOURCE_DIR "/tests/gui/data/screen-1600x1000.json");
  QApplication app(argc, argv);
  PlanTest test;
  QTEST_SET_MAIN_SOURCE_PATH
  return QTest::qExec(&test, argc, argv);
}

#include "plan_test.moc"
