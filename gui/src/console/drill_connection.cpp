#include "console/drill_connection.hpp"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslError>
#include <QSslSocket>

namespace cyberex::gui {

QUrl parseServerUrl(const QString& input, bool tls, QString* error)
{
  const QString text = input.trimmed();
  auto fail = [&] {
    if (error)
      *error = QObject::tr("expected ws://HOST:PORT/, wss://HOST:PORT/ or HOST:PORT, got \"%1\"").arg(input);
    return QUrl();
  };
  QUrl url(text.contains("://") ? text : (tls ? "wss://" : "ws://") + text);
  if (!url.isValid() || (url.scheme() != "ws" && url.scheme() != "wss") || url.host().isEmpty() || url.port() <= 0)
    return fail();
  if (tls)
    url.setScheme("wss");
  if (url.path().isEmpty())
    url.setPath("/");
  return url;
}

DrillConnection::DrillConnection(QObject* parent) : QObject(parent)
{
  m_reconnectTimer.setSingleShot(true);
  connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
    if (m_closing)
      return;
    setState(State::connecting);
    m_socket.open(m_url);
  });
  connect(&m_socket, &QWebSocket::connected, this, &DrillConnection::onConnected);
  connect(&m_socket, &QWebSocket::disconnected, this, &DrillConnection::onDisconnected);
  connect(&m_socket, &QWebSocket::textMessageReceived, this, &DrillConnection::onText);
  connect(&m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
          [this](QAbstractSocket::SocketError e) {
            if (m_closing)
              return;
            const bool tls = m_url.scheme() == "wss";
            // closed before the WebSocket handshake: most often one side speaks TLS and the other does not
            // (certificate problems are onSslErrors'); final unless this drill had already welcomed us
            if (e == QAbstractSocket::SslHandshakeFailedError ||
                (e == QAbstractSocket::RemoteHostClosedError && !m_socketOpen)) {
              const QString message =
                  tr("%1: %2 before the WebSocket handshake: is the server serving %3 rather than %4?")
                      .arg(m_url.toString(), m_socket.errorString(), tls ? "ws://" : "wss://",
                           tls ? "wss://" : "ws://");
              if (!m_welcomed)
                return fatal(message);
              emit connectionError(message);
              return;
            }
            emit connectionError(tr("%1: %2").arg(m_url.toString(), m_socket.errorString()));
          });
  connect(&m_socket, &QWebSocket::sslErrors, this, &DrillConnection::onSslErrors);
}

bool DrillConnection::setCaFile(const QString& file, QString* error)
{
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly)) {
    if (error)
      *error = tr("CA certificate %1: %2").arg(file, f.errorString());
    return false;
  }
  const QList<QSslCertificate> certificates = QSslCertificate::fromData(f.readAll(), QSsl::Pem);
  if (certificates.isEmpty()) {
    if (error)
      *error = tr("CA certificate %1: no PEM certificate (-----BEGIN CERTIFICATE-----) in the file").arg(file);
    return false;
  }
  m_ca = certificates;
  return true;
}

void DrillConnection::onSslErrors(const QList<QSslError>& errors)
{
  QStringList reasons;
  for (const QSslError& e : errors)
    if (!reasons.contains(e.errorString()))
      reasons.append(e.errorString());
  fatal(tr("%1: the server's TLS certificate was refused: %2. To trust a self-signed certificate or a private CA, "
           "give its PEM file with --ca FILE (the launcher's \"CA certificate\")")
            .arg(m_url.toString(), reasons.join("; ")));
}

void DrillConnection::fatal(const QString& message)
{
  // nothing a retry could change: no reconnection
  m_closing = true;
  m_reconnectTimer.stop();
  emit connectionError(message);
  failPending(message);
  setState(State::disconnected);
}

DrillConnection::~DrillConnection()
{
  m_closing = true;
  m_socket.disconnect(this);
  m_socket.abort();
}

void DrillConnection::open(const QUrl& url, const QString& token, quint64 since)
{
  m_closing = false;
  m_url = url;
  m_token = token;
  m_lastSeq = since;
  m_attempts = 0;
  m_welcomed = false;
  m_socketOpen = false;
  m_socket.abort();
  if (url.scheme() == "wss") {
    if (!QSslSocket::supportsSsl()) {
      setState(State::connecting);
      QTimer::singleShot(0, this, [this] {
        fatal(tr("%1: this program has no TLS support (Qt found no TLS backend): cannot connect to a wss:// server")
                  .arg(m_url.toString()));
      });
      return;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!m_ca.isEmpty())
      tls.addCaCertificates(m_ca);
    m_socket.setSslConfiguration(tls);
  }
  setState(State::connecting);
  m_socket.open(url);
}

void DrillConnection::reconnect()
{
  if (m_url.isEmpty() || m_token.isEmpty())
    return;
  const bool welcomed = m_welcomed;
  open(m_url, m_token, m_lastSeq);
  m_welcomed = welcomed; // a drill that welcomed us before: errors before the handshake are not final
}

void DrillConnection::close()
{
  m_closing = true;
  m_reconnectTimer.stop();
  m_socket.close();
  failPending(tr("the connection was closed before the reply"));
  setState(State::disconnected);
}

QString DrillConnection::send(QJsonObject command, QObject* context, ReplyHandler handler)
{
  QString id = command.value("id").toString();
  if (id.isEmpty()) {
    // the server applies a command id once per principal: ids are unique to this connection object
    id = QStringLiteral("g%1-%2").arg(m_idPrefix).arg(m_nextId++);
    command.insert("id", id);
  }
  const QString type = command.value("type").toString();
  if (!isReady()) {
    DrillReply r;
    r.id = id;
    r.type = type;
    r.errorCode = "disconnected";
    r.errorMessage = tr("not connected to the drill server (%1): the command \"%2\" was not sent")
                         .arg(m_url.isEmpty() ? tr("no server") : m_url.toString(), type);
    m_pending.insert(id, Pending{type, context, context != nullptr, std::move(handler)});
    QTimer::singleShot(0, this, [this, id, r] {
      if (m_pending.contains(id))
        deliver(id, r);
    });
    return id;
  }
  m_pending.insert(id, Pending{type, context, context != nullptr, std::move(handler)});
  m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(command).toJson(QJsonDocument::Compact)));
  return id;
}

void DrillConnection::setState(State s)
{
  if (s == m_state)
    return;
  m_state = s;
  emit stateChanged(s);
}

void DrillConnection::onConnected()
{
  m_socketOpen = true;
  setState(State::authenticating);
  QJsonObject hello{{"type", "hello"}, {"token", m_token}};
  // the server answers a known since with the records after it, otherwise with a snapshot
  if (m_lastSeq > 0)
    hello.insert("since", static_cast<qint64>(m_lastSeq));
  m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(hello).toJson(QJsonDocument::Compact)));
}

void DrillConnection::onDisconnected()
{
  m_socketOpen = false;
  const bool wasReady = m_state == State::ready;
  failPending(tr("the connection was lost before the reply: the command may or may not have been applied"));
  if (m_closing) {
    setState(State::disconnected);
    return;
  }
  if (wasReady)
    emit connectionError(tr("lost the connection to %1 (%2)%3")
                             .arg(m_url.toString(),
                                  m_socket.closeReason().isEmpty() ? m_socket.errorString() : m_socket.closeReason(),
                                  m_reconnectDelay > 0 ? tr("; reconnecting") : QString()));
  scheduleReconnect();
}

void DrillConnection::scheduleReconnect()
{
  if (m_reconnectDelay <= 0 || m_closing || (!m_welcomed && m_attempts > 0 && m_token.isEmpty())) {
    setState(State::disconnected);
    return;
  }
  if (m_attempts >= m_maxAttempts) {
    // a stopped drill (its controller closed it) never comes back: say so rather than retry forever
    m_closing = true;
    setState(State::disconnected);
    emit connectionError(tr("the drill server at %1 is gone: no answer after %2 reconnection attempts (%3). The drill "
                            "has probably been stopped; ask the White Cell, then use File → Reconnect")
                             .arg(m_url.toString())
                             .arg(m_attempts)
                             .arg(m_socket.errorString()));
    return;
  }
  const int delay = m_reconnectDelay * (1 << std::min(m_attempts, 3));
  ++m_attempts;
  setState(State::reconnecting);
  m_reconnectTimer.start(delay);
}

void DrillConnection::onText(const QString& text)
{
  QJsonParseError err;
  const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
  if (!doc.isObject()) {
    emit connectionError(tr("the server sent a message that is not a JSON object (%1)").arg(err.errorString()));
    return;
  }
  const QJsonObject obj = doc.object();
  const QString type = obj.value("type").toString();
  if (type == "welcome") {
    m_welcomed = true;
    m_attempts = 0;
    m_role = obj.value("role").toString();
    m_team = obj.value("team").toString();
    setState(State::ready);
    emit welcomed(obj);
    return;
  }
  if (type == "snapshot") {
    const QJsonObject snap = obj.value("snapshot").toObject();
    m_lastSeq = static_cast<quint64>(snap.value("seq").toDouble());
    emit snapshotReceived(snap);
    return;
  }
  if (obj.contains("seq") && obj.contains("kind")) {
    const auto seq = static_cast<quint64>(obj.value("seq").toDouble());
    if (seq <= m_lastSeq)
      return; // already seen before a reconnection
    m_lastSeq = seq;
    emit recordReceived(obj);
    return;
  }
  if (obj.contains("ok")) {
    dispatchReply(obj);
    return;
  }
  emit connectionError(tr("the server sent an unexpected message: %1").arg(text.left(200)));
}

void DrillConnection::dispatchReply(const QJsonObject& obj)
{
  DrillReply r;
  r.id = obj.value("id").toString();
  r.ok = obj.value("ok").toBool();
  r.result = obj.value("result");
  const QJsonObject error = obj.value("error").toObject();
  r.errorCode = error.value("code").toString();
  r.errorMessage = error.value("message").toString();
  if (!m_welcomed && !r.ok) {
    // the hello was refused: a wrong token does not get better by retrying
    m_closing = true;
    emit connectionError(tr("%1 refused the connection: %2 (%3)").arg(m_url.toString(), r.errorMessage, r.errorCode));
    m_socket.close();
    setState(State::disconnected);
    return;
  }
  r.type = m_pending.value(r.id).type;
  deliver(r.id, r);
}

void DrillConnection::deliver(const QString& id, const DrillReply& reply)
{
  const Pending p = m_pending.take(id);
  if (p.handler && (!p.hasContext || p.context))
    p.handler(reply);
  emit replyReceived(reply);
  if (!reply.ok)
    emit commandRejected(reply);
}

void DrillConnection::failPending(const QString& message)
{
  const QList<QString> ids = m_pending.keys();
  for (const QString& id : ids) {
    DrillReply r;
    r.id = id;
    r.type = m_pending.value(id).type;
    r.errorCode = "disconnected";
    r.errorMessage = message;
    deliver(id, r);
  }
}

} // namespace cyberex::gui
