/* A non-blocking client of the drill server (docs/running-a-drill.md, "The wire protocol"). */
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <functional>

namespace cyberex::gui {

/// The answer to one command: `{"id","ok","result"}` or `{"id","ok":false,"error":{"code","message"}}`.
struct DrillReply {
  QString id;
  QString type; ///< the command's type, as sent
  bool ok = false;
  QJsonValue result;
  QString errorCode;    ///< e.g. "not-owner", or "disconnected" when the connection was lost before the reply
  QString errorMessage; ///< the server's message, starting with the JSON pointer of the offending field
};

/// A server URL as a person types it: "ws://HOST:PORT/", "wss://HOST:PORT/" or "HOST:PORT" (ws://, or wss:// when
/// TLS). TLS turns ws:// into wss://. An invalid URL (ERROR says why) when TEXT is none of these.
QUrl parseServerUrl(const QString& text, bool tls = false, QString* error = nullptr);

/// One WebSocket connection to `cyberex serve`: authenticates with a token, sends commands and matches their replies,
/// forwards records, and reconnects with `since` = the last record's seq. Every call returns at once; results arrive
/// as signals on the thread that owns the object.
class DrillConnection : public QObject {
  Q_OBJECT
public:
  enum class State { disconnected, connecting, authenticating, ready, reconnecting };
  Q_ENUM(State)
  using ReplyHandler = std::function<void(const DrillReply&)>;

  explicit DrillConnection(QObject* parent = nullptr);
  ~DrillConnection() override;

  /// Connect to URL (ws:// or wss://) and authenticate with TOKEN; `since` > 0 asks for the records after it.
  void open(const QUrl& url, const QString& token, quint64 since = 0);
  /// Trust the PEM certificates in FILE for wss:// (a self-signed server certificate or a private CA), besides the
  /// system's; false (and ERROR) when FILE cannot be read or holds no certificate. Takes effect at the next open.
  bool setCaFile(const QString& file, QString* error = nullptr);
  void setCaCertificates(const QList<QSslCertificate>& certificates) { m_ca = certificates; }
  QList<QSslCertificate> caCertificates() const { return m_ca; }
  /// Close for good (no reconnection).
  void close();

  /// Send COMMAND (an "id" is added when missing) and return its id. HANDLER, if given, runs once with the reply
  /// while CONTEXT is alive; replyReceived is emitted for every reply as well. When not ready, the reply is an
  /// error "disconnected", delivered from the event loop.
  QString send(QJsonObject command, QObject* context = nullptr, ReplyHandler handler = {});

  State state() const { return m_state; }
  bool isReady() const { return m_state == State::ready; }
  QString role() const { return m_role; }
  QString team() const { return m_team; }
  QUrl url() const { return m_url; }
  quint64 lastSeq() const { return m_lastSeq; }
  /// Delay before the first reconnection attempt (doubles up to 8 times that); 0 disables reconnection.
  void setReconnectDelay(int ms) { m_reconnectDelay = ms; }
  /// Give up after N reconnection attempts in a row that found no server (default 30: about two minutes, time for
  /// the White Cell to restart a crashed server); then connectionError says the server is gone and the state is
  /// disconnected. reconnect() tries again.
  void setMaxReconnectAttempts(int n) { m_maxAttempts = n; }
  /// Connect again to the same drill with the same token, catching up from the last record (after giving up).
  void reconnect();

signals:
  void stateChanged(cyberex::gui::DrillConnection::State state);
  /// The server accepted the token: `{"type":"welcome","role","team"?,"seq","journal_index","server"}`.
  void welcomed(const QJsonObject& welcome);
  /// Everything the principal may see now (after a first connection, or a reconnection too far behind).
  void snapshotReceived(const QJsonObject& snapshot);
  /// One record `{"seq","time","kind","type","subject","details"}`, in seq order, never twice.
  void recordReceived(const QJsonObject& record);
  void replyReceived(const cyberex::gui::DrillReply& reply);
  /// A command was rejected (also delivered through replyReceived).
  void commandRejected(const cyberex::gui::DrillReply& reply);
  /// The connection failed or was lost; MESSAGE says what happened and what the client does about it.
  void connectionError(const QString& message);

private:
  struct Pending {
    QString type;
    QPointer<QObject> context;
    bool hasContext = false;
    ReplyHandler handler;
  };
  void setState(State s);
  void onConnected();
  void onDisconnected();
  void onText(const QString& text);
  void onSslErrors(const QList<QSslError>& errors);
  void fatal(const QString& message);
  void dispatchReply(const QJsonObject& obj);
  void deliver(const QString& id, const DrillReply& reply);
  void failPending(const QString& message);
  void scheduleReconnect();

  QWebSocket m_socket;
  QTimer m_reconnectTimer;
  QUrl m_url;
  QString m_token;
  QString m_role;
  QString m_team;
  State m_state = State::disconnected;
  quint64 m_lastSeq = 0;
  quint64 m_nextId = 1;
  QString m_idPrefix = QString::number(QRandomGenerator::global()->generate(), 16); ///< ids: "g" + this + "-" + n
  int m_reconnectDelay = 500;
  int m_attempts = 0;
  int m_maxAttempts = 30;
  bool m_closing = false;
  bool m_welcomed = false;
  bool m_socketOpen = false; ///< the WebSocket handshake completed (connected, not yet disconnected)
  QHash<QString, Pending> m_pending;
  QList<QSslCertificate> m_ca;
};

} // namespace cyberex::gui
