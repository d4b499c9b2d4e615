#include "console/local_server.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStandardPaths>

namespace cyberex::gui {

namespace {
constexpr int poll_interval_ms = 50;
constexpr int start_timeout_ms = 120000; // a large scenario takes a while to load and check
} // namespace

LocalServer::LocalServer(QObject* parent) : QObject(parent)
{
  m_poll.setInterval(poll_interval_ms);
  connect(&m_poll, &QTimer::timeout, this, &LocalServer::poll);
  m_kill.setSingleShot(true);
  connect(&m_kill, &QTimer::timeout, this, [this] {
    if (m_process.state() != QProcess::NotRunning)
      m_process.kill();
  });
  connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
    m_partial += m_process.readAllStandardError();
    qsizetype nl;
    while ((nl = m_partial.indexOf('\n')) >= 0) {
      const QString line = QString::fromUtf8(m_partial.left(nl));
      m_partial.remove(0, nl + 1);
      m_log.append(line);
      if (m_log.size() > 200)
        m_log.removeFirst();
      emit logLine(line);
    }
  });
  connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
    m_poll.stop();
    m_kill.stop();
    const QString last = m_log.isEmpty() ? QString() : m_log.constLast();
    if (!m_ready) {
      fail(status == QProcess::CrashExit
               ? tr("cyberex serve crashed while starting: %1").arg(last)
               : tr("cyberex serve exited with status %1 while starting: %2").arg(code).arg(last));
      return;
    }
    const bool clean = status == QProcess::NormalExit && code == 0;
    if (!clean)
      emit failed(tr("the drill server stopped (status %1): %2").arg(code).arg(last));
    emit stopped(clean);
  });
  connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
    if (e == QProcess::FailedToStart)
      fail(tr("cannot run %1: %2").arg(m_process.program(), m_process.errorString()));
  });
}

LocalServer::~LocalServer()
{
  m_process.disconnect(this);
  if (m_process.state() != QProcess::NotRunning) {
    m_process.terminate();
    if (!m_process.waitForFinished(3000))
      m_process.kill();
    m_process.waitForFinished(1000);
  }
}

QString LocalServer::findBinary()
{
  const QString env = QProcessEnvironment::systemEnvironment().value("CYBEREX_BINARY");
  if (!env.isEmpty() && QFileInfo(env).isExecutable())
    return env;
  const QString setting = QSettings().value("paths/cyberex").toString();
  if (!setting.isEmpty() && QFileInfo(setting).isExecutable())
    return setting;
  const QDir here(QCoreApplication::applicationDirPath());
  for (const QString& candidate : {here.filePath("cyberex"), here.filePath("../sim/cyberex")})
    if (QFileInfo(candidate).isExecutable() && QFileInfo(candidate).isFile())
      return QFileInfo(candidate).canonicalFilePath();
  return QStandardPaths::findExecutable("cyberex");
}

QString LocalServer::defaultJournal(const QString& scenario, const QDateTime& now)
{
  const QDir folder(QDir::home().filePath("cyberex-drills"));
  QString stem = QFileInfo(scenario).completeBaseName();
  if (stem.isEmpty())
    stem = "drill";
  const QString base = stem + "-" + now.toString("yyyy-MMdd-HHmm");
  QString path = folder.filePath(base + ".journal");
  for (int n = 2; QFileInfo::exists(path) || QFileInfo::exists(tokensFile(path)); ++n)
    path = folder.filePath(QStringLiteral("%1-%2.journal").arg(base).arg(n));
  return path;
}

void LocalServer::start(const QString& scenario, const QString& journal, double speed)
{
  m_ready = false;
  m_polls = 0;
  m_scenario = scenario;
  auto failLater = [this](const QString& message) { QTimer::singleShot(0, this, [this, message] { fail(message); }); };
  const QString binary = findBinary();
  if (binary.isEmpty())
    return failLater(tr("cannot find the cyberex program: set CYBEREX_BINARY or put cyberex next to cyberex-gui"));
  if (journal.trimmed().isEmpty())
    return failLater(tr("Journal: choose where the drill's journal goes"));
  m_journal = QFileInfo(journal.trimmed()).absoluteFilePath();
  const QString folder = QFileInfo(m_journal).absolutePath();
  if (!QDir().mkpath(folder))
    return failLater(tr("cannot create the folder %1 for the journal").arg(QDir::toNativeSeparators(folder)));
  // only the port number goes to a temporary folder: the drill's record stays where the controller chose
  m_portDir = std::make_unique<QTemporaryDir>(QDir::temp().filePath("cyberex-gui-XXXXXX"));
  m_portFile = m_portDir->filePath("port");
  QStringList args{"serve", scenario, "--listen", "127.0.0.1:0", "--journal", m_journal, "--port-file", m_portFile};
  if (speed != 1.0)
    args << "--speed" << QString::number(speed, 'g', 10);
  if (!m_cert.isEmpty())
    args << "--cert" << m_cert << "--key" << m_key;
  m_process.start(binary, args);
  m_poll.start();
}

void LocalServer::setTls(const QString& cert, const QString& key)
{
  m_cert = cert;
  m_key = key;
}

void LocalServer::stop(int killAfterMs)
{
  m_poll.stop();
  if (m_process.state() == QProcess::NotRunning)
    return;
  m_process.terminate();
  m_kill.start(killAfterMs);
}

bool LocalServer::isRunning() const
{
  return m_process.state() == QProcess::Running;
}

void LocalServer::fail(const QString& message)
{
  m_poll.stop();
  emit failed(message);
}

void LocalServer::poll()
{
  if (++m_polls * poll_interval_ms > start_timeout_ms) {
    stop();
    fail(tr("cyberex serve did not start listening within %1 s").arg(start_timeout_ms / 1000));
    return;
  }
  QFile f(m_portFile);
  if (!f.open(QIODevice::ReadOnly))
    return;
  const QByteArray text = f.readAll().trimmed();
  bool ok = false;
  const int port = text.toInt(&ok);
  if (!ok || port <= 0)
    return; // still being written
  m_poll.stop();
  QString error;
  m_tokens = readTokens(tokensFile(m_journal), &error);
  if (m_tokens.isEmpty()) {
    fail(error);
    return;
  }
  m_url = QUrl(QStringLiteral("%1://127.0.0.1:%2/").arg(m_cert.isEmpty() ? "ws" : "wss").arg(port));
  m_ready = true;
  emit ready(m_url);
}

QMap<QString, QString> LocalServer::readTokens(const QString& path, QString* error)
{
  QMap<QString, QString> out;
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
    if (error)
      *error = tr("cannot read the tokens file %1: %2").arg(path, f.errorString());
    return out;
  }
  int line = 0;
  while (!f.atEnd()) {
    ++line;
    const QString text = QString::fromUtf8(f.readLine()).trimmed();
    if (text.isEmpty() || text.startsWith('#'))
      continue;
    const QStringList parts = text.split(' ', Qt::SkipEmptyParts);
    if (parts.size() != 2) {
      if (error)
        *error = tr("%1:%2: expected \"role[:team] token\", got \"%3\"").arg(path).arg(line).arg(text.left(40));
      return {};
    }
    out.insert(parts[0], parts[1]);
  }
  if (out.isEmpty() && error)
    *error = tr("%1: no token in the file").arg(path);
  return out;
}

} // namespace cyberex::gui
