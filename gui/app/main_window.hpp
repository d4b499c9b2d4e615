/* The launcher: start a local drill, connect to one, or open a journal; then the console for the role the server
 * gives the token (controller or evaluator: the controller console; a team: the team console). */
#pragma once

#include "console/controller_window.hpp"
#include "console/team_window.hpp"

#include <QMainWindow>
#include <QMap>
#include <QPointer>
#include <QStringList>
#include <QUrl>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace cyberex::gui {
class ConsoleState;
class DrillConnection;
class LocalServer;
} // namespace cyberex::gui

/// What the command line asks for (see main.cpp's usage).
struct LaunchOptions {
  QString scenario; ///< --scenario: start a local drill of it
  QString url;      ///< --connect
  QString token;    ///< --token (or CYBEREX_TOKEN)
  QString catalog;  ///< --catalog: the scenario file of a remote drill (choices in the forms, map)
  bool tls = false; ///< --tls: wss:// (also when URL says wss://)
  QString ca;       ///< --ca: PEM certificates to trust for wss:// (a self-signed server's)
  QString cert;     ///< --cert, --key: a local drill serves wss:// with them
  QString key;
  QString journal;  ///< --journal: open the after-action player; with --scenario: the local drill's journal
  double speed = 1; ///< --speed of a local drill
  QString script;   ///< --script: JSON lines of commands the controller sends once connected
  QMap<QString, QString> screenshots; ///< --screenshot TAB=FILE (map, msel, events, teams, evaluation; launcher, close)
  QMap<QString, QString> teamScreenshots; ///< --team-screenshot TEAM=FILE
};

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Do what OPTIONS ask; show the launcher when they ask for nothing.
  void launch(const LaunchOptions& options);
  /// Start a local drill of SCENARIO keeping its record in JOURNAL (empty: LocalServer::defaultJournal; an existing
  /// one: the drill is recovered from it, without asking: the launcher's Start asks first).
  void startLocal(const QString& scenario, const QString& journal = {}, double speed = 1);
  /// Connect to URL with TOKEN; CATALOG: the scenario file; CA: PEM certificates to trust for wss://.
  void connectTo(const QUrl& url, const QString& token, const QString& catalog, const QString& ca = {});
  void openJournal(const QString& journal);

  cyberex::gui::ControllerWindow* controllerWindow() const { return m_controller; }
  cyberex::gui::TeamWindow* teamWindow() const { return m_team; }
  cyberex::gui::LocalServer* localServer() const { return m_server; }

  /// The launcher's fields: the local drill's scenario and journal, its Start button; the journal to review.
  QLineEdit* scenarioEdit() const { return m_scenarioEdit; }
  QLineEdit* drillJournalEdit() const { return m_drillJournalEdit; }
  QLabel* drillJournalNote() const { return m_drillJournalNote; }
  QPushButton* startButton() const { return m_startButton; }
  QLineEdit* reviewJournalEdit() const { return m_journalEdit; }
  QLabel* messageLabel() const { return m_error; }
  /// The launcher's Start: checks the fields; asks first when the journal exists (the drill would be recovered).
  void startFromLauncher();

private:
  void showError(const QString& message);
  void showInfo(const QString& message);
  /// The drill journal field's default for the scenario field, unless the controller chose a journal.
  void updateDefaultJournal();
  /// Says under the journal field whether Start begins a new drill or recovers one.
  void updateJournalNote();
  void onControllerClosed(const QString& journal);
  void onWelcomed();
  void runScript();
  void takeScreenshots();
  bool grabCloseQuestion(const QString& file);

  LaunchOptions m_options;
  QLineEdit* m_scenarioEdit;
  QLineEdit* m_urlEdit;
  QLineEdit* m_tokenEdit;
  QLineEdit* m_catalogEdit;
  QCheckBox* m_tlsCheck;
  QLineEdit* m_caEdit;
  QLineEdit* m_journalEdit;
  QLineEdit* m_drillJournalEdit;
  QLabel* m_drillJournalNote;
  QPushButton* m_startButton;
  bool m_journalChosen = false; ///< the controller typed or browsed the drill journal: no default replaces it
  QLabel* m_error;
  cyberex::gui::LocalServer* m_server = nullptr;
  cyberex::gui::DrillConnection* m_connection = nullptr;
  cyberex::gui::ConsoleState* m_state = nullptr;
  QPointer<cyberex::gui::ControllerWindow> m_controller;
  QPointer<cyberex::gui::TeamWindow> m_team;
  QStringList m_scriptLines;
  bool m_scripted = false;
  bool m_expectCatalog = false; ///< a scenario file is loading for the console (local drill or --catalog)
};
