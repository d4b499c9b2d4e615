/* The controller console (White Cell, evaluators; observers read it): map, MSEL, event log, teams, evaluation,
 * leaderboard, dashboard, clock. */
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QMainWindow>
#include <QMap>
#include <QPointer>
#include <QUrl>

class QLabel;
class QLineEdit;
class QCheckBox;
class QComboBox;
class QMenu;
class QMessageBox;
class QPlainTextEdit;
class QPrinter;
class QToolButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTreeView;

namespace cyberex::gui {

class ClockBar;
class ConsoleState;
class Dashboard;
class EvaluationPanel;
class EventFilterProxy;
class LocalServer;
class MapView;
class MselFilterProxy;
class MselMoveProxy;
class TimelineView;
class ToastArea;
class GridView;
class TeamWindow;
class AttentionList;
class TeamMatrix;
struct AttentionItem;

class ControllerWindow : public QMainWindow {
  Q_OBJECT
public:
  /// A console on STATE (not owned: keep it alive as long as the window).
  explicit ControllerWindow(ConsoleState* state, QWidget* parent = nullptr);
  ~ControllerWindow() override;

  /// The drill's URL and tokens, when this program started it: team consoles can then be opened from the menu.
  void setDrillAccess(const QUrl& url, const QMap<QString, QString>& tokens);
  /// The drill server this program started (not owned): its journal is shown in the status bar, and closing the
  /// window asks, then stops it cleanly (the journal, its tokens and whatever is beside them stay).
  void setLocalDrill(LocalServer* server);
  /// "Journal: PATH" of a local drill (empty otherwise), in the status bar.
  QLabel* journalLabel() const { return m_journalLabel; }
  /// Open a team console on the drill (needs setDrillAccess); the window deletes itself when closed.
  TeamWindow* openTeamConsole(const QString& team);

  ConsoleState* state() const { return m_state; }
  ClockBar* clockBar() const { return m_clock; }
  QTabWidget* tabs() const { return m_tabs; }
  QTreeView* mselView() const { return m_mselView; }
  QTableView* eventView() const { return m_eventView; }
  EventFilterProxy* eventFilter() const { return m_eventFilter; }
  QTreeView* teamsView() const { return m_teamsView; }
  QTableView* leaderboardView() const { return m_leaderboardView; }
  QComboBox* teamFilterBox() const { return m_teamFilter; }
  QComboBox* typeFilterBox() const { return m_typeFilter; }
  QLineEdit* nodeFilterEdit() const { return m_nodeFilter; }
  /// The team whose inbox, actions, expectations and alerts the Teams tab shows.
  QString selectedTeam() const { return m_selectedTeam; }
  void selectTeam(const QString& team);
  QSortFilterProxyModel* teamInbox() const { return m_teamInbox; }
  EventFilterProxy* teamActions() const { return m_teamActions; }
  QSortFilterProxyModel* teamExpectations() const { return m_teamExpectations; }
  QLabel* errorLabel() const { return m_errorLabel; }
  /// The map (MapView) or its placeholder; the dashboard (Dashboard) or its placeholder.
  QWidget* mapWidget() const { return m_mapWidget; }
  /// View -> Map in its own window (checkable; also a button on the map's toolbar): the map with its toolbar (team
  /// view, search, fit) and its node details in a top-level window for a projector, back in the Map tab when that
  /// window closes or the action is unchecked. Zoom, centre, team view and selection stay as they were.
  QAction* detachMapAction() const { return m_detachMap; }
  void setMapDetached(bool detached);
  bool isMapDetached() const { return m_mapWindow != nullptr; }
  /// The map's own window while detached, else null.
  QWidget* mapWindow() const { return m_mapWindow; }
  QWidget* dashboardWidget() const { return m_dashboardWidget; }
  GridView* gridView() const { return m_grid; } ///< the one-line diagram of the networked grids (ground truth)
  /// The Evaluation tab: observations and the official severity assessment.
  EvaluationPanel* evaluationPanel() const { return m_evaluation; }

  /// The selected inject in the MSEL view, or empty.
  QString selectedInject() const;
  void selectInject(const QString& inject);
  void releaseSelectedInject();
  void delaySelectedInject(const QString& by);
  /// Ask whether to cancel the selected inject; `inject_cancel` is sent only if the controller confirms.
  void cancelSelectedInject();
  /// Open the new-inject / rating dialog (non-modal); the command is sent when it is accepted.
  QDialog* openNewInjectDialog();
  QDialog* openRatingDialog();
  /// Show the Evaluation tab with the cursor in the observation's text.
  void startObservation();
  /// File -> Drill info (the journal, the tokens, each team's join command, token slips); non-modal.
  QDialog* openDrillInfo();
  /// File -> Export for the hot wash: WHAT is "msel", "events" (the event log as filtered), "team-actions" (the Teams
  /// tab's team), "leaderboard" (PDF) or "dashboard" (PNG when PATH ends in .png, else PDF). False and ERROR when
  /// the file cannot be written or WHAT is unknown.
  bool exportView(const QString& what, const QString& path, QString* error = nullptr);
  /// File -> Print: the document exportView writes for WHAT (msel, events, team-actions, team-events, leaderboard),
  /// printed on PRINTER (the print dialog's; a QPrinter with a PDF output file prints to it). False and ERROR
  /// otherwise.
  bool printView(const QString& what, QPrinter* printer, QString* error = nullptr);
  /// Show an error in the window: the status bar, and a non-modal message box when POPUP.
  void showError(const QString& message, bool popup = false);

protected:
  void closeEvent(QCloseEvent* event) override;
  void showEvent(QShowEvent* event) override;

private:
  QWidget* buildMselTab();
  QWidget* buildEventTab();
  QWidget* buildTeamsTab();
  QWidget* buildMapTab();
  void applyCatalog();
  void updateTeamLists();
  void updateTypeFilter();
  void applyTimeFilter();
  void stopDrillAndClose();
  void addExportActions(QMenu* file); ///< hot_wash.cpp
  /// The HTML of WHAT that exportView and printView write, and whether it is printed LANDSCAPE; empty and ERROR when
  /// WHAT is unknown or needs a team that is not chosen.
  QString viewHtml(const QString& what, bool* landscape, QString* error) const;
  /// The Timeline tab, the MSEL's filters, feedback for every command, the event log's type filter and details
  /// (defined in timeline_view.cpp, issue 18).
  void setUpTimeline();
  // (members of setUpTimeline go here)
public:
  TimelineView* timelineView() const { return m_timeline; }
  /// The toasts that name what each command did (and errors in plain words).
  ToastArea* toasts() const { return m_toasts; }
  /// The MSEL view's filter and sort proxy, and its filter widgets (team, status, move, search).
  MselFilterProxy* mselFilter() const { return m_mselFilter; }
  QComboBox* mselTeamBox() const { return m_mselTeam; }
  QComboBox* mselStatusBox() const { return m_mselStatus; }
  QComboBox* mselMoveBox() const { return m_mselMove; }
  QLineEdit* mselSearchEdit() const { return m_mselSearch; }
  /// The MSEL grouped by move (the "Group by move" box): the view shows mselGroups() instead of mselFilter().
  QCheckBox* mselGroupBox() const { return m_mselGroupBox; }
  MselMoveProxy* mselGroups() const { return m_mselGroups; }
  void setMselGrouped(bool grouped);
  /// The event log's checkable type list (checked: shown) and the selected record in full.
  QMenu* eventTypeMenu() const { return m_typeMenu; }
  QPlainTextEdit* eventDetails() const { return m_eventDetails; }
  /// Show the event log's row ROW (of its view's model) where it belongs: its node on the map, else its team's tab.
  void openEventTarget(int row);
  /// The Teams tab's messages, assessments and ratings of the selected team.
  EventFilterProxy* teamMessages() const { return m_teamMessages; }
  EventFilterProxy* teamAssessments() const { return m_teamAssessments; }
  EventFilterProxy* teamRatings() const { return m_teamRatings; }

private:
  /// Send COMMAND, remembering it so that its toast can name what it did.
  void sendCommand(const QJsonObject& command);
  void updateTypeMenu();
  void updateMselFilters();
  TimelineView* m_timeline = nullptr;
  ToastArea* m_toasts = nullptr;
  MselFilterProxy* m_mselFilter = nullptr;
  QComboBox* m_mselTeam = nullptr;
  QComboBox* m_mselStatus = nullptr;
  QComboBox* m_mselMove = nullptr;
  QLineEdit* m_mselSearch = nullptr;
  QCheckBox* m_mselGroupBox = nullptr;
  MselMoveProxy* m_mselGroups = nullptr;
  QString m_mselKept; ///< the selected inject while the grouped MSEL regroups
  /// The MSEL view's index of the MSEL model's INDEX (through the filter and, when grouped, the move groups); invalid
  /// when filtered out.
  QModelIndex mselViewIndex(const QModelIndex& index) const;
  void applyMselColumns(); ///< the MSEL view's column widths (again after its model changes)
  /// The MSEL view after its model changed or regrouped: every row open, the moves' rows spanned, m_mselKept selected.
  void showMsel();
  QToolButton* m_typeButton = nullptr;
  QMenu* m_typeMenu = nullptr;
  QPlainTextEdit* m_eventDetails = nullptr;
  EventFilterProxy* m_teamMessages = nullptr;
  EventFilterProxy* m_teamAssessments = nullptr;
  EventFilterProxy* m_teamRatings = nullptr;
  QHash<QString, QJsonObject> m_sentCommands; ///< type -> the last command of that type sent from this window

  /// The Attention dock, the team matrix, the layout that fits 1280x800 (defined in attention_dock.cpp, issue 18).
  void setUpDependencies(); ///< deps/dependency_tab.cpp (issue 19)
  // (members of setUpDependencies go here)
  class DependencyView* m_dependencies = nullptr;
  EventFilterProxy* m_dependencyHistory = nullptr;
  QLabel* m_dependencyDetails = nullptr;

  void setUpAttention();

  ConsoleState* m_state;
  ClockBar* m_clock;
  QTabWidget* m_tabs;
  QTreeView* m_mselView = nullptr;
  QTableView* m_eventView = nullptr;
  EventFilterProxy* m_eventFilter = nullptr;
  QComboBox* m_teamFilter = nullptr;
  QComboBox* m_typeFilter = nullptr;
  QLineEdit* m_nodeFilter = nullptr;
  QLineEdit* m_fromFilter = nullptr;
  QLineEdit* m_toFilter = nullptr;
  QTreeView* m_teamsView = nullptr;
  QTableView* m_leaderboardView = nullptr;
  QComboBox* m_teamSelect = nullptr;
  QString m_selectedTeam;
  QSortFilterProxyModel* m_teamInbox = nullptr;
  EventFilterProxy* m_teamActions = nullptr;
  QSortFilterProxyModel* m_teamExpectations = nullptr;
  QSortFilterProxyModel* m_teamAlerts = nullptr;
  QSortFilterProxyModel* m_teamSitreps = nullptr;
  QTableView* m_teamExpectationsView = nullptr;
  QWidget* m_mapWidget = nullptr;
  MapView* m_map = nullptr;
  QWidget* m_mapTab = nullptr;      ///< the Map tab: the map's page, or a note while the page is in its own window
  QWidget* m_mapPage = nullptr;     ///< the map, its toolbar and the node details
  QWidget* m_mapAwayNote = nullptr; ///< "The map is in its own window" and a button to bring it back
  QPointer<QWidget> m_mapWindow;    ///< the map's own window while detached
  QAction* m_detachMap = nullptr;
  GridView* m_grid = nullptr;
  EventFilterProxy* m_nodeHistory = nullptr;
  QLabel* m_nodeDetails = nullptr;
  QComboBox* m_mapView = nullptr;
  QWidget* m_dashboardWidget = nullptr;
  Dashboard* m_dashboard = nullptr;
  EvaluationPanel* m_evaluation = nullptr;
  QLabel* m_errorLabel;
  QLabel* m_journalLabel = nullptr;
  QMenu* m_teamMenu;
  QPointer<LocalServer> m_server;
  QPointer<QMessageBox> m_closeQuestion;
  bool m_stopping = false;       ///< the controller confirmed: the server is stopping, the window closes after it
  bool m_closeConfirmed = false; ///< nothing left to ask: the next close closes
  QUrl m_url;
  QMap<QString, QString> m_tokens;

  // (members of setUpAttention go here)
public:
  /// The Attention dock's list and the Teams-at-a-glance matrix (attention_dock.cpp, team_matrix.cpp).
  AttentionList* attentionList() const { return m_attention; }
  TeamMatrix* teamMatrix() const { return m_matrix; }
  /// Keep the window on its screen: no wider or taller than the screen's available area, never off it.
  void clampToScreen();
  /// View -> Reset layout: every dock back in its default place, docked and shown; the font at its normal size.
  void resetLayout();
  /// View -> Larger / Smaller / Normal font: the window's font is the application's times SCALE (0.7..2).
  void setFontScale(double scale);
  double fontScale() const { return m_fontScale; }
  /// Every action with a shortcut: (command, shortcuts), sorted; Help -> Keyboard shortcuts shows them.
  QList<QPair<QString, QString>> shortcuts() const;
  QDialog* showShortcuts();
  /// Show what an attention item is about: the MSEL row, the Teams tab on the team, the event log row.
  void jumpTo(const AttentionItem& item);

private:
  void applyDefaultLayout();
  void applyDefaultDockSizes(); ///< the docks' default widths and heights (once the window is shown)
  bool m_defaultDockSizesPending = false;
  void showTabOf(QWidget* widget);
  AttentionList* m_attention = nullptr;
  TeamMatrix* m_matrix = nullptr;
  QFont m_baseFont;
  double m_fontScale = 1;
};

} // namespace cyberex::gui
