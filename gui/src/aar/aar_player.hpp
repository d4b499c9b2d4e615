/* The after-action player: open a journal, scrub every view with a time slider (the map's states, the event list up
 * to t, the charts' cursor), play it back, start a what-if from the cursor and export the report. The journal is a
 * core Timeline: the state at the cursor is its fold_to(t) (forwards, the records after the last seek are folded
 * into it), and the charts show the whole journal's fold. Loading runs on a worker thread and the cyberex CLI runs in
 * a QProcess: the GUI thread never blocks. */
#pragma once

#include <QMainWindow>
#include <QString>

#include <memory>

namespace cyberex::gui {

class MapView;
class GridView;
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

  /// Run `cyberex whatif JOURNAL --at T --command C...` from the current time; whatIfFinished follows.
  void startWhatIf(const QStringList& commands);
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
  void reportExported(const QString& file, bool ok, const QString& message);

private:
  struct Impl;
  std::unique_ptr<Impl> m_d;
};

} // namespace cyberex::gui
