/* The protocol's records as the GUI receives them (JSON objects, docs/protocol.md) and the core's record vocabulary
 * (cyberex/record.hpp): a record's type is read once, with the core's name table, and views switch on RecordType. */
#pragma once

#include "cyberex/record.hpp"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace cyberex::gui {

/// The type of a record ({"type":...}); nullopt when it names none of the vocabulary's.
std::optional<RecordType> recordTypeOf(const QJsonObject& record);
/// The name of a type, as records spell it (record.cpp's table).
QString recordTypeName(RecordType type);
/// True if RECORD is of type TYPE.
bool isRecord(const QJsonObject& record, RecordType type);

/// A received record as a core Record: seq, time, kind and type from its fields, its audience from "audience" (the
/// journal's form) or else `control` (a server sends records without it: the receiver may see them). nullopt when its
/// kind or type is not one of the vocabulary's.
std::optional<Record> toRecord(const QJsonObject& record);
/// A core record's JSON as an object (with "audience" in the journal's form).
QJsonObject toJsonObject(const Record& record);

} // namespace cyberex::gui
