/* The team console's action form (issue 18): it offers only the fields the chosen action takes (block an indicator,
 * isolate a node, patch a node and one of its vulnerabilities...), with targets and indicators from what the team may
 * use, and the action cannot change behind the player's back (no wheel or stray key on a closed combo). The
 * after-action player's what-if form reuses it. */
#pragma once

#include <QJsonObject>
#include <QMap>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLineEdit;

namespace cyberex::gui {

/// A QComboBox that changes only on purpose: the wheel never changes it (it scrolls the page instead), and it takes
/// focus by click or Tab only (Qt::StrongFocus), so a stray key goes to the widget the player is in.
class StableComboBox;

class ActionForm : public QWidget {
  Q_OBJECT
public:
  /// What a team may use: the choices the fields offer (editable combos also take typed text).
  struct Choices {
    QStringList actions;                        ///< action types (empty: every action of docs/protocol.md)
    QStringList nodes;                          ///< node ids of the team's assets
    QMap<QString, QStringList> vulnerabilities; ///< node id -> its vulnerability ids
    QStringList services;                       ///< service ids of the team's assets
    QStringList indicators;                     ///< indicator ids the team may block
  };

  explicit ActionForm(QWidget* parent = nullptr);

  /// The fields ACTION takes, in form order: "target", "vulnerability", "indicator", "service", "kind", "mode",
  /// "text" (the validation of sim/src/engine/actions.cpp and sim/src/exercise/team.cpp).
  static QStringList fieldsOf(const QString& action);
  /// Every action type a team sends with "action" (docs/protocol.md).
  static QStringList allActions();

  void setChoices(const Choices& choices);
  const Choices& choices() const { return m_choices; }

  QString action() const;
  /// Choose ACTION (false when it is not offered).
  bool setAction(const QString& action);
  /// The fields shown now (fieldsOf(action()), the others hidden).
  QStringList visibleFields() const;
  QComboBox* actionBox() const;
  /// The editor of FIELD (a QComboBox, or the QLineEdit of "text"); null for an unknown field.
  QWidget* fieldEditor(const QString& field) const;
  /// Set FIELD's text (a combo's current text, the note's text).
  void setField(const QString& field, const QString& text);
  QString field(const QString& field) const;

  /// The protocol command {"type":"action","action":...} with the fields the action takes; an empty object and, in
  /// *ERROR, what is missing in plain words when a required field is empty.
  QJsonObject command(QString* error = nullptr) const;
  /// Clear the fields (the action stays).
  void clearFields();

signals:
  void actionChanged(const QString& action);

private:
  void showFields();
  void updateVulnerabilities();

  Choices m_choices;
  QFormLayout* m_form;
  StableComboBox* m_action;
  QMap<QString, QWidget*> m_editors;
};

/// A command error as a person reads it: "action rejected: (/target) \"node:x\" is not an asset of team \"y\"
/// [not-owner]" -> "The action was refused. Target: \"node:x\" is not an asset of team \"y\"." Other text is returned
/// as it is.
QString plainActionError(const QString& message);

} // namespace cyberex::gui
