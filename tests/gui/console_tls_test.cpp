/* TLS: a real `cyberex serve --cert --key` (started by LocalServer) with a self-signed certificate made by openssl
 * in the test, as tests/unit/net_server_test.cpp makes it; the console trusts it with --ca, refuses it without, and
 * says what went wrong for a plain client, a wss:// client of a plain server and a CA file that is not one. */
#include "console_support.hpp"

#include "console/controller_window.hpp"
#include "console/team_window.hpp"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace cyberex::gui;
using namespace cyberex::gui::test;

namespace {

/// Open CONNECTION to URL as the controller of SERVER and wait for the welcome or the first error; the error text.
QString openAndWait(DrillConnection& connection, const QUrl& url, const LocalServer& server)
{
  QSignalSpy errors(&connection, &DrillConnection::connectionError);
  QSignalSpy welcomed(&connection, &DrillConnection::welcomed);
  connection.open(url, server.tokens().value("controller"));
  if (!QTest::qWaitFor([&] { return !errors.isEmpty() || !welcomed.isEmpty(); }, reply_timeout_ms))
    return "neither a welcome nor an error within the timeout";
  return errors.value(0).value(0).toString();
}

} // namespace

class ConsoleTlsTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void serverUrls();
  void trustedCertificate();
  void teamConsoleTrustsItToo();
  void untrustedCertificate();
  void plainClientOfATlsServer();
  void tlsClientOfAPlainServer();
  void badCaFile();

private:
  QTemporaryDir m_dir;
  LocalServer m_tls;
  LocalServer m_plain;
  QString m_cert;
};

void ConsoleTlsTest::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);
  useBuiltBinary();
  QVERIFY(m_dir.isValid());
  // no openssl fails every test here (a skip read as a pass by ctest would check nothing; scripts/setup.sh installs it)
  if (QStandardPaths::findExecutable("openssl").isEmpty())
    QFAIL("openssl is needed to make the test's certificate (scripts/setup.sh installs it)");
  m_cert = m_dir.filePath("cert.pem");
  QProcess openssl;
  openssl.start("openssl",
                {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext",
                 "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", m_dir.filePath("key.pem"), "-out", m_cert});
  QVERIFY(openssl.waitForFinished(60000));
  QCOMPARE(openssl.exitCode(), 0);
  m_tls.setTls(m_cert, m_dir.filePath("key.pem"));
  for (LocalServer* server : {&m_tls, &m_plain}) {
    const QString error = startServer(*server);
    QVERIFY2(error.isEmpty(), qPrintable(error));
  }
}

void ConsoleTlsTest::serverUrls()
{
  QCOMPARE(m_tls.url().scheme(), QString("wss"));
  QCOMPARE(m_tls.certificate(), m_cert);
  QCOMPARE(m_plain.url().scheme(), QString("ws"));
  // what the command line and the launcher accept
  QCOMPARE(parseServerUrl("127.0.0.1:8600"), QUrl("ws://127.0.0.1:8600/"));
  QCOMPARE(parseServerUrl("127.0.0.1:8600", true), QUrl("wss://127.0.0.1:8600/"));
  QCOMPARE(parseServerUrl(" ws://drill.example.org:8600/ ", true), QUrl("wss://drill.example.org:8600/"));
  QCOMPARE(parseServerUrl("wss://drill.example.org:8600"), QUrl("wss://drill.example.org:8600/"));
  QString error;
  QVERIFY(!parseServerUrl("https://drill.example.org:8600/", false, &error).isValid());
  QCOMPARE(error,
           QString("expected ws://HOST:PORT/, wss://HOST:PORT/ or HOST:PORT, got \"https://drill.example.org:8600/\""));
  QVERIFY(!parseServerUrl("drill.example.org", true, &error).isValid());
  QCOMPARE(error, QString("expected ws://HOST:PORT/, wss://HOST:PORT/ or HOST:PORT, got \"drill.example.org\""));
}

void ConsoleTlsTest::trustedCertificate()
{
  DrillConnection connection;
  ConsoleState state(&connection);
  QString error;
  QVERIFY2(connection.setCaFile(m_cert, &error), qPrintable(error));
  QCOMPARE(connection.caCertificates().size(), 1);
  QCOMPARE(openAndWait(connection, m_tls.url(), m_tls), QString());
  QCOMPARE(connection.role(), QString("controller"));
  QTRY_VERIFY(state.hasSnapshot());
  QCOMPARE(call(&state, {{"type", "step"}, {"to", "time"}, {"time", "15m"}}).toObject().value("time"),
           QJsonValue(900.0));
  QCOMPARE(state.msel()->rowCount(), 6);
}

void ConsoleTlsTest::teamConsoleTrustsItToo()
{
  // a team console opened from the controller console connects with the controller's trusted certificates
  DrillConnection connection;
  ConsoleState state(&connection);
  QVERIFY(connection.setCaFile(m_cert));
  QCOMPARE(openAndWait(connection, m_tls.url(), m_tls), QString());
  ControllerWindow window(&state);
  window.setDrillAccess(m_tls.url(), m_tls.tokens());
  QPointer<TeamWindow> team = window.openTeamConsole("cert-gov");
  QVERIFY(team);
  QTRY_VERIFY_WITH_TIMEOUT(team->state()->hasSnapshot(), start_timeout_ms);
  QCOMPARE(team->state()->team(), QString("cert-gov"));
  QCOMPARE(team->state()->connection()->url().scheme(), QString("wss"));
  team->close();
}

void ConsoleTlsTest::untrustedCertificate()
{
  DrillConnection connection;
  QSignalSpy errors(&connection, &DrillConnection::connectionError);
  const QString error = openAndWait(connection, m_tls.url(), m_tls);
  QCOMPARE(error, m_tls.url().toString() +
                      ": the server's TLS certificate was refused: The certificate is self-signed, and untrusted. "
                      "To trust a self-signed certificate or a private CA, give its PEM file with --ca FILE (the "
                      "launcher's \"CA certificate\")");
  // a certificate does not get better by retrying: no reconnection
  QCOMPARE(connection.state(), DrillConnection::State::disconnected);
  QTest::qWait(1500);
  QCOMPARE(connection.state(), DrillConnection::State::disconnected);
  QCOMPARE(errors.size(), 1);
}

void ConsoleTlsTest::plainClientOfATlsServer()
{
  DrillConnection connection;
  QUrl url = m_tls.url();
  url.setScheme("ws");
  const QString error = openAndWait(connection, url, m_tls);
  QCOMPARE(error, url.toString() + ": The remote host closed the connection before the WebSocket handshake: is the "
                                   "server serving wss:// rather than ws://?");
  QCOMPARE(connection.state(), DrillConnection::State::disconnected);
}

void ConsoleTlsTest::tlsClientOfAPlainServer()
{
  DrillConnection connection;
  QUrl url = m_plain.url();
  url.setScheme("wss");
  const QString error = openAndWait(connection, url, m_plain);
  QCOMPARE(error, url.toString() + ": The remote host closed the connection before the WebSocket handshake: is the "
                                   "server serving ws:// rather than wss://?");
  QCOMPARE(connection.state(), DrillConnection::State::disconnected);
}

void ConsoleTlsTest::badCaFile()
{
  DrillConnection connection;
  QString error;
  QVERIFY(!connection.setCaFile(m_dir.filePath("missing.pem"), &error));
  QCOMPARE(error, "CA certificate " + m_dir.filePath("missing.pem") + ": No such file or directory");
  QVERIFY(!connection.setCaFile(m_dir.filePath("key.pem"), &error));
  QCOMPARE(error, "CA certificate " + m_dir.filePath("key.pem") +
                      ": no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
  QVERIFY(connection.caCertificates().isEmpty());
}

QTEST_MAIN(ConsoleTlsTest)
#include "console_tls_test.moc"
