/* The after-action player: open a journal, scrub every view with a time slider (the map's states, the event list up
 * to t, the charts' cursor), play it back, start a what-if from the cursor and export the report. The journal is a
 * core Timeline: the state at the cursor is its fold_to(t) (forwards, the records after the last seek are folded
 * into it), and the charts show the whole journal's fold. Loading runs on a worker thread and the cyberex CLI runs in
 * a QProcess: the GUI thread never blocks. */
#pragma once

#include <QMainWindow>
#include <QSlider>
#include <QString>

#include <memory>

class QAbstractItemModel;
class QProgressBar;
class QTableView;

namespace cyberex::gui {

/// The player's time slider: a click on the groove seeks to the time under the pointer (not a page step), and the
/// moves and delivered injects are marked along it.
class SeekSlider : public QSlider {
  Q_OBJECT
public:
  explicit SeekSlider(QWidget* parent = nullptr);
  /// The slider value under x (widget coordinates), and the x of a value: the style's groove and handle geometry.
  int valueAt(int x) const;
  int positionOf(int value) const;
  /// Marks at these values: moves (tall, blue) and injects (short, orange).
  void setMarkers(const QList<int>& moves, const QList<int>& injects);
  QList<int> moveMarkers() const { return m_moves; }
  QList<int> injectMarkers() const { return m_injects; }

protected:
  void mousePressEvent(QMouseEvent* event) override;
  void paintEvent(QPaintEvent* event) override;

private:
  QList<int> m_moves;
  QList<int> m_injects;
};

class MapView;
class GridView;
class WhatifForm;
class Dashboard;
class EventListModel;
class ExerciseStateModel;

class AarPlayer : public QMainWindow {
  Q_OBJECT
public:
  explicit AarPlayer(QWidget* parent = nullptr);
  ~AarPlayer() override;

  /// The cyberex CLI used for what-if and reports (default: "cyberex" next to this program, else on PATH).
  void setCyberexProgram(const QString& program);
  QString cyberexProgram() const;

  /// Start loading a journal (and the scenario its header names) on a worker thread; journalOpened or openFailed
  /// follows. Returns false if a load is already running.
  bool openJournal(const QString& path);
  QString journalPath() const;
  bool isLoaded() const;

  /// Every view to the state at `time`, clamped to [0, duration]; past the end, the status bar says so with the note
  /// of cyberex replay --at (cyberex/exercise_time.hpp, time_in_journal).
  void seek(double time);
  /// Seek to a time typed as cyberex replay --at reads it ("5h20m", "90m", "3600", "5:20"); false, with the expected
  /// forms in the status bar, when the text is none of them. The "go to" field beside the slider calls it.
  bool goTo(const QString& text);
  double currentTime() const;
  double duration() const; ///< the time the journal reaches (Timeline::duration)

  void play();
  void pause();
  bool isPlaying() const;
  void setPlaybackSpeed(double simulatedSecondsPerSecond); ///< default 600 (10 minutes per second)

  /// Ground truth (empty) or a player team's view on the map, the event list and the charts (the journal's records
  /// the team received, folded).
  void setTeamView(const QString& team);

  /// Run `cyberex whatif JOURNAL --at T --command C... --progress` from the current time; whatIfFinished follows.
  void startWhatIf(const QStringList& commands);
  /// The same from time AT (seconds): the what-if form's Run. COMMANDS are `{"as":...,"command":{...}}` objects.
  void startWhatIfAt(double at, const QStringList& commands);
  /// Kill a running what-if (whatIfFinished follows with exit code -1 and "cancelled").
  void cancelWhatIf();
  bool isWhatIfRunning() const;
  /// The run's progress bar: 0..1000 of the branch's simulated time.
  QProgressBar* whatIfProgress() const;
  /// The last what-if's KPIs: KPI, as played, what-if, delta (the rows of cyberex whatif's table).
  QAbstractItemModel* whatIfResults() const;
  WhatifForm* whatifForm() const;
  SeekSlider* slider() const;
  QTableView* eventView() const;
  /// Where a what-if writes its branch's journal (--save): beside the journal, NAME-whatif.jsonl (cyberex report reads
  /// it).
  QString branchJournalPath() const;
  /// The last what-if branch, folded from its journal: the dotted lines over the charts (empty before the first).
  ExerciseStateModel* whatIfModel() const;
  /// Where Export report proposes to write: the journal's folder, aar.html.
  QString defaultReportPath() const;
  /// Run `cyberex report JOURNAL -o FILE` (format from the suffix: .html, .md, .json); reportExported follows.
  void exportReport(const QString& file);

  MapView* mapView() const;
  GridView* gridView() const;         ///< the one-line diagram of the networked grids, in a tab beside the map
  void showView(const QString& view); ///< "map" or "grid": the tab in front
  Dashboard* dashboard() const;
  EventListModel* eventModel() const;
  ExerciseStateModel* stateModel() const; ///< the state at the cursor (the map's)
  ExerciseStateModel* chartModel() const; ///< the whole journal, or the team's part of it (the charts')

signals:
  void journalOpened(const QString& path);
  void openFailed(const QString& error);
  void timeChanged(double time);
  void whatIfFinished(int exitCode, const QString& output);
  /// The branch of the last successful what-if is drawn over the charts (or could not be read: OK false).
  void whatIfOverlaid(bool ok);
  void reportExported(const QString& file, bool ok, const QString& message);

private:
  void loadBranch();
  void showWhatIfDock();

  struct Impl;
  std::unique_ptr<Impl> m_d;
};

} // namespace cyberex::gui
