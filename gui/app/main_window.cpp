#include "main_window.hpp"

#include "aar/aar_player.hpp"
#include "console/console_state.hpp"
#include "console/controller_window.hpp"
#include "console/local_server.hpp"
#include "console/team_window.hpp"
#include "map/map_view.hpp"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
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

constexpr int settle_ms = 2500; // after the script: scores refreshed, charts redrawn

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
  auto* start = new QPushButton(tr("&Start drill"), local);
  localForm->addRow(tr("Scenario"), fileRow(m_scenarioEdit, tr("Scenarios (*.json)"), this));
  localForm->addRow(QString(), start);
  layout->addWidget(local);

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
  auto* open = new QPushButton(tr("&Open journal"), review);
  reviewForm->addRow(tr("Journal"), fileRow(m_journalEdit, tr("Journals (*.journal *.jsonl);;All files (*)"), this));
  reviewForm->addRow(QString(), open);
  layout->addWidget(review);

  m_error = new QLabel(page);
  m_error->setWordWrap(true);
  m_error->setStyleSheet("color: #b02020");
  layout->addWidget(m_error);
  layout->addStretch(1);
  setCentralWidget(page);
  resize(720, 560);

  connect(start, &QPushButton::clicked, this, [this] {
    if (m_scenarioEdit->text().trimmed().isEmpty())
      return showError(tr("Scenario: choose a scenario file"));
    startLocal(m_scenarioEdit->text().trimmed());
  });
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
    openJournal(m_journalEdit->text().trimmed());
  });
}

MainWindow::~MainWindow()
{
  delete m_controller;
  delete m_team;
}

void MainWindow::showError(const QString& message)
{
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
  if (!options.scenario.isEmpty())
    startLocal(options.scenario, options.speed);
  else if (!options.url.isEmpty())
    connectTo(parseServerUrl(options.url, options.tls), options.token, options.catalog, options.ca);
  else if (!options.journal.isEmpty())
    openJournal(options.journal);
  else
    show();
}

void MainWindow::startLocal(const QString& scenario, double speed)
{
  QSettings().setValue("launcher/scenario", scenario);
  m_error->setText(tr("Starting a drill of %1…").arg(scenario));
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
  m_server->start(scenario, {}, speed);
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
    if (m_server)
      m_controller->setDrillAccess(m_server->url(), m_server->tokens());
    m_controller->show();
    if (m_scripted) {
      m_controller->resize(1680, 1000);
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
  static const QMap<QString, int> tabs{{"map", 0}, {"msel", 1}, {"events", 2}, {"teams", 3}, {"evaluation", 4}};
  for (auto it = m_options.screenshots.begin(); it != m_options.screenshots.end(); ++it) {
    if (!tabs.contains(it.key())) {
      std::fprintf(stderr, "cyberex-gui: --screenshot: no tab '%s' (map, msel, events, teams, evaluation)\n",
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
