#include "console/msel_model.hpp"

#include "state/record_json.hpp"

#include <QBrush>
#include <QColor>

#include <limits>

namespace cyberex::gui {

MselModel::MselModel(QObject* parent)
    : JsonTreeModel({{tr("Inject / expectation"), "inject", "expectation"},
                     {tr("Status"), "status", "status"},
                     {tr("Time / deadline"), "when", "deadline", Format::time},
                     {tr("To / team"), "to", "team"},
                     {tr("Title / description"), "title", "description"},
                     {tr("Channel / decided by"), "channel", "by"},
                     {tr("Move"), "move", ""}},
                    parent)
{
}

QJsonObject MselModel::normalized(QJsonObject inject)
{
  if (inject.contains("delivered"))
    inject.insert("when", inject.value("delivered"));
  else if (inject.contains("due"))
    inject.insert("when", inject.value("due"));
  else
    inject.remove("when");
  return inject;
}

int MselModel::injectRow(const QString& id) const
{
  return findParent([&](const QJsonObject& o) { return o.value("inject").toString() == id; });
}

QString MselModel::status(const QString& inject) const
{
  const int r = injectRow(inject);
  return r < 0 ? QString() : parentObject(r).value("status").toString();
}

bool MselModel::isHidden(const QString& inject) const
{
  const int r = injectRow(inject);
  return r >= 0 && parentObject(r).value("hidden").toBool();
}

QStringList MselModel::openInjects() const
{
  QStringList out;
  for (int i = 0; i < parentCount(); ++i) {
    const QString s = parentObject(i).value("status").toString();
    if (s == "waiting" || s == "scheduled")
      out.append(parentObject(i).value("inject").toString());
  }
  return out;
}

void MselModel::setMsel(const QJsonObject& msel)
{
  QList<Node> nodes;
  for (const auto& i : msel.value("injects").toArray())
    nodes.append({normalized(i.toObject()), {}});
  for (const auto& e : msel.value("expectations").toArray()) {
    const QJsonObject x = e.toObject();
    for (auto& n : nodes)
      if (n.object.value("inject") == x.value("inject"))
        n.children.append(x);
  }
  setNodes(nodes);
}

double MselModel::injectTime(const QJsonObject& inject)
{
  const QJsonValue t = inject.value("delivered").isDouble() ? inject.value("delivered") : inject.value("due");
  return t.isDouble() ? t.toDouble() : -1;
}

QVariant MselModel::data(const QModelIndex& index, int role) const
{
  if (role == Qt::ToolTipRole && index.isValid() && (index.column() == TitleColumn || index.column() == ToColumn)) {
    const QString t = index.data(Qt::DisplayRole).toString();
    return t.isEmpty() ? QVariant() : QVariant(t);
  }
  return JsonTreeModel::data(index, role);
}

void MselModel::upsertInject(const QJsonObject& inject)
{
  const int r = injectRow(inject.value("inject").toString());
  if (r < 0) {
    // a new inject goes before the first one placed later in time (injects waiting on a trigger have no time and
    // keep their place), so the MSEL stays in time order
    const QJsonObject o = normalized(inject);
    const double t = injectTime(o);
    int at = parentCount();
    if (t >= 0)
      for (int i = 0; i < parentCount(); ++i)
        if (const double ti = injectTime(parentObject(i)); ti > t) {
          at = i;
          break;
        }
    beginInsertRows({}, at, at);
    m_nodes.insert(at, {o, {}});
    endInsertRows();
    return;
  }
  QJsonObject o = parentObject(r);
  for (auto it = inject.begin(); it != inject.end(); ++it)
    o.insert(it.key(), it.value());
  replaceParent(r, normalized(o));
}

void MselModel::upsertExpectation(const QJsonObject& e)
{
  const int r = injectRow(e.value("inject").toString());
  if (r < 0)
    return;
  const int c = findChild(r, [&](const QJsonObject& o) {
    return o.value("expectation") == e.value("expectation") && o.value("team") == e.value("team");
  });
  if (c >= 0)
    replaceChild(r, c, e);
  else
    appendChild(r, e);
}

void MselModel::applyRecord(const QJsonObject& record)
{
  const std::optional<RecordType> type = recordTypeOf(record);
  const QJsonObject d = record.value("details").toObject();
  const QString id = d.value("inject").toString();
  const double time = record.value("time").toDouble();
  const int r = injectRow(id);
  if (type == RecordType::inject_created) {
    upsertInject(d);
  } else if (type == RecordType::expectation_active || type == RecordType::expectation_met ||
             type == RecordType::expectation_missed || type == RecordType::expectation_not_applicable) {
    upsertExpectation(d);
  } else if (r < 0) {
    if (type == RecordType::inject) {
      QJsonObject o = d;
      o.insert("status", "delivered");
      o.insert("delivered", time);
      upsertInject(o);
    }
  } else if (type == RecordType::inject_released) {
    QJsonObject o = parentObject(r);
    o.insert("status", "delivered");
    o.insert("delivered", time);
    replaceParent(r, normalized(o));
  } else if (type == RecordType::inject) {
    QJsonObject o = parentObject(r);
    for (const char* k : {"title", "content", "indicators", "to", "from", "channel", "expires_at"})
      if (d.contains(k))
        o.insert(k, d.value(k));
    if (o.value("status").toString() != "delivered") {
      o.insert("status", "delivered");
      o.insert("delivered", time);
    }
    replaceParent(r, normalized(o));
  } else if (type == RecordType::inject_triggered) {
    QJsonObject o = parentObject(r);
    o.insert("status", "scheduled");
    o.insert("due", d.value("due"));
    replaceParent(r, normalized(o));
  } else if (type == RecordType::inject_delayed) {
    QJsonObject o = parentObject(r);
    if (o.value("status").toString() == "scheduled" && o.value("due").isDouble())
      o.insert("due", o.value("due").toDouble() + d.value("by").toDouble());
    replaceParent(r, normalized(o));
  } else if (type == RecordType::inject_cancelled) {
    patchParent(r, {{"status", "cancelled"}});
  } else if (type == RecordType::inject_skipped) {
    patchParent(r, {{"status", "skipped"}});
  } else if (type == RecordType::inject_expired) {
    patchParent(r, {{"status", "expired"}});
  }
}

QVariant MselModel::extraData(const QJsonObject& object, bool, int column, int role) const
{
  if (role == InjectRole)
    return object.value("inject").toString();
  if (role == Qt::ForegroundRole && column == 1) {
    const QString s = object.value("status").toString();
    if (s == "delivered" || s == "met")
      return QBrush(QColor(0x1b, 0x7f, 0x3a));
    if (s == "missed" || s == "cancelled")
      return QBrush(QColor(0xb0, 0x20, 0x20));
    if (s == "expired" || s == "skipped" || s == "not_applicable")
      return QBrush(QColor(0x80, 0x80, 0x80));
  }
  return {};
}

MselFilterProxy::MselFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
  setSortRole(JsonTreeModel::RawRole);
  setSortCaseSensitivity(Qt::CaseInsensitive);
}

void MselFilterProxy::setTeam(const QString& team)
{
  m_team = team;
  invalidateFilter();
}

void MselFilterProxy::setStatus(const QString& status)
{
  m_status = status;
  invalidateFilter();
}

void MselFilterProxy::setMove(const QString& move)
{
  m_move = move;
  invalidateFilter();
}

void MselFilterProxy::setSearch(const QString& text)
{
  m_search = text.trimmed();
  invalidateFilter();
}

bool MselFilterProxy::accepts(const QJsonObject& o) const
{
  if (!m_status.isEmpty() && o.value("status").toString() != m_status)
    return false;
  if (!m_move.isEmpty() && o.value("move").toString() != m_move)
    return false;
  if (!m_team.isEmpty() && !o.value("to").toArray().contains(QJsonValue(m_team)))
    return false;
  if (!m_search.isEmpty()) {
    bool found = false;
    for (const char* k : {"inject", "title", "content"})
      found = found || o.value(k).toString().contains(m_search, Qt::CaseInsensitive);
    if (!found)
      return false;
  }
  return true;
}

bool MselFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
  if (sourceParent.isValid())
    return true; // an expectation shows under its inject
  return accepts(sourceModel()->index(sourceRow, 0).data(JsonTreeModel::ObjectRole).toJsonObject());
}

bool MselFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
  if (left.column() == MselModel::TimeColumn) {
    // no time (waiting on a trigger) sorts after every time
    auto key = [](const QModelIndex& i) {
      const QVariant v = i.data(JsonTreeModel::RawRole);
      return v.isValid() ? v.toDouble() : std::numeric_limits<double>::infinity();
    };
    return key(left) < key(right);
  }
  return QString::localeAwareCompare(left.data().toString(), right.data().toString()) < 0;
}

} // namespace cyberex::gui
