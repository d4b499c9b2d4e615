#include "console/asset_model.hpp"

#include "state/record_json.hpp"

#include <QJsonArray>

namespace cyberex::gui {

AssetModel::AssetModel(QObject* parent)
    : JsonTreeModel({{tr("Asset"), "group", "id"},
                     {tr("Kind"), "", "kind"},
                     {tr("State"), "", "state"},
                     {tr("Output (MW)"), "", "output_mw", Format::number}},
                    parent)
{
  setNodes({{{{"group", tr("Nodes")}}, {}}, {{{"group", tr("Services")}}, {}}});
}

QJsonObject AssetModel::nodeRow(const QJsonObject& node)
{
  QJsonObject o = node;
  o.insert("id", node.value("node"));
  QStringList state;
  if (node.value("isolated").toBool())
    state << "isolated";
  if (node.value("down").toBool())
    state << "down";
  if (node.value("failed").toBool())
    state << "failed";
  if (node.contains("energised") && !node.value("energised").toBool())
    state << "de-energised";
  o.insert("state", state.isEmpty() ? QStringLiteral("ok") : state.join(", "));
  return o;
}

void AssetModel::setAssets(const QJsonObject& assets)
{
  QList<QJsonObject> nodes;
  for (const auto& n : assets.value("nodes").toArray())
    nodes.append(nodeRow(n.toObject()));
  QList<QJsonObject> services;
  for (const auto& s : assets.value("services").toArray()) {
    QJsonObject o = s.toObject();
    o.insert("id", o.value("service"));
    o.insert("kind", "service");
    o.insert("state", o.value("status"));
    services.append(o);
  }
  setChildren(0, nodes);
  setChildren(1, services);
}

int AssetModel::assetRow(int group, const QString& id) const
{
  return findChild(group, [&](const QJsonObject& o) { return o.value("id").toString() == id; });
}

QString AssetModel::state(const QString& id) const
{
  for (int g = 0; g < 2; ++g) {
    const int r = assetRow(g, id);
    if (r >= 0)
      return children(g).at(r).value("state").toString();
  }
  return {};
}

bool AssetModel::applyRecord(const QJsonObject& record)
{
  const QString subject = record.value("subject").toString();
  const std::optional<RecordType> type = recordTypeOf(record);
  const QJsonObject d = record.value("details").toObject();
  if (!type)
    return false;
  if (subject.startsWith("service:")) {
    const int r = assetRow(1, subject.mid(8));
    if (r < 0)
      return false;
    QString status;
    if (type == RecordType::service_status)
      status = d.value("status").toString();
    else if (type == RecordType::service_shutdown)
      status = "down";
    else if (type == RecordType::service_restored)
      status = "up";
    else
      return false;
    QJsonObject o = children(1).at(r);
    o.insert("status", status);
    o.insert("state", status);
    replaceChild(1, r, o);
    return true;
  }
  if (!subject.startsWith("node:"))
    return false;
  const int r = assetRow(0, subject.mid(5));
  if (r < 0)
    return false;
  QJsonObject o = children(0).at(r);
  switch (*type) {
  case RecordType::node_isolated:
  case RecordType::node_reconnected:
    o.insert("isolated", type == RecordType::node_isolated);
    break;
  case RecordType::node_offline:
  case RecordType::node_restored:
    o.insert("down", type == RecordType::node_offline);
    break;
  case RecordType::node_status:
    o.insert("failed", d.value("status").toString() == "failed");
    break;
  case RecordType::unit_output:
    o.insert("output_mw", d.value("mw"));
    break;
  case RecordType::load_lost:
  case RecordType::load_restored:
    if (!o.contains("energised"))
      return false;
    o.insert("energised", type == RecordType::load_restored);
    break;
  default:
    return false; // the team's other world events change no asset's row
  }
  replaceChild(0, r, nodeRow(o));
  return true;
}

} // namespace cyberex::gui
