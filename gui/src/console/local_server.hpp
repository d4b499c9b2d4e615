/* Starts a drill server on this machine (`cyberex serve ... --listen 127.0.0.1:0`) for the console to connect to. */
#pragma once

#include <QMap>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

class QDateTime;

#include <memory>

namespace cyberex::gui {

/// A `cyberex serve` child process on loopback: a free port, the journal the controller chose and the tokens file the
/// server writes beside it (JOURNAL.tokens); ws://, or wss:// with a certificate. Never blocks: `ready` or `failed` is
/// emitted later. Nothing of the drill is written in a temporary folder: only the port file (the port number the
/// server picked) is, and that folder goes with this object; the journal, the tokens and whatever the server keeps
/// beside them stay where they are.
class LocalServer : public QObject {
  Q_OBJECT
public:
  explicit LocalServer(QObject* parent = nullptr);
  ~LocalServer() override;

  /// The cyberex binary: $CYBEREX_BINARY, the setting "paths/cyberex", next to this program (or in ../sim of a build
  /// tree), then PATH. Empty when none is found.
  static QString findBinary();

  /// Where a drill of SCENARIO started at NOW keeps its journal by default:
  /// ~/cyberex-drills/<scenario stem>-<yyyy-MMdd-HHmm>.journal, with -2, -3 ... when that journal or its tokens
  /// file exists already (a default is always a new drill). Creates no folder.
  static QString defaultJournal(const QString& scenario, const QDateTime& now);
  /// The tokens file `cyberex serve` writes beside JOURNAL.
  static QString tokensFile(const QString& journal) { return journal + ".tokens"; }

  /// Start serving SCENARIO with JOURNAL (an existing journal: the server recovers the drill from it), creating
  /// JOURNAL's folder. SPEED: simulated s per wall s.
  void start(const QString& scenario, const QString& journal, double speed = 1.0);
  /// Serve wss:// with the PEM certificate chain CERT and private key KEY (cyberex serve --cert --key); call before
  /// start. Empty: ws://.
  void setTls(const QString& cert, const QString& key);
  QString certificate() const { return m_cert; }
  /// Stop the server (SIGTERM: it finishes the journal and exits); killed if it has not exited after KILL_AFTER_MS
  /// (what it acknowledged is on disk either way). `stopped` follows.
  void stop(int killAfterMs = 10000);

  bool isRunning() const;
  QUrl url() const { return m_url; }
  QString scenario() const { return m_scenario; }
  QString journal() const { return m_journal; }
  /// The tokens file as "role" or "role:team" -> token, e.g. "controller", "player:cert-gov".
  QMap<QString, QString> tokens() const { return m_tokens; }
  /// The server's log (stderr), last lines first dropped beyond 200 lines.
  QStringList log() const { return m_log; }

  /// Parse a tokens file ("role[:team] token" lines, '#' comments); ERROR says what is wrong when it returns empty.
  static QMap<QString, QString> readTokens(const QString& path, QString* error = nullptr);

signals:
  void ready(const QUrl& url);
  /// The server that was ready has exited; CLEAN: status 0 after SIGTERM (it finished its journal).
  void stopped(bool clean);
  void failed(const QString& message);
  void logLine(const QString& line);

private:
  void poll();
  void fail(const QString& message);

  QProcess m_process;
  QTimer m_poll;
  QTimer m_kill;
  std::unique_ptr<QTemporaryDir> m_portDir; ///< holds the port file only
  QString m_scenario;
  QString m_journal;
  QString m_portFile;
  QString m_cert;
  QString m_key;
  QUrl m_url;
  QMap<QString, QString> m_tokens;
  QStringList m_log;
  QByteArray m_partial;
  int m_polls = 0;
  bool m_ready = false;
};

} // namespace cyberex::gui
