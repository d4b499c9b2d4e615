#include "state/record_json.hpp"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace cyberex::gui {

std::optional<RecordType> recordTypeOf(const QJsonObject& record)
{
  return record_type_from_string(record.value(QLatin1String("type")).toString().toStdString());
}

QString recordTypeName(RecordType type)
{
  return QString::fromLatin1(to_string(type));
}

bool isRecord(const QJsonObject& record, RecordType type)
{
  return recordTypeOf(record) == type;
}

namespace {

Audience audienceOf(const QJsonValue& value)
{
  Audience a;
  if (value.isString() && value.toString() == QLatin1String("all")) {
    a.kind = Audience::Kind::all;
  } else if (value.isArray()) {
    a.kind = Audience::Kind::teams;
    for (const QJsonValue& t : value.toArray())
      a.teams.push_back(t.toString().toStdString());
    std::sort(a.teams.begin(), a.teams.end());
  }
  return a;
}

QJsonValue audienceValue(const Audience& audience)
{
  switch (audience.kind) {
  case Audience::Kind::all:
    return QStringLiteral("all");
  case Audience::Kind::teams: {
    QJsonArray teams;
    for (const std::string& t : audience.teams)
      teams.append(QString::fromStdString(t));
    return teams;
  }
  case Audience::Kind::control:
    break;
  }
  return QStringLiteral("control");
}

} // namespace

std::optional<Record> toRecord(const QJsonObject& record)
{
  const auto type = recordTypeOf(record);
  const auto kind = record_kind_from_string(record.value(QLatin1String("kind")).toString().toStdString());
  if (!type || !kind)
    return std::nullopt;
  const auto seq = static_cast<std::uint64_t>(std::max<qint64>(0, record.value(QLatin1String("seq")).toInteger()));
  QJsonObject body = record;
  body.remove(QLatin1String("audience"));
  return Record(seq, record.value(QLatin1String("time")).toDouble(), *kind, *type,
                audienceOf(record.value(QLatin1String("audience"))),
                QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString());
}

QJsonObject toJsonObject(const Record& record)
{
  QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(record.json)).object();
  o.insert(QLatin1String("audience"), audienceValue(record.audience));
  return o;
}

} // namespace cyberex::gui
