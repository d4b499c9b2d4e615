/* The team console: the same program in a player team's role. Its inbox, alerts and assets as the team sees them,
 * and forms for actions, situation reports, severity assessments and messages (with indicators) to other teams. */
#pragma once

#include "console/scenario_catalog.hpp"

#include <QJsonObject>
#include <QMainWindow>
#include <QSslCertificate>
#include <QUrl>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QTextBrowser;
class QTreeView;

namespace cyberex::gui {

class ActionForm;
class AssessmentForm;
class ClockBar;
class ConsoleState;
class DrillConnection;
class EventFilterProxy;
class MapView;
class ToastArea;

/// What a team console says of a new inbox item ("New inject from CERT-EU: Phishing wave") and of a new alert ("New
/// alert: KIND on NODE (SENSOR)"; the parts the alert has).
QString inboxItemName(const QJsonObject& item);
QString alertName(const QJsonObject& alert);

class TeamWindow : public QMainWindow {
  Q_OBJECT
public:
  /// A console on STATE (not owned).
  explicit TeamWindow(ConsoleState* state, QWidget* parent = nullptr);
  ~TeamWindow() override;
  /// A console with its own connection to URL with TOKEN (trusting CA for wss://, besides the system's certificates);
  /// deletes itself (and its connection) when closed.
  static TeamWindow* create(const QUrl& url, const QString& token, const ScenarioCatalog& catalog,
                            const QList<QSslCertificate>& ca = {});

  ConsoleState* state() const { return m_state; }
  QTabWidget* tabs() const { return m_tabs; }
  QTableView* inboxView() const { return m_inboxView; }
  QTextBrowser* inboxContent() const { return m_content; }
  QTableView* alertView() const { return m_alertView; }
  QTreeView* assetView() const { return m_assetView; }
  QTableView* actionView() const { return m_actionView; }
  QLabel* actionResult() const { return m_actionResult; }
  AssessmentForm* assessmentForm() const { return m_assess; }
  QLabel* errorLabel() const { return m_errorLabel; }
  ActionForm* actionForm() const { return m_actionForm; }
  MapView* mapView() const { return m_map; }
  QLineEdit* mapSearch() const { return m_mapSearch; }
  /// Injects / alerts that arrived since their tab was last in front (the count in the tab's title).
  int unreadInbox() const { return m_unreadInbox; }
  int unreadAlerts() const { return m_unreadAlerts; }
  /// The last notification of a new inject or alert (also in the status bar), empty before the first.
  QString lastNotification() const { return m_lastNotification; }
  /// Toasts naming each inject or alert that arrives while its tab is not in front.
  ToastArea* toasts() const { return m_toasts; }
  /// View -> Beep on new injects and alerts (checkable, off by default): QApplication::beep() with each notification.
  QAction* soundAction() const { return m_sound; }
  /// How many times the console beeped (a notification with the sound on).
  int beeps() const { return m_beeps; }

  /// Fit WINDOW on its screen's available area: shrunk to it, moved inside it, centred when not RESTORED.
  static void fitOnScreen(QWidget* window, bool restored);

  /// Mark the inbox item at ROW of the view read.
  void markRead(int row);
  /// Send the action / situation report / assessment / message the forms describe.
  void submitAction();
  void submitSitrep();
  void submitAssessment();
  void sendMessage();
  void showError(const QString& message, bool popup = false);

protected:
  void closeEvent(QCloseEvent* event) override;
  void showEvent(QShowEvent* event) override;

private:
  QWidget* buildInboxTab();
  QWidget* buildActionsTab();
  QWidget* buildReportsTab();
  QWidget* buildMessagesTab();
  void applyCatalog();
  void updateChoices();
  void updateIndicators();
  void updateUnread();
  /// Say MESSAGE in the status bar and flash the task bar entry; a toast too unless TAB is in front; a beep when on.
  void notify(const QString& message, const QWidget* tab);

  ConsoleState* m_state;
  ClockBar* m_clock;
  QTabWidget* m_tabs;
  QTableView* m_inboxView = nullptr;
  QTextBrowser* m_content = nullptr;
  QTableView* m_alertView = nullptr;
  QTreeView* m_assetView = nullptr;
  QTableView* m_actionView = nullptr;
  EventFilterProxy* m_actions = nullptr;
  EventFilterProxy* m_messages = nullptr;
  ActionForm* m_actionForm = nullptr;
  QLabel* m_actionResult = nullptr;
  QComboBox* m_sitrepStatus = nullptr;
  QPlainTextEdit* m_sitrepText = nullptr;
  AssessmentForm* m_assess = nullptr;
  QListWidget* m_messageTo = nullptr;
  QLineEdit* m_messageSubject = nullptr;
  QPlainTextEdit* m_messageText = nullptr;
  QListWidget* m_messageIndicators = nullptr;
  MapView* m_map = nullptr;
  QWidget* m_mapPage = nullptr;
  QLineEdit* m_mapSearch = nullptr;
  bool m_mapFitted = false;
  bool m_shown = false;
  int m_unreadInbox = 0;
  int m_unreadAlerts = 0;
  int m_seenInbox = 0;
  int m_seenAlerts = 0;
  QString m_lastNotification;
  ToastArea* m_toasts = nullptr;
  QAction* m_sound = nullptr;
  int m_beeps = 0;
  QLabel* m_errorLabel;
};

} // namespace cyberex::gui
