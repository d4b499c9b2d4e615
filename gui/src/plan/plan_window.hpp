/* Planning mode (issue 19): `cyberex-gui --scenario FILE --plan` opens a scenario without running it: the map, the
 * dependency view, the MSEL as a timeline, the analysis (attack paths per campaign, single points of failure) drawn
 * on the map and listed, and the loader's diagnostics. The scenario's files are watched and reloaded on save; a
 * broken file keeps the last good view and shows what is wrong. */
#pragma once

#include "cyberex/analysis.hpp"
#include "cyberex/diagnostic.hpp"
#include "map/map_view.hpp"
#include "plan/editor_command.hpp"

#include <QDateTime>
#include <QFileSystemWatcher>
#include <QHash>
#include <QMainWindow>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

class QLabel;
class QSplitter;
class QTabWidget;
class QTreeWidget;

namespace cyberex {
struct Scenario;
}

namespace cyberex::gui {

class DependencyView;
class ExerciseStateModel;
class PlanTimeline;

class PlanWindow : public QMainWindow {
  Q_OBJECT
public:
  /// Open SCENARIOFILE (made absolute): loads it at once, on a worker thread (loaded follows).
  explicit PlanWindow(const QString& scenarioFile, QWidget* parent = nullptr);
  ~PlanWindow() override;

  QString scenarioFile() const { return m_file; }
  /// Load the scenario again now (a save does it after the debounce delay).
  void reload();
  /// Milliseconds between the last change seen on disk and the reload (default 300): editors write in bursts.
  void setDebounce(int ms) { m_debounce.setInterval(ms); }
  int loadCount() const { return m_loads; } ///< loads finished since the window opened

  /// The last scenario that loaded without error (null if none has): what the views show.
  const Scenario* scenario() const;
  const Analysis& analysis() const { return m_analysis; }
  /// The diagnostics of the last load, in the loader's order (errors keep the last good view).
  const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }
  bool lastLoadFailed() const { return m_failed; }
  QStringList watchedFiles() const; ///< absolute paths, sorted

  /// What the window passed to the map: one path per campaign whose goal is reachable, the network SPOFs.
  const QList<MapView::OverlayPath>& attackOverlays() const { return m_overlays; }
  const QStringList& spofNodes() const { return m_spofs; }

  MapView* mapView() const { return m_map; }
  DependencyView* dependencyView() const { return m_deps; }
  PlanTimeline* timeline() const { return m_timeline; }
  QTreeWidget* diagnosticsView() const { return m_diagView; }
  QTreeWidget* analysisView() const { return m_analysisView; }
  QTabWidget* tabs() const { return m_tabs; }
  ExerciseStateModel* exerciseModel() const { return m_model; }

  /// Open diagnostic ROW's file at its line: the command from $VISUAL or $EDITOR (editorCommand, in a terminal when
  /// the editor needs one), else the desktop's default application for the file.
  void openDiagnostic(int row);
  /// Replaces the launch (for tests): receives the editor command (empty program: the desktop would open FILE).
  using EditorLauncher = std::function<void(const EditorCommand& command, const QString& file)>;
  void setEditorLauncher(EditorLauncher launcher) { m_launcher = std::move(launcher); }

signals:
  /// A load finished: OK false when it had errors (the view kept the last good scenario).
  void loaded(bool ok);

private:
  struct LoadOutcome;
  void startLoad();
  void applyLoad(const std::shared_ptr<LoadOutcome>& outcome);
  void showDiagnostics();
  void showAnalysis();
  void watch(const QStringList& files);
  void onFileChanged(const QString& path);
  void onDirectoryChanged(const QString& path);

  QString m_file;
  std::shared_ptr<const Scenario> m_scenario;
  Analysis m_analysis;
  std::vector<Diagnostic> m_diagnostics;
  bool m_failed = false;
  int m_loads = 0;
  bool m_loading = false;
  bool m_reloadAgain = false; ///< a change came while loading: load again when done
  QList<MapView::OverlayPath> m_overlays;
  QStringList m_spofs;
  QStringList m_files;                ///< the scenario's files as last known (what is watched)
  QHash<QString, QDateTime> m_stamps; ///< their modification times, to tell a replaced file from directory noise
  QFileSystemWatcher m_watcher;
  QTimer m_debounce;
  EditorLauncher m_launcher;

  ExerciseStateModel* m_model = nullptr;
  MapView* m_map = nullptr;
  DependencyView* m_deps = nullptr;
  PlanTimeline* m_timeline = nullptr;
  QTreeWidget* m_diagView = nullptr;
  QTreeWidget* m_analysisView = nullptr;
  QTabWidget* m_tabs = nullptr;
  QSplitter* m_split = nullptr;
  QLabel* m_status = nullptr;
};

} // namespace cyberex::gui
