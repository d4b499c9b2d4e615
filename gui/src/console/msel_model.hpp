/* The MSEL as control sees it: injects with their status, and under each the expectations it activated. */
#pragma once

#include "console/json_tree_model.hpp"

#include <QJsonArray>

namespace cyberex::gui {

/// Parents: injects (inject, status waiting/scheduled/delivered/expired/cancelled, when = delivered or due, to,
/// title, channel); children: their activated expectations (expectation, status pending/met/missed, deadline, team,
/// description, by). Filled from a `msel` result and kept up to date by records and command replies.
class MselModel : public JsonTreeModel {
  Q_OBJECT
public:
  enum Roles { InjectRole = Qt::UserRole + 10 }; ///< QString: the inject id of a row or of its parent
  explicit MselModel(QObject* parent = nullptr);

  /// Replace everything by a `msel` result ({"injects":[...],"expectations":[...]}).
  void setMsel(const QJsonObject& msel);
  /// Apply an MSEL record (inject_*, inject, expectation_*); other types are ignored.
  void applyRecord(const QJsonObject& record);
  /// Insert or update an inject from a command reply (inject_release, inject_delay, inject_cancel, inject_create).
  void upsertInject(const QJsonObject& inject);
  void upsertExpectation(const QJsonObject& expectation);

  int injectRow(const QString& id) const;
  QString status(const QString& inject) const;
  bool isHidden(const QString& inject) const;
  /// Ids of the injects that can still be released, delayed or cancelled (waiting or scheduled).
  QStringList openInjects() const;

protected:
  QVariant extraData(const QJsonObject& object, bool isChild, int column, int role) const override;

private:
  static QJsonObject normalized(QJsonObject inject);
};

} // namespace cyberex::gui
