#include "console/msel_model.hpp"

#include "state/record_json.hpp"

#include <QBrush>
#include <QColor>

namespace cyberex::gui {

MselModel::MselModel(QObject* parent)
    : JsonTreeModel({{tr("Inject / expectation"), "inject", "expectation"},
                     {tr("Status"), "status", "status"},
                     {tr("Time / deadline"), "when", "deadline", Format::time},
                     {tr("To / team"), "to", "team"},
                     {tr("Title / description"), "title", "description"},
                     {tr("Channel / decided by"), "channel", "by"}},
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

void MselModel::upsertInject(const QJsonObject& inject)
{
  const int r = injectRow(inject.value("inject").toString());
  if (r < 0) {
    appendParent({normalized(inject), {}});
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

} // namespace cyberex::gui
