#include "main_window.hpp"

#include "aar/aar_player.hpp"
#include "console/console_state.hpp"
#include "console/controller_window.hpp"
#include "console/local_server.hpp"
#include "console/team_window.hpp"
#include "console/widgets.hpp"
#include "map/map_view.hpp"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <cstdio>

using namespace cyberex::gui;

namespace {

constexpr int settle_ms = 6500; // after the script: scores refreshed, charts redrawn, its commands' toasts gone (6 s)

QHBoxLayout* fileRow(QLineEdit* edit, const QString& filter, QWidget* parent)
{
  auto* row = new QHBoxLayout;
  auto* browse = new QPushButton(QObject::tr("Browse…"), parent);
  row->addWidget(edit, 1);
  row->addWidget(browse);
  QObject::connect(browse, &QPushButton::clicked, parent, [edit, filter, parent] {
    const QString f = QFileDialog::getOpenFileName(parent, QObject::tr("Choose a file"), edit->text(), filter);
    if (!f.isEmpty())
      edit->setText(f);
  });
  return row;
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
  setWindowTitle(tr("cyberex"));
  QSettings settings;
  auto* page = new QWidget(this);
  auto* layout = new QVBoxLayout(page);
  auto* title = new QLabel(tr("<h2>cyberex</h2><p>Cyber-attack exercise simulator: run a drill, join one as a team "
                              "or as control, or review one after the fact.</p>"),
                           page);
  layout->addWidget(title);

  auto* local = new QGroupBox(tr("Start a drill on this computer (you are the White Cell)"), page);
  auto* localForm = new QFormLayout(local);
  m_scenarioEdit = new QLineEdit(settings.value("launcher/scenario").toString(), local);
  m_scenarioEdit->setObjectName("scenario");
  m_drillJournalEdit = new QLineEdit(local);
  m_drillJournalEdit->setObjectName("drillJournal");
  m_drillJournalEdit->setToolTip(tr("The drill's record: every command, for recovery, replay and the after-action "
                                    "report. The access tokens go beside it (JOURNAL.tokens). Both stay when the "
                                    "drill ends."));
  auto* journalRow = new QHBoxLayout;
  auto* browseJournal = new QPushButton(tr("Browse…"), local);
  journalRow->addWidget(m_drillJournalEdit, 1);
  journalRow->addWidget(browseJournal);
  m_drillJournalNote = new QLabel(local);
  m_drillJournalNote->setObjectName("drillJournalNote");
  m_drillJournalNote->setWordWrap(true);
  m_drillJournalNote->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  m_startButton = new QPushButton(tr("&Start drill"), local);
  m_startButton->setObjectName("startDrill");
  localForm->addRow(tr("Scenario"), fileRow(m_scenarioEdit, tr("Scenarios (*.json)"), this));
  localForm->addRow(tr("Journal"), journalRow);
  localForm->addRow(QString(), m_drillJournalNote);
  localForm->addRow(QString(), m_startButton);
  layout->addWidget(local);
  connect(browseJournal, &QPushButton::clicked, this, [this] {
    QFileInfo current(expandPath(m_drillJournalEdit->text()));
    // an existing journal may be chosen on purpose: recovering a drill
    const QString f = QFileDialog::getSaveFileName(this, tr("Where the drill's journal goes"),
                                                   current.filePath().isEmpty() ? QDir::homePath() : current.filePath(),
                                                   tr("Journals (*.journal *.jsonl);;All files (*)"), nullptr,
                                                   QFileDialog::DontConfirmOverwrite);
    if (f.isEmpty())
      return;
    m_journalChosen = true;
    m_drillJournalEdit->setText(displayPath(f));
  });
  connect(m_drillJournalEdit, &QLineEdit::textEdited, this, [this](const QString& text) {
    m_journalChosen = !text.trimmed().isEmpty(); // cleared: the default comes back with the next scenario
  });
  connect(m_drillJournalEdit, &QLineEdit::textChanged, this, &MainWindow::updateJournalNote);
  connect(m_scenarioEdit, &QLineEdit::textChanged, this, &MainWindow::updateDefaultJournal);
  updateDefaultJournal();

  auto* remote = new QGroupBox(tr("Join a drill (the token says your role: control, evaluator or a team)"), page);
  auto* remoteForm = new QFormLayout(remote);
  m_urlEdit = new QLineEdit(settings.value("launcher/url", "ws://127.0.0.1:8600/").toString(), remote);
  m_tokenEdit = new QLineEdit(remote);
  m_tokenEdit->setEchoMode(QLineEdit::Password);
  m_tokenEdit->setPlaceholderText(tr("the token the White Cell gave you"));
  m_catalogEdit = new QLineEdit(settings.value("launcher/catalog").toString(), remote);
  m_catalogEdit->setPlaceholderText(tr("optional: the scenario file, for the map and the forms' choices"));
  m_tlsCheck = new QCheckBox(tr("Encrypted (TLS, wss://)"), remote);
  m_tlsCheck->setChecked(m_urlEdit->text().startsWith("wss://"));
  m_caEdit = new QLineEdit(settings.value("launcher/ca").toString(), remote);
  m_caEdit->setPlaceholderText(tr("optional: PEM file of the server's self-signed certificate or of a private CA"));
  auto* join = new QPushButton(tr("&Connect"), remote);
  remoteForm->addRow(tr("Server URL"), m_urlEdit);
  remoteForm->addRow(QString(), m_tlsCheck);
  remoteForm->addRow(tr("CA certificate"), fileRow(m_caEdit, tr("Certificates (*.pem *.crt);;All files (*)"), this));
  remoteForm->addRow(tr("Token"), m_tokenEdit);
  remoteForm->addRow(tr("Scenario"), fileRow(m_catalogEdit, tr("Scenarios (*.json)"), this));
  remoteForm->addRow(QString(), join);
  layout->addWidget(remote);

  auto* review = new QGroupBox(tr("Review a drill (after-action player)"), page);
  auto* reviewForm = new QFormLayout(review);
  m_journalEdit = new QLineEdit(settings.value("launcher/journal").toString(), review);
  m_journalEdit->setObjectName("reviewJournal");
  auto* open = new QPushButton(tr("&Open journal"), review);
  open->setObjectName("openJournal");
  reviewForm->addRow(tr("Journal"), fileRow(m_journalEdit, tr("Journals (*.journal *.jsonl);;All files (*)"), this));
  reviewForm->addRow(QString(), open);
  layout->addWidget(review);

  m_error = new QLabel(page);
  m_error->setObjectName("launcherMessage");
  m_error->setWordWrap(true);
  m_error->setStyleSheet("color: #b02020");
  layout->addWidget(m_error);
  layout->addStretch(1);
  setCentralWidget(page);
  resize(760, 640);

  connect(m_startButton, &QPushButton::clicked, this, &MainWindow::startFromLauncher);
  // the check box and the URL's scheme say the same
  connect(m_tlsCheck, &QCheckBox::toggled, this, [this](bool tls) {
    const QString text = m_urlEdit->text().trimmed();
    if (tls && text.startsWith("ws://"))
      m_urlEdit->setText("wss://" + text.mid(5));
    else if (!tls && text.startsWith("wss://"))
      m_urlEdit->setText("ws://" + text.mid(6));
  });
  connect(m_urlEdit, &QLineEdit::textEdited, this, [this](const QString& text) {
    if (text.startsWith("wss://") || text.startsWith("ws://")) {
      const QSignalBlocker block(m_tlsCheck);
      m_tlsCheck->setChecked(text.startsWith("wss://"));
    }
  });
  connect(join, &QPushButton::clicked, this, [this] {
    QString error;
    const QUrl url = parseServerUrl(m_urlEdit->text(), m_tlsCheck->isChecked(), &error);
    if (!url.isValid())
      return showError(tr("Server URL: %1").arg(error));
    if (m_tokenEdit->text().trimmed().isEmpty())
      return showError(tr("Token: paste the token the White Cell gave you"));
    connectTo(url, m_tokenEdit->text().trimmed(), m_catalogEdit->text().trimmed(), m_caEdit->text().trimmed());
  });
  connect(open, &QPushButton::clicked, this, [this] {
    if (m_journalEdit->text().trimmed().isEmpty())
      return showError(tr("Journal: choose a journal file"));
    openJournal(expandPath(m_journalEdit->text()));
  });
}

MainWindow::~MainWindow()
{
  if (m_controller)
    m_controller->disconnect(this); // closing the program is not the end of a drill seen from the launcher
  delete m_controller;
  delete m_team;
}

void MainWindow::showInfo(const QString& message)
{
  m_error->setStyleSheet(QString());
  m_error->setText(message);
}

void MainWindow::showError(const QString& message)
{
  m_error->setStyleSheet("color: #b02020");
  m_error->setText(message);
  if (m_scripted) {
    std::fprintf(stderr, "cyberex-gui: %s\n", qPrintable(message));
    QApplication::exit(1);
  }
}

void MainWindow::launch(const LaunchOptions& options)
{
  m_options = options;
  m_scripted = !options.script.isEmpty() || !options.screenshots.isEmpty() || !options.teamScreenshots.isEmpty();
  if (!options.scenario.isEmpty() && options.screenshots.contains("launcher")) {
    // the launcher as it is before Start: this scenario, and its journal field (the default unless --journal)
    m_scenarioEdit->setText(options.scenario);
    if (!options.journal.isEmpty()) {
      m_journalChosen = true;
      m_drillJournalEdit->setText(displayPath(QFileInfo(options.journal).absoluteFilePath()));
    }
    m_error->clear();
    resize(1600, 1000);
    show(); // laid out as on screen (word-wrapped labels take their height for the real width)
    QApplication::processEvents();
    const QPixmap launcher = grab();
    hide();
    if (!launcher.save(options.screenshots.value("launcher"))) {
      std::fprintf(stderr, "cyberex-gui: cannot write %s\n", qPrintable(options.screenshots.value("launcher")));
      QTimer::singleShot(0, qApp, [] { QApplication::exit(1); }); // launch() runs before the event loop
      return;
    }
    resize(760, 640);
  }
  if (!options.scenario.isEmpty())
    startLocal(options.scenario, options.journal, options.speed);
  else if (!options.url.isEmpty())
    connectTo(parseServerUrl(options.url, options.tls), options.token, options.catalog, options.ca);
  else if (!options.journal.isEmpty())
    openJournal(options.journal);
  else
    show();
}

void MainWindow::updateDefaultJournal()
{
  if (m_journalChosen)
    return;
  const QString scenario = m_scenarioEdit->text().trimmed();
  m_drillJournalEdit->setText(scenario.isEmpty()
                                  ? QString()
                                  : displayPath(LocalServer::defaultJournal(scenario, QDateTime::currentDateTime())));
}

void MainWindow::updateJournalNote()
{
  const QString journal = expandPath(m_drillJournalEdit->text());
  if (journal.isEmpty())
    m_drillJournalNote->setText(tr("Choose where the drill's journal goes."));
  else if (QFileInfo::exists(journal))
    m_drillJournalNote->setText(
        tr("<b>This journal exists:</b> Start recovers that drill from it (its commands are replayed and its tokens "
           "kept) rather than starting a new one."));
  else
    m_drillJournalNote->setText(tr("A new drill: its journal and its tokens (%1) are kept there after the drill.")
                                    .arg(QFileInfo(LocalServer::tokensFile(journal)).fileName()));
}

void MainWindow::startFromLauncher()
{
  const QString scenario = m_scenarioEdit->text().trimmed();
  if (scenario.isEmpty())
    return showError(tr("Scenario: choose a scenario file"));
  QString journal = expandPath(m_drillJournalEdit->text());
  // a default is always a new drill: one started earlier from this launcher took that name
  if (!m_journalChosen &&
      (journal.isEmpty() || QFileInfo::exists(journal) || QFileInfo::exists(LocalServer::tokensFile(journal)))) {
    journal = LocalServer::defaultJournal(scenario, QDateTime::currentDateTime());
    m_drillJournalEdit->setText(displayPath(journal));
  }
  if (journal.isEmpty())
    return showError(tr("Journal: choose where the drill's journal goes"));
  journal = QFileInfo(journal).absoluteFilePath();
  if (QFileInfo(journal).isDir())
    return showError(tr("Journal: %1 is a folder; name a file in it").arg(QDir::toNativeSeparators(journal)));
  if (!QFileInfo::exists(journal))
    return startLocal(scenario, journal);
  askConfirmation(this, tr("Recover the drill"),
                  tr("The journal %1 exists. The drill will be recovered from it: its commands are replayed and its "
                     "tokens kept, and the drill goes on from where it stopped. It is not started afresh. Recover "
                     "it?")
                      .arg(displayPath(journal)),
                  tr("Recover the drill"), tr("Cancel"), [this, scenario, journal] { startLocal(scenario, journal); });
}

void MainWindow::startLocal(const QString& scenario, const QString& journalPath, double speed)
{
  QSettings().setValue("launcher/scenario", scenario);
  const QString journal = journalPath.isEmpty() ? LocalServer::defaultJournal(scenario, QDateTime::currentDateTime())
                                                : QFileInfo(journalPath).absoluteFilePath();
  {
    // the launcher shows what runs, however it was started
    const QSignalBlocker block(m_scenarioEdit);
    m_scenarioEdit->setText(scenario);
  }
  m_drillJournalEdit->setText(displayPath(journal));
  showInfo(QFileInfo::exists(journal) ? tr("Recovering the drill of %1 from %2…").arg(scenario, displayPath(journal))
                                      : tr("Starting a drill of %1 (journal %2)…").arg(scenario, displayPath(journal)));
  if (m_scripted)
    std::fprintf(stderr, "cyberex-gui: %s\n", qPrintable(m_error->text()));
  delete m_server;
  m_server = new LocalServer(this);
  connect(m_server, &LocalServer::failed, this, [this](const QString& m) {
    if (m_controller)
      m_controller->showError(m, true);
    else
      showError(m);
  });
  // a local wss:// drill: its own certificate is trusted (self-signed or not), or the CA given
  if (!m_options.cert.isEmpty())
    m_server->setTls(m_options.cert, m_options.key);
  connect(m_server, &LocalServer::ready, this, [this, scenario](const QUrl& url) {
    connectTo(url, m_server->tokens().value("controller"), scenario,
              m_options.ca.isEmpty() ? m_server->certificate() : m_options.ca);
  });
  m_server->start(scenario, journal, speed);
}

void MainWindow::connectTo(const QUrl& url, const QString& token, const QString& catalog, const QString& ca)
{
  if (!m_server) {
    QSettings settings;
    settings.setValue("launcher/url", url.toString());
    settings.setValue("launcher/catalog", catalog);
    settings.setValue("launcher/ca", ca);
  }
  delete m_state;
  delete m_connection;
  m_connection = new DrillConnection(this);
  QString error;
  if (!ca.isEmpty() && !m_connection->setCaFile(ca, &error))
    return showError(error);
  m_state = new ConsoleState(m_connection, this);
  m_expectCatalog = !catalog.isEmpty();
  if (!catalog.isEmpty())
    m_state->loadCatalog(catalog);
  connect(m_state, &ConsoleState::welcomed, this, &MainWindow::onWelcomed);
  connect(m_connection, &DrillConnection::connectionError, this, [this](const QString& m) {
    if (!m_controller && !m_team)
      showError(m);
  });
  m_connection->open(url, token);
}

void MainWindow::onWelcomed()
{
  if (m_controller || m_team)
    return; // a reconnection
  if (m_state->role() == "player") {
    m_team = new TeamWindow(m_state);
    m_team->setAttribute(Qt::WA_DeleteOnClose);
    m_team->show();
  } else {
    m_controller = new ControllerWindow(m_state);
    m_controller->setAttribute(Qt::WA_DeleteOnClose);
    if (m_server) {
      m_controller->setDrillAccess(m_server->url(), m_server->tokens());
      m_controller->setLocalDrill(m_server);
      const QString journal = m_server->journal();
      connect(m_controller, &QObject::destroyed, this, [this, journal] { onControllerClosed(journal); });
    }
    m_controller->show();
    if (m_scripted) {
      // the docs' screenshots are 1600x1000; on a smaller screen the window fits it as it does unscripted
      m_controller->resize(1600, 1000);
      m_controller->clampToScreen();
      m_controller->tabs()->setFocus();
    }
  }
  hide();
  if (!m_scripted)
    return;
  // the script starts once the snapshot and the scenario (if one was given) are in: the map and the charts need both
  auto ready = [this] { return m_state->hasSnapshot() && (m_state->catalog().loaded || !m_expectCatalog); };
  auto go = [this, ready] {
    if (ready() && m_scriptLines.isEmpty() && !property("scriptStarted").toBool()) {
      setProperty("scriptStarted", true);
      runScript();
    }
  };
  connect(m_state, &ConsoleState::snapshotApplied, this, go);
  connect(m_state, &ConsoleState::catalogChanged, this, go);
  connect(m_state, &ConsoleState::catalogFailed, this, [this](const QString& m) { showError(m); });
  go();
}

void MainWindow::onControllerClosed(const QString& journal)
{
  if (m_scripted)
    return;
  // the drill is over on this computer: the launcher comes back, ready to review what was recorded
  if (m_connection)
    m_connection->close();
  m_journalEdit->setText(displayPath(journal));
  showInfo(tr("The drill has stopped. Its journal is %1 (its tokens beside it): open it below to review the drill, "
              "or choose it as the journal above to go on with it.")
               .arg(displayPath(journal)));
  m_journalChosen = false;
  updateDefaultJournal(); // the next Start is a new drill
  show();
}

void MainWindow::runScript()
{
  if (!m_options.script.isEmpty()) {
    QFile f(m_options.script);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
      return showError(tr("cannot read the script %1: %2").arg(m_options.script, f.errorString()));
    while (!f.atEnd()) {
      const QString line = QString::fromUtf8(f.readLine()).trimmed();
      if (!line.isEmpty() && !line.startsWith('#'))
        m_scriptLines.append(line);
    }
  }
  auto next = std::make_shared<std::function<void(int)>>();
  *next = [this, next](int i) {
    if (i >= m_scriptLines.size()) {
      QTimer::singleShot(settle_ms, this, &MainWindow::takeScreenshots);
      return;
    }
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(m_scriptLines.at(i).toUtf8(), &err);
    if (!doc.isObject()) {
      showError(tr("%1:%2: not a JSON object (%3)").arg(m_options.script).arg(i + 1).arg(err.errorString()));
      return;
    }
    m_state->send(
        doc.object(), [next, i](const QJsonValue&) { (*next)(i + 1); },
        [this, next, i](const QString& m) {
          if (m.contains(QLatin1String("[rate-limited]"))) {
            // the server allows a connection a few dozen commands a second: send the same line again shortly
            QTimer::singleShot(250, this, [next, i] { (*next)(i); });
            return;
          }
          std::fprintf(stderr, "cyberex-gui: %s:%d: %s\n", qPrintable(m_options.script), i + 1, qPrintable(m));
          (*next)(i + 1);
        });
  };
  (*next)(0);
}

void MainWindow::takeScreenshots()
{
  ControllerWindow* controller = m_controller;
  if (!controller) {
    std::fprintf(stderr, "cyberex-gui: the controller console was closed before the screenshots\n");
    QApplication::exit(1);
    return;
  }
  bool ok = true;
  static const QMap<QString, int> tabs{{"map", 0},    {"grid", 1},  {"msel", 2},
                                       {"events", 3}, {"teams", 4}, {"evaluation", 5}};
  for (auto it = m_options.screenshots.begin(); it != m_options.screenshots.end(); ++it) {
    if (it.key() == "launcher" || it.key() == "close")
      continue; // taken before the drill, and after the tabs
    if (!tabs.contains(it.key())) {
      std::fprintf(
          stderr,
          "cyberex-gui: --screenshot: no tab '%s' (map, grid, msel, events, teams, evaluation; launcher, close)\n",
          qPrintable(it.key()));
      ok = false;
      continue;
    }
    controller->tabs()->setCurrentIndex(tabs.value(it.key()));
    QApplication::processEvents();
    if (auto* map = qobject_cast<MapView*>(controller->mapWidget()); map && it.key() == "map")
      map->fitAll();
    QApplication::processEvents();
    if (!controller->grab().save(it.value())) {
      std::fprintf(stderr, "cyberex-gui: cannot write %s\n", qPrintable(it.value()));
      ok = false;
    }
  }
  if (m_options.screenshots.contains("close"))
    ok = grabCloseQuestion(m_options.screenshots.value("close")) && ok;
  // team consoles one after the other, each once its snapshot is in
  auto teams = std::make_shared<QList<QPair<QString, QString>>>();
  for (auto it = m_options.teamScreenshots.begin(); it != m_options.teamScreenshots.end(); ++it)
    teams->append({it.key(), it.value()});
  auto next = std::make_shared<std::function<void(bool)>>();
  *next = [this, teams, next](bool okSoFar) {
    if (teams->isEmpty()) {
      QApplication::exit(okSoFar ? 0 : 1);
      return;
    }
    const auto [team, file] = teams->takeFirst();
    TeamWindow* w = m_controller->openTeamConsole(team);
    if (!w) {
      std::fprintf(stderr, "cyberex-gui: --team-screenshot: no team console for '%s'\n", qPrintable(team));
      (*next)(false);
      return;
    }
    w->resize(1500, 900);
    connect(
        w->state(), &ConsoleState::snapshotApplied, this,
        [this, w, file, next, okSoFar] {
          QTimer::singleShot(settle_ms, this, [w, file, next, okSoFar] {
            w->inboxView()->selectRow(0);
            QApplication::processEvents();
            const bool saved = w->grab().save(file);
            if (!saved)
              std::fprintf(stderr, "cyberex-gui: cannot write %s\n", qPrintable(file));
            w->close();
            (*next)(okSoFar && saved);
          });
        },
        Qt::SingleShotConnection);
  };
  (*next)(ok);
}

bool MainWindow::grabCloseQuestion(const QString& file)
{
  // what the controller sees on closing the window (Ctrl+W): the console with the question over it; then Cancel
  ControllerWindow* controller = m_controller;
  if (!controller)
    return false;
  controller->resize(1600, 1000);
  controller->tabs()->setCurrentIndex(2); // the MSEL
  QApplication::processEvents();
  controller->close();
  QApplication::processEvents();
  auto* box = controller->findChild<QMessageBox*>("confirmation");
  if (!box || !box->isVisible()) {
    std::fprintf(stderr, "cyberex-gui: --screenshot close: closing the controller console asked nothing\n");
    return false;
  }
  QPixmap shot = controller->grab();
  const QPixmap question = box->grab();
  {
    // the offscreen platform draws no window frames: a dimmed console and a framed box say which is in front
    QPainter p(&shot);
    p.fillRect(shot.rect(), QColor(0, 0, 0, 70));
    const QPoint at((shot.width() - question.width()) / 2, (shot.height() - question.height()) / 3);
    p.fillRect(QRect(at, question.size()).adjusted(-1, -1, 1, 1), QColor(90, 90, 90));
    p.drawPixmap(at, question);
  }
  const bool saved = shot.save(file);
  if (!saved)
    std::fprintf(stderr, "cyberex-gui: cannot write %s\n", qPrintable(file));
  for (QAbstractButton* b : box->buttons())
    if (box->buttonRole(b) == QMessageBox::RejectRole)
      b->click();
  QApplication::processEvents();
  return saved;
}

void MainWindow::openJournal(const QString& journal)
{
  QSettings().setValue("launcher/journal", journal);
  auto* player = new AarPlayer;
  player->setAttribute(Qt::WA_DeleteOnClose);
  const QString cyberex = LocalServer::findBinary();
  if (!cyberex.isEmpty())
    player->setCyberexProgram(cyberex);
  connect(player, &AarPlayer::openFailed, player, [player](const QString& m) {
    auto* box = new QMessageBox(QMessageBox::Warning, player->windowTitle(), m, QMessageBox::Ok, player);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  });
  player->openJournal(journal);
  player->show();
  hide();
}
