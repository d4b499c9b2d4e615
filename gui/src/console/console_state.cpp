#include "console/console_state.hpp"

#include <QJsonArray>
#include <QPointer>
#include <QThread>

#include <memory>

namespace cyberex::gui {

namespace {
const QSet<QString> clock_commands{"clock", "start", "pause", "resume", "speed", "step", "end"};
const QSet<QString> inject_commands{"inject_release", "inject_delay", "inject_cancel", "inject_create"};
} // namespace

ConsoleState::ConsoleState(DrillConnection* connection, QObject* parent)
    : QObject(parent), m_connection(connection), m_eventLog(this), m_msel(this), m_expectations(this), m_inbox(this),
      m_alerts(this), m_sitreps(this), m_assets(this), m_leaderboard(this), m_scores(this)
{
  m_inbox.setHiddenPredicate([this](const QString& id) { return m_msel.isHidden(id); });
  m_clockPoll.setInterval(500);
  connect(&m_clockPoll, &QTimer::timeout, this, [this] {
    // a running clock moves with the wall clock, between records; a paused one moves only by a step, which every
    // console receives as a clock record
    const bool changing = m_clock.state == "running";
    if (!changing || !m_connection->isReady() || m_clockQueryPending)
      return;
    m_clockQueryPending = true;
    m_connection->send({{"type", "clock"}}, this, [this](const DrillReply& r) {
      m_clockQueryPending = false;
      if (r.ok)
        setClock(r.result.toObject());
    });
  });
  m_clockPoll.start();
  for (QTimer* t : {&m_scoresDebounce, &m_assetsDebounce}) {
    t->setSingleShot(true);
    t->setInterval(200);
  }
  connect(&m_scoresDebounce, &QTimer::timeout, this, &ConsoleState::refreshScores);
  connect(&m_assetsDebounce, &QTimer::timeout, this, &ConsoleState::refreshAssets);

  connect(m_connection, &DrillConnection::welcomed, this, [this](const QJsonObject& w) {
    m_role = w.value("role").toString();
    m_team = w.value("team").toString();
    if (m_role == "player")
      setPlayers({m_team});
    emit welcomed();
  });
  connect(m_connection, &DrillConnection::snapshotReceived, this, &ConsoleState::applySnapshot);
  connect(m_connection, &DrillConnection::recordReceived, this, &ConsoleState::applyRecord);
  connect(m_connection, &DrillConnection::connectionError, this, [this](const QString& message) {
    m_lastError = message;
    emit connectionMessage(message);
  });
}

void ConsoleState::setCatalog(const ScenarioCatalog& catalog)
{
  m_catalog = catalog;
  if (m_players.isEmpty() && isControl())
    setPlayers(catalog.playerTeams());
  emit catalogChanged();
}

void ConsoleState::loadCatalog(const QString& file)
{
  // loading a large scenario (imported backbones) takes a moment: never on the GUI thread
  auto result = std::make_shared<std::pair<ScenarioCatalog, QString>>();
  QThread* worker = QThread::create([file, result] { result->first = ScenarioCatalog::load(file, &result->second); });
  connect(worker, &QThread::finished, this, [this, result] {
    if (result->first.loaded)
      setCatalog(result->first);
    else
      emit catalogFailed(result->second);
  });
  connect(worker, &QThread::finished, worker, &QObject::deleteLater);
  worker->start();
}

QString ConsoleState::situationTime() const
{
  return m_catalog.situationTime(m_clock.time, m_start);
}

QStringList ConsoleState::knownIndicators() const
{
  QStringList out(m_known.begin(), m_known.end());
  out.sort();
  return out;
}

void ConsoleState::setPlayers(const QStringList& players)
{
  if (players == m_players)
    return;
  m_players = players;
  m_inbox.setTeams(players);
  emit playerTeamsChanged();
}

void ConsoleState::learn(const QJsonArray& indicators)
{
  bool changed = false;
  for (const auto& i : indicators)
    if (!m_known.contains(i.toString())) {
      m_known.insert(i.toString());
      changed = true;
    }
  if (changed)
    emit knownIndicatorsChanged();
}

void ConsoleState::setClock(const QJsonObject& c)
{
  if (c.isEmpty())
    return;
  m_clock.state = c.value("state").toString(m_clock.state);
  m_clock.time = c.value("time").toDouble(m_clock.time);
  m_clock.speed = c.value("speed").toDouble(m_clock.speed);
  m_clock.duration = c.value("duration").toDouble(m_clock.duration);
  m_clock.move = c.value("move").toString(m_clock.move);
  m_clock.nextEvent = c.value("next_event").isDouble() ? c.value("next_event").toDouble() : -1;
  m_clock.nextInject = c.value("next_inject").isDouble() ? c.value("next_inject").toDouble() : -1;
  emit clockChanged();
}

void ConsoleState::applySnapshot(const QJsonObject& s)
{
  ++m_snapshots;
  m_snapshot = s;
  m_role = s.value("role").toString(m_role);
  const QJsonObject ex = s.value("exercise").toObject();
  m_title = ex.value("title").toString();
  m_start = ex.value("start").toString();
  setClock(s.value("clock").toObject());
  m_leaderboard.setLeaderboard(s.value("leaderboard").toObject());
  m_scores.setLeaderboard(s.value("leaderboard").toObject());
  if (m_role == "player") {
    const QJsonObject t = s.value("team").toObject();
    m_team = t.value("team").toString(m_team);
    setPlayers({m_team});
    m_inbox.setInbox(m_team, t.value("inbox").toArray());
    m_alerts.setAlerts(m_team, t.value("alerts").toArray());
    m_sitreps.setSitreps(m_team, t.value("sitreps").toArray());
    m_assets.setAssets(t.value("assets").toObject());
    m_known.clear();
    learn(t.value("known_indicators").toArray());
    emit knownIndicatorsChanged();
  } else if (isControl()) {
    QStringList players;
    for (const auto& v : s.value("teams").toArray())
      players.append(v.toObject().value("team").toString());
    setPlayers(players);
    // the MSEL first: the inbox asks it which injects are hidden
    m_msel.setMsel(s.value("msel").toObject());
    m_expectations.setExpectations(s.value("msel").toObject().value("expectations").toArray());
    for (const auto& v : s.value("teams").toArray()) {
      const QJsonObject t = v.toObject();
      const QString id = t.value("team").toString();
      m_inbox.setInbox(id, t.value("inbox").toArray());
      m_alerts.setAlerts(id, t.value("alerts").toArray());
      m_sitreps.setSitreps(id, t.value("sitreps").toArray());
    }
    m_scores.setScores(s.value("scores").toArray());
  }
  emit snapshotApplied();
}

void ConsoleState::applyRecord(const QJsonObject& record)
{
  const QString type = record.value("type").toString();
  const QJsonObject d = record.value("details").toObject();
  const double time = record.value("time").toDouble();
  if (type == "clock") {
    setClock(d);
    // clock records are public: when the next event and inject are due comes with the White Cell's own query
    if (isControl() && m_connection->isReady())
      send({{"type", "clock"}});
  } else if (time > m_clock.time) {
    m_clock.time = time;
    emit clockChanged();
  }
  m_eventLog.addRecord(record);
  // the White Cell follows the live leaderboard; teams and observers get the standings published at fixed times
  if (type == "leaderboard" || (type == "standings" && !isControl())) {
    m_leaderboard.setLeaderboard(d);
    m_scores.setLeaderboard(d);
    if (isControl())
      m_scoresDebounce.start();
  }
  if (isControl()) {
    m_msel.applyRecord(record);
    m_expectations.applyRecord(record);
  }
  m_inbox.applyRecord(record);
  m_alerts.applyRecord(record);
  m_sitreps.applyRecord(record);
  if (m_role == "player") {
    if (m_assets.applyRecord(record))
      m_assetsDebounce.start();
    if (type == "inject" || type == "alert" ||
        (type == "message" && d.value("to").toArray().contains(QJsonValue(m_team))))
      learn(d.value("indicators").toArray());
  }
  emit recordApplied(record);
}

void ConsoleState::send(const QJsonObject& command, ResultHandler onOk, ErrorHandler onError)
{
  const QString type = command.value("type").toString();
  m_connection->send(command, this, [this, type, onOk, onError](const DrillReply& r) {
    if (!r.ok) {
      m_lastError = tr("%1 rejected: %2 [%3]").arg(type, r.errorMessage, r.errorCode);
      if (onError)
        onError(m_lastError);
      emit commandFailed(m_lastError);
      return;
    }
    if (clock_commands.contains(type))
      setClock(r.result.toObject());
    else if (inject_commands.contains(type))
      m_msel.upsertInject(r.result.toObject());
    else if (type == "leaderboard")
      m_leaderboard.setLeaderboard(r.result.toObject());
    else if (type == "scores")
      m_scores.setScores(r.result.toArray());
    else if (type == "assets" && m_role == "player")
      m_assets.setAssets(r.result.toObject());
    else if (type == "msel") {
      m_msel.setMsel(r.result.toObject());
      m_expectations.setExpectations(r.result.toObject().value("expectations").toArray());
    }
    if (onOk)
      onOk(r.result);
    emit commandSucceeded(type, r.result);
  });
}

void ConsoleState::refreshScores()
{
  if (isControl() && m_connection->isReady())
    send({{"type", "scores"}});
}

void ConsoleState::refreshAssets()
{
  if (m_role == "player" && m_connection->isReady())
    send({{"type", "assets"}});
}

} // namespace cyberex::gui
