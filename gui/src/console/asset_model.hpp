/* A team's assets as the team sees them: operational state of its nodes and services, never "compromised". */
#pragma once

#include "console/json_tree_model.hpp"

namespace cyberex::gui {

/// Two parents, "Nodes" and "Services"; children: asset, kind, state ("ok" or isolated/down/failed/de-energised,
/// or the service status), output (MW, generation units). Filled from an `assets` result; records of the team's
/// world events (isolation, status, output) update it in between.
class AssetModel : public JsonTreeModel {
  Q_OBJECT
public:
  explicit AssetModel(QObject* parent = nullptr);
  /// An `assets` result: {"nodes":[{node,kind,isolated,down,failed,output_mw?,energised?}],"services":[...]}.
  void setAssets(const QJsonObject& assets);
  /// Apply a world event about one of the assets; true when it changed something.
  bool applyRecord(const QJsonObject& record);
  /// The row of node or service ID under its group (0 nodes, 1 services), or -1.
  int assetRow(int group, const QString& id) const;
  QString state(const QString& id) const;

private:
  static QJsonObject nodeRow(const QJsonObject& node);
};

} // namespace cyberex::gui
