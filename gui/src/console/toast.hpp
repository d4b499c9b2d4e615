/* Feedback for every command: a short-lived message over a window naming what happened, and the sentences it shows:
 * what a command did, or what went wrong in plain words (issue 18). */
#pragma once

#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QStringList>

class QLabel;
class QWidget;

namespace cyberex::gui {

/// Toasts over HOST's bottom-right corner, newest at the bottom, each gone after a few seconds (at most four shown).
class ToastArea : public QObject {
  Q_OBJECT
public:
  enum class Kind { info, error };
  static constexpr int lifetime_ms = 6000;
  static constexpr int max_shown = 4;

  explicit ToastArea(QWidget* host);
  void showMessage(const QString& text, Kind kind = Kind::info);
  /// The messages shown now, oldest first.
  QStringList messages() const;
  QString lastMessage() const { return m_last; }
  Kind lastKind() const { return m_lastKind; }

signals:
  void shown(const QString& text);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  void place();
  QWidget* m_host;
  QList<QPointer<QLabel>> m_toasts;
  QString m_last;
  Kind m_lastKind = Kind::info;
};

/// What a successful command did, as a sentence ("Released inj-07 'Phishing report' to cert-de", "Clock paused at
/// T+04:05:00"), from its TYPE, the COMMAND sent (may be empty) and the server's RESULT; empty for queries (clock,
/// msel, scores...), which need no feedback.
QString commandFeedback(const QString& type, const QJsonObject& command, const QJsonValue& result);
/// A rejection as ConsoleState reports it ("TYPE rejected: MESSAGE [CODE]") in plain words: what the user tried, what
/// was wrong (a JSON pointer becomes the field's name) and what the code means. Other messages are returned as they
/// are.
QString plainError(const QString& message);

} // namespace cyberex::gui
