/* Screenshots of the map, the dashboard and the after-action player on a journal, offscreen (QWidget::grab()).
 *
 *   cyberex-gui-shot map|grid|dashboard|aar JOURNAL OUT.png [--time T] [--size WxH] [--team TEAM] [--search TEXT]
 *                    [--center NODE] [--zoom PIXELS_PER_KM] [--pan DX,DY] [--view map|grid] [--grid GRID]
 *
 * The views show the journal's state at T (default: its end), folded by the core's Timeline; T is read and clamped as
 * cyberex replay --at reads it ("5h20m", "90m", "3600", "5:20"; past the end: the end, with a note); the map is
 * fitted to the window unless centred on a node (with a zoom, and then moved by a pan in pixels). The player shows
 * the map, or with --view grid its grid view; `grid` is the grid view alone (of GRID, else the first networked grid).
 * Used by scripts/screenshots.sh. */
#include "aar/aar_player.hpp"
#include "charts/dashboard.hpp"
#include "grid/grid_view.hpp"
#include "map/map_view.hpp"
#include "state/exercise_state_model.hpp"

#include "cyberex/exercise_time.hpp"
#include "cyberex/journal.hpp"

#include <QApplication>
#include <QEventLoop>
#include <QPixmap>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

using namespace cyberex::gui;

namespace {

int fail(const QString& message)
{
  std::fprintf(stderr, "cyberex-gui-shot: %s\n", qPrintable(message));
  return 1;
}

bool save(QWidget& w, const QString& out)
{
  QApplication::processEvents();
  const QPixmap shot = w.grab();
  if (!shot.save(out))
    return false;
  std::printf("wrote %s (%dx%d)\n", qPrintable(out), shot.width(), shot.height());
  return true;
}

/// The time shown for `time` in a journal reaching `end`, with cyberex replay --at's note on stderr when clamped.
double note(double time, double end)
{
  const cyberex::TimeInJournal t = cyberex::time_in_journal(time, end);
  if (!t.note.empty())
    std::fprintf(stderr, "cyberex-gui-shot: note: %s\n", t.note.c_str());
  return t.time;
}

void frame(MapView& map, const QString& center, double zoom, QPointF pan)
{
  if (center.isEmpty())
    return;
  if (zoom > 0)
    map.setZoom(zoom);
  map.centerOn(map.nodePosition(center));
  map.panBy(pan);
}

} // namespace

int main(int argc, char** argv)
{
  if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  if (argc < 4)
    return fail("usage: cyberex-gui-shot map|grid|dashboard|aar JOURNAL OUT.png [--time T] [--size WxH] [--team TEAM] "
                "[--search TEXT] [--center NODE] [--zoom PIXELS_PER_KM] [--pan DX,DY] [--view map|grid] [--grid GRID]");
  const QString what = QString::fromLocal8Bit(argv[1]);
  const QString journalPath = QString::fromLocal8Bit(argv[2]);
  const QString out = QString::fromLocal8Bit(argv[3]);
  double time = -1;
  QSize size(1600, 1000);
  QString team, search, center, view = QStringLiteral("map"), grid;
  double zoom = 0;
  QPointF pan;
  for (int i = 4; i < argc; i += 2) {
    if (i + 1 >= argc)
      return fail(QStringLiteral("%1 needs a value").arg(QString::fromLocal8Bit(argv[i])));
    const QString value = QString::fromLocal8Bit(argv[i + 1]);
    if (!std::strcmp(argv[i], "--time")) {
      const auto t = cyberex::parse_exercise_time(value.toStdString());
      if (!t)
        return fail(QStringLiteral("--time expects %1, got '%2'")
                        .arg(QString::fromStdString(cyberex::exercise_time_forms()), value));
      time = *t;
    } else if (!std::strcmp(argv[i], "--size"))
      size = QSize(value.section('x', 0, 0).toInt(), value.section('x', 1, 1).toInt());
    else if (!std::strcmp(argv[i], "--team"))
      team = value;
    else if (!std::strcmp(argv[i], "--search"))
      search = value;
    else if (!std::strcmp(argv[i], "--center"))
      center = value;
    else if (!std::strcmp(argv[i], "--zoom"))
      zoom = value.toDouble();
    else if (!std::strcmp(argv[i], "--view") && (value == QLatin1String("map") || value == QLatin1String("grid")))
      view = value;
    else if (!std::strcmp(argv[i], "--grid"))
      grid = value;
    else if (!std::strcmp(argv[i], "--pan"))
      pan = QPointF(value.section(',', 0, 0).toDouble(), value.section(',', 1, 1).toDouble());
    else
      return fail(QStringLiteral("unknown option '%1'").arg(QString::fromLocal8Bit(argv[i])));
  }

  if (what == QLatin1String("aar")) {
    AarPlayer player;
    player.resize(size);
    QEventLoop loop;
    QString error;
    QObject::connect(&player, &AarPlayer::journalOpened, &loop, [&] { loop.quit(); });
    QObject::connect(&player, &AarPlayer::openFailed, &loop, [&](const QString& e) {
      error = e;
      loop.quit();
    });
    player.openJournal(journalPath);
    loop.exec();
    if (!player.isLoaded())
      return fail(error);
    player.show();
    if (!team.isEmpty())
      player.setTeamView(team);
    if (time >= 0)
      note(time, player.duration());
    player.seek(time < 0 ? player.duration() : time);
    player.showView(view);
    if (!grid.isEmpty()) {
      if (!player.gridView()->grids().contains(grid))
        return fail(QStringLiteral("no networked grid '%1'; the scenario's: %2")
                        .arg(grid, player.gridView()->grids().join(QStringLiteral(", "))));
      player.gridView()->setGrid(grid);
    }
    QApplication::processEvents();
    player.gridView()->refresh();
    player.gridView()->fitAll();
    frame(*player.mapView(), center, zoom, pan);
    if (!search.isEmpty())
      player.mapView()->search(search);
    return save(player, out) ? 0 : fail("cannot write " + out);
  }

  auto timeline = std::make_shared<cyberex::Timeline>();
  std::string error;
  if (!timeline->open(journalPath.toStdString(), &error))
    return fail(QString::fromStdString(error));
  const double end = timeline->duration();
  const double at = time < 0 ? end : note(time, end);
  ExerciseStateModel model;
  model.setScenario(std::shared_ptr<const cyberex::Scenario>(timeline, &timeline->scenario()));

  if (what == QLatin1String("map")) {
    model.reset(timeline->fold_to(at), at);
    MapView map;
    map.resize(size);
    map.setModel(&model);
    map.setTeamView(team);
    map.show();
    frame(map, center, zoom, pan);
    if (!search.isEmpty())
      map.search(search);
    return save(map, out) ? 0 : fail("cannot write " + out);
  }
  if (what == QLatin1String("grid")) {
    model.reset(timeline->fold_to(at), at);
    GridView gridView;
    gridView.resize(size);
    gridView.setModel(&model);
    gridView.setTeamView(team);
    if (!grid.isEmpty()) {
      if (!gridView.grids().contains(grid))
        return fail(QStringLiteral("no networked grid '%1'; the scenario's: %2")
                        .arg(grid, gridView.grids().join(QStringLiteral(", "))));
      gridView.setGrid(grid);
    }
    gridView.show();
    QApplication::processEvents();
    gridView.refresh();
    gridView.fitAll();
    return save(gridView, out) ? 0 : fail("cannot write " + out);
  }
  if (what == QLatin1String("dashboard")) {
    model.reset(timeline->fold_to(end), end);
    Dashboard dash;
    dash.resize(size);
    dash.setModel(&model);
    dash.setTimeRange(end);
    if (time >= 0)
      dash.setCursorTime(at);
    dash.show();
    return save(dash, out) ? 0 : fail("cannot write " + out);
  }
  return fail("expected map, grid, dashboard or aar, not '" + what + "'");
}
