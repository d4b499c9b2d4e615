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
  QString journal;                        ///< --journal: open the after-action player
  double speed = 1;                       ///< --speed of a local drill
  QString script;                         ///< --script: JSON lines of commands the controller sends once connected
  QMap<QString, QString> screenshots;     ///< --screenshot TAB=FILE (map, msel, events, teams)
  QMap<QString, QString> teamScreenshots; ///< --team-screenshot TEAM=FILE
};

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Do what OPTIONS ask; show the launcher when they ask for nothing.
  void launch(const LaunchOptions& options);
  void startLocal(const QString& scenario, double speed = 1);
  /// Connect to URL with TOKEN; CATALOG: the scenario file; CA: PEM certificates to trust for wss://.
  void connectTo(const QUrl& url, const QString& token, const QString& catalog, const QString& ca = {});
  void openJournal(const QString& journal);

  cyberex::gui::ControllerWindow* controllerWindow() const { return m_controller; }
  cyberex::gui::TeamWindow* teamWindow() const { return m_team; }

private:
  void showError(const QString& message);
  void onWelcomed();
  void runScript();
  void takeScreenshots();

  LaunchOptions m_options;
  QLineEdit* m_scenarioEdit;
  QLineEdit* m_urlEdit;
  QLineEdit* m_tokenEdit;
  QLineEdit* m_catalogEdit;
  QCheckBox* m_tlsCheck;
  QLineEdit* m_caEdit;
  QLineEdit* m_journalEdit;
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
