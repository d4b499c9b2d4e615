/* The controller's map in a window of its own for a projector (issue 18), on a live local drill of Cyber Atlantic
 * 2011: View -> Map in its own window (or the map toolbar's button) moves the map and its toolbar into a top-level
 * window with the same team view, selection, zoom and centre; unchecking the action or closing that window brings it
 * back to the Map tab. With CYBEREX_GUI_SHOTS=DIR it also writes the docs' screenshots of the detached map, the event
 * log at 1280x800 and the Drill info dialog there. */
#include "console_support.hpp"

#include "console/controller_window.hpp"
#include "console/toast.hpp"
#include "map/map_view.hpp"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QScreen>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>

#include <cmath>

using namespace cyberex::gui;
using namespace cyberex::gui::test;

namespace {

constexpr const char* ca2011 = CYBEREX_SOURCE_DIR "/scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json";

/// The texts of the View menu's actions, '&' removed.
QStringList viewMenu(QMainWindow& window)
{
  for (QAction* a : window.menuBar()->actions())
    if (a->menu() && a->text() == "&View") {
      QStringList out;
      for (QAction* item : a->menu()->actions())
        if (!item->isSeparator())
          out.append(item->text().remove('&'));
      return out;
    }
  return {};
}

} // namespace

class MapWindowTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void detachesAndComesBack();
  void closingTheWindowBringsTheMapBack();
  void screenshots();
  void cleanupTestCase();

private:
  /// The map's view as it is: team view, selection, zoom and centre.
  void checkViewKept();

  LocalServer m_server;
  Client m_control;
  std::unique_ptr<ControllerWindow> m_window;
  MapView* m_map = nullptr;
  QPointF m_centre;
  double m_zoom = 0;
};

void MapWindowTest::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);
  useBuiltBinary();
  const QString error = startServer(m_server, ca2011);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  QString error2;
  const ScenarioCatalog catalog = ScenarioCatalog::load(ca2011, &error2);
  QVERIFY2(catalog.loaded, qPrintable(error2));
  m_control.state->setCatalog(catalog);
  m_control.connection->setReconnectDelay(0);
  m_control.connection->open(m_server.url(), m_server.tokens().value("controller"));
  QVERIFY(QTest::qWaitFor([&] { return m_control.state->hasSnapshot(); }, start_timeout_ms));
  m_window = std::make_unique<ControllerWindow>(m_control.state.get());
  m_window->setDrillAccess(m_server.url(), m_server.tokens());
  m_window->setLocalDrill(&m_server);
  m_window->resize(1600, 1000);
  m_window->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
  m_map = qobject_cast<MapView*>(m_window->mapWidget());
  QVERIFY(m_map);
  // 3 h into the drill: the campaign has touched cert-de's network
  call(m_control.state.get(), {{"type", "step"}, {"to", "time"}, {"time", "3h"}});
  QTRY_COMPARE_WITH_TIMEOUT(m_control.state->clock().time, 10800.0, reply_timeout_ms);
}

void MapWindowTest::checkViewKept()
{
  QCOMPARE(m_map->teamView(), QString("cert-de"));
  QCOMPARE(m_map->selectedNode(), QString("de-fs"));
  QVERIFY2(std::abs(m_map->zoom() - m_zoom) < 1e-9, qPrintable(QString::number(m_map->zoom())));
  QVERIFY2(std::abs(m_map->viewCenter().x() - m_centre.x()) < 1e-6 &&
               std::abs(m_map->viewCenter().y() - m_centre.y()) < 1e-6,
           qPrintable(QString("%1,%2").arg(m_map->viewCenter().x()).arg(m_map->viewCenter().y())));
}

void MapWindowTest::detachesAndComesBack()
{
  ControllerWindow& w = *m_window;
  QAction* detach = w.detachMapAction();
  QVERIFY(detach && detach->isCheckable() && !detach->isChecked());
  QVERIFY(viewMenu(w).contains("Map in its own window"));
  QVERIFY(viewMenu(w).contains("Dashboard in its own window"));
  // a team's view, a node selected, zoomed in on it
  auto* teamView = w.findChild<QComboBox*>("mapView");
  QVERIFY(teamView);
  teamView->setCurrentIndex(teamView->findData("cert-de"));
  m_map->selectNode("de-fs");
  m_map->setZoom(2 * m_map->zoom());
  m_map->centerOn(m_map->nodePosition("de-fs") + QPointF(10, -5));
  m_zoom = m_map->zoom();
  m_centre = m_map->viewCenter();
  auto* button = w.findChild<QToolButton*>("detachMapButton");
  QVERIFY(button);
  QVERIFY(button->isCheckable() && !button->isChecked());

  detach->trigger();
  QVERIFY(w.isMapDetached());
  QPointer<QWidget> own = w.mapWindow();
  QVERIFY(own);
  QVERIFY(own->isWindow());
  QVERIFY(own.data() != &w);
  QVERIFY(own->isVisible());
  QCOMPARE(m_map->window(), own.data());
  // the toolbar went with it: team view, search, fit and the button, now checked
  QCOMPARE(teamView->window(), own.data());
  QCOMPARE(button->window(), own.data());
  QVERIFY(button->isChecked());
  QVERIFY(own->findChild<QLineEdit*>());
  QVERIFY2(own->width() >= 1000 && own->height() >= 700,
           qPrintable(QString("%1x%2").arg(own->width()).arg(own->height())));
  QVERIFY(m_map->isVisible());
  checkViewKept();
  // the Map tab says where the map went
  w.tabs()->setCurrentIndex(0);
  auto* note = w.findChild<QWidget*>("mapAwayNote");
  QVERIFY(note && note->isVisible());
  // the rest of the console works as before: another tab, the map stays in its window
  w.tabs()->setCurrentIndex(3);
  QVERIFY(m_map->isVisible());

  // unchecked: back in the Map tab, the window closes (and is deleted)
  detach->setChecked(false);
  QVERIFY(!w.isMapDetached());
  QCOMPARE(m_map->window(), static_cast<QWidget*>(&w));
  QCOMPARE(teamView->window(), static_cast<QWidget*>(&w));
  QVERIFY(!button->isChecked());
  QTRY_VERIFY(own.isNull());
  w.tabs()->setCurrentIndex(0);
  QVERIFY(m_map->isVisible());
  QVERIFY(!note->isVisible());
  checkViewKept();
}

void MapWindowTest::closingTheWindowBringsTheMapBack()
{
  ControllerWindow& w = *m_window;
  w.tabs()->setCurrentIndex(0);
  auto* button = w.findChild<QToolButton*>("detachMapButton");
  button->click(); // the toolbar's button does what the menu does
  QVERIFY(w.isMapDetached());
  QVERIFY(w.detachMapAction()->isChecked());
  QPointer<QWidget> own = w.mapWindow();
  QCOMPARE(m_map->window(), own.data());
  checkViewKept();
  // the presenter closes the projector's window: the map is back, the action unchecked
  QVERIFY(own->close());
  QVERIFY(!w.isMapDetached());
  QVERIFY(!w.detachMapAction()->isChecked());
  QCOMPARE(m_map->window(), static_cast<QWidget*>(&w));
  QTRY_VERIFY(own.isNull());
  QVERIFY(m_map->isVisible());
  checkViewKept();
  // and it detaches again after that
  w.detachMapAction()->setChecked(true);
  QVERIFY(w.mapWindow() && w.mapWindow() != own.data());
  QCOMPARE(m_map->window(), w.mapWindow());
  w.setMapDetached(false);
  QVERIFY(!w.detachMapAction()->isChecked());
}

void MapWindowTest::screenshots()
{
  const QString dir = qEnvironmentVariable("CYBEREX_GUI_SHOTS");
  if (dir.isEmpty())
    QSKIP("set CYBEREX_GUI_SHOTS to a folder to write docs/gui-map-window*.png, gui-eventlog-1280.png and "
          "gui-drill-info.png");
  ControllerWindow& w = *m_window;
  call(m_control.state.get(), {{"type", "step"}, {"to", "time"}, {"time", "5h"}});
  QTRY_COMPARE_WITH_TIMEOUT(m_control.state->clock().time, 18000.0, reply_timeout_ms);
  // the event log at 1280x800 with a record's details (once the steps' toasts are gone)
  QTRY_VERIFY_WITH_TIMEOUT(w.toasts()->messages().isEmpty(), 2 * ToastArea::lifetime_ms);
  w.resize(1280, 800);
  w.tabs()->setCurrentWidget(w.tabs()->widget(3));
  QTest::qWait(300);
  w.eventView()->selectRow(w.eventView()->model()->rowCount() - 1);
  QTest::qWait(200);
  QVERIFY(w.grab().save(QDir(dir).filePath("gui-eventlog-1280.png")));
  // the map in its own window, the ground truth fitted, a node selected with its history beside
  w.resize(1600, 1000);
  auto* teamView = w.findChild<QComboBox*>("mapView");
  teamView->setCurrentIndex(teamView->findData(QString()));
  m_map->selectNode("de-fs-restricted");
  w.detachMapAction()->setChecked(true);
  QWidget* own = w.mapWindow();
  for (const QSize size : {QSize(1600, 1000), QSize(1280, 800)}) {
    own->resize(size);
    QTest::qWait(200);
    m_map->fitAll(); // then closer: the German CERT's network around the selected server
    m_map->setZoom(m_map->zoom() * 60);
    m_map->centerOn(m_map->nodePosition("de-fs-restricted"));
    QTest::qWait(200);
    const QString name = size.width() == 1600 ? "gui-map-window.png" : "gui-map-window-1280.png";
    QVERIFY(own->grab().save(QDir(dir).filePath(name)));
  }
  // the controller meanwhile: the note in the Map tab
  w.tabs()->setCurrentIndex(0);
  w.setMapDetached(false);
  // File -> Drill info of this drill
  QDialog* info = w.openDrillInfo();
  QVERIFY(QTest::qWaitForWindowExposed(info));
  QTest::qWait(200);
  QVERIFY(info->grab().save(QDir(dir).filePath("gui-drill-info.png")));
  info->close();
}

void MapWindowTest::cleanupTestCase()
{
  m_window.reset();
  m_server.stop();
}

// the White Cell's usual screen, 1600x1000 (offscreen's default is 800x600, and the console fits its screen)
int main(int argc, char** argv)
{
  if (qgetenv("QT_QPA_PLATFORM") == "offscreen")
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" CYBEREX_SOURCE_DIR "/tests/gui/data/screen-1600x1000.json");
  QApplication app(argc, argv);
  MapWindowTest test;
  QTEST_SET_MAIN_SOURCE_PATH
  return QTest::qExec(&test, argc, argv);
}

#include "map_window_test.moc"
