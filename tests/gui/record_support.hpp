/* Shared by the GUI tests that feed a state model hand-written records. */
#pragma once

#include <QJsonObject>
#include <QString>

namespace cyberex::gui::test {

/// A world event as the server sends it; seq and time grow with each one, as the fold expects.
inline QJsonObject rec(const char* type, const char* subject, QJsonObject details = {})
{
  static int seq = 0;
  ++seq;
  return QJsonObject{{"seq", seq},
                     {"time", seq},
                     {"kind", "event"},
                     {"type", QString::fromLatin1(type)},
                     {"subject", QString::fromLatin1(subject)},
                     {"details", details}};
}

} // namespace cyberex::gui::test
