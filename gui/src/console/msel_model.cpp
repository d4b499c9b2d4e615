#include "console/msel_model.hpp"

#include "state/record_json.hpp"

#include <QBrush>
#include <QColor>
#include <QFont>

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

// ---------------------------------------------------------------------------------------------------------------
// MselMoveProxy

MselMoveProxy::MselMoveProxy(QObject* parent) : QAbstractProxyModel(parent) {}

void MselMoveProxy::setSourceModel(QAbstractItemModel* source)
{
  beginResetModel();
  if (sourceModel())
    disconnect(sourceModel(), nullptr, this, nullptr);
  QAbstractProxyModel::setSourceModel(source);
  if (source) {
    // any change of rows regroups: announced before the source changes, done after
    auto before = [this] { beginResetModel(); };
    auto after = [this] {
      regroup();
      endResetModel();
    };
    connect(source, &QAbstractItemModel::rowsAboutToBeInserted, this, before);
    connect(source, &QAbstractItemModel::rowsInserted, this, after);
    connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, this, before);
    connect(source, &QAbstractItemModel::rowsRemoved, this, after);
    connect(source, &QAbstractItemModel::rowsAboutToBeMoved, this, before);
    connect(source, &QAbstractItemModel::rowsMoved, this, after);
    connect(source, &QAbstractItemModel::layoutAboutToBeChanged, this, before);
    connect(source, &QAbstractItemModel::layoutChanged, this, after);
    connect(source, &QAbstractItemModel::modelAboutToBeReset, this, before);
    connect(source, &QAbstractItemModel::modelReset, this, after);
    connect(source, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles) {
              // row by row: the source's neighbours may sit under different moves here
              for (int r = topLeft.row(); r <= bottomRight.row(); ++r) {
                const QModelIndex first = mapFromSource(topLeft.sibling(r, topLeft.column()));
                const QModelIndex last = mapFromSource(bottomRight.sibling(r, bottomRight.column()));
                if (first.isValid() && last.isValid())
                  emit dataChanged(first, last, roles);
              }
            });
    connect(source, &QAbstractItemModel::headerDataChanged, this, &QAbstractItemModel::headerDataChanged);
  }
  regroup();
  endResetModel();
}

void MselMoveProxy::setMoveTitles(const QHash<QString, QString>& titles)
{
  m_titles = titles;
  if (!m_moves.isEmpty())
    emit dataChanged(index(0, 0), index(static_cast<int>(m_moves.size()) - 1, columnCount() - 1));
}

void MselMoveProxy::regroup()
{
  m_moves.clear();
  m_groups.clear();
  m_rows.clear();
  const QAbstractItemModel* source = sourceModel();
  if (!source)
    return;
  for (int r = 0; r < source->rowCount(); ++r) {
    const QString move = source->index(r, 0).data(JsonTreeModel::ObjectRole).toJsonObject().value("move").toString();
    qsizetype g = m_moves.indexOf(move);
    if (g < 0) {
      g = m_moves.size();
      m_moves.append(move);
      m_groups.append(QList<int>());
    }
    m_rows.append({static_cast<int>(g), static_cast<int>(m_groups[g].size())});
    m_groups[g].append(r);
  }
}

QModelIndex MselMoveProxy::index(int row, int column, const QModelIndex& parent) const
{
  if (row < 0 || column < 0 || column >= columnCount(parent) || row >= rowCount(parent))
    return {};
  if (!parent.isValid())
    return createIndex(row, column, quintptr(0));
  if (isMoveRow(parent))
    return createIndex(row, column, quintptr(parent.row()) + 1);
  if (parent.internalId() < expectation_base) // an inject: its expectations
    return createIndex(row, column, expectation_base + quintptr(m_groups[parent.internalId() - 1][parent.row()]));
  return {};
}

QModelIndex MselMoveProxy::parent(const QModelIndex& child) const
{
  if (!child.isValid() || isMoveRow(child))
    return {};
  if (child.internalId() < expectation_base)
    return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr(0));
  const auto [move, row] = m_rows.value(static_cast<int>(child.internalId() - expectation_base));
  return createIndex(row, 0, quintptr(move) + 1);
}

int MselMoveProxy::rowCount(const QModelIndex& parent) const
{
  if (!parent.isValid())
    return static_cast<int>(m_moves.size());
  if (parent.column() > 0)
    return 0;
  if (isMoveRow(parent))
    return static_cast<int>(m_groups.value(parent.row()).size());
  if (parent.internalId() < expectation_base)
    return sourceModel()->rowCount(mapToSource(parent));
  return 0;
}

int MselMoveProxy::columnCount(const QModelIndex&) const
{
  return sourceModel() ? sourceModel()->columnCount() : 0;
}

bool MselMoveProxy::hasChildren(const QModelIndex& parent) const
{
  return rowCount(parent) > 0;
}

QModelIndex MselMoveProxy::mapToSource(const QModelIndex& proxy) const
{
  if (!proxy.isValid() || isMoveRow(proxy) || !sourceModel())
    return {};
  if (proxy.internalId() < expectation_base) {
    const int row = m_groups.value(static_cast<int>(proxy.internalId() - 1)).value(proxy.row(), -1);
    return row < 0 ? QModelIndex() : sourceModel()->index(row, proxy.column());
  }
  const QModelIndex inject = sourceModel()->index(static_cast<int>(proxy.internalId() - expectation_base), 0);
  return sourceModel()->index(proxy.row(), proxy.column(), inject);
}

QModelIndex MselMoveProxy::mapFromSource(const QModelIndex& source) const
{
  if (!source.isValid())
    return {};
  if (!source.parent().isValid()) {
    if (source.row() >= m_rows.size())
      return {};
    const auto [move, row] = m_rows.at(source.row());
    return createIndex(row, source.column(), quintptr(move) + 1);
  }
  if (source.parent().row() >= m_rows.size())
    return {};
  return createIndex(source.row(), source.column(), expectation_base + quintptr(source.parent().row()));
}

QVariant MselMoveProxy::data(const QModelIndex& index, int role) const
{
  if (!isMoveRow(index))
    return QAbstractProxyModel::data(index, role);
  const QString move = m_moves.value(index.row());
  const int injects = static_cast<int>(m_groups.value(index.row()).size());
  if (role == Qt::DisplayRole && index.column() == 0) {
    const QString name = move.isEmpty() ? tr("(no move)") : move;
    const QString title = m_titles.value(move);
    const QString label = title.isEmpty() ? name : tr("%1: %2").arg(name, title);
    return injects == 1 ? tr("%1 — 1 inject").arg(label) : tr("%1 — %2 injects").arg(label).arg(injects);
  }
  if (role == Qt::FontRole) {
    QFont bold;
    bold.setBold(true);
    return bold;
  }
  return {};
}

QVariant MselMoveProxy::headerData(int section, Qt::Orientation orientation, int role) const
{
  return sourceModel() ? sourceModel()->headerData(section, orientation, role) : QVariant();
}

Qt::ItemFlags MselMoveProxy::flags(const QModelIndex& index) const
{
  if (isMoveRow(index))
    return Qt::ItemIsEnabled;
  return QAbstractProxyModel::flags(index);
}

QModelIndex MselMoveProxy::sibling(int row, int column, const QModelIndex& index) const
{
  return this->index(row, column, parent(index));
}

void MselMoveProxy::sort(int column, Qt::SortOrder order)
{
  if (sourceModel())
    sourceModel()->sort(column, order);
}

} // namespace cyberex::gui
