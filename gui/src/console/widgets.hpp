/* Small widget helpers shared by the consoles. */
#pragma once

#include <QString>

#include <functional>

class QAbstractItemModel;
class QDialog;
class QLabel;
class QMainWindow;
class QMessageBox;
class QObject;
class QPlainTextEdit;
class QTableView;
class QVBoxLayout;
class QWidget;

namespace cyberex::gui {

class ConsoleState;

/// Run REFRESH 250 ms after the first change of STATE since its last run (a record, the clock, a snapshot, the player
/// teams, the scenario catalog): a view recomputed from the whole state, at most four times a second. The timer
/// belongs to OWNER (no refresh after OWNER is gone).
void refreshOnChanges(QObject* owner, ConsoleState* state, std::function<void()> refresh);

/// A multi-line field of a form: Tab and Shift+Tab move to the next and previous field instead of typing a tab, and
/// Ctrl+Enter (Ctrl+Return) runs SUBMIT (when given): the form is sent without reaching for the mouse.
void makeFormText(QPlainTextEdit* edit, std::function<void()> submit = {});

/// A read-only table of MODEL: whole-row single selection, alternating colours, compact rows, last column stretched.
QTableView* makeTable(QAbstractItemModel* model, QWidget* parent);
class DrillConnection;

/// A red error line (stretching) and a connection label in WINDOW's status bar; the label follows CONNECTION's state
/// ("ws://host:port/ as controller", "reconnecting" ...). Returns the error line.
QLabel* addStatusLine(QMainWindow* window, const DrillConnection* connection);
/// Show MESSAGE in LABEL (red, with a tooltip) and, when POPUP, in a non-modal message box over WINDOW.
void showErrorIn(QWidget* window, QLabel* label, const QString& message, bool popup);
/// Ask before something that cannot be undone: a window-modal question over PARENT (object name "confirmation") with
/// ACCEPT_TEXT and REJECT_TEXT buttons, the reject one being the default (Enter and Escape do nothing harmful).
/// ON_ACCEPT runs only if the ACCEPT_TEXT button is clicked; the box deletes itself when closed.
QMessageBox* askConfirmation(QWidget* parent, const QString& title, const QString& text, const QString& acceptText,
                             const QString& rejectText, std::function<void()> onAccept);
/// PATH as a person reads it: native separators, the home folder as "~".
QString displayPath(const QString& path);
/// TEXT as typed in a file field: "~" and "~/..." are in the home folder; the rest is left as it is.
QString expandPath(const QString& text);
/// Add an error line and OK/Cancel buttons (OK reads OKTEXT) to DIALOG's LAYOUT; OK accepts only when VALIDATE
/// returns true, else the error it sets is shown.
void addValidatedButtons(QDialog* dialog, QVBoxLayout* layout, const QString& okText,
                         std::function<bool(QString*)> validate);

/// Show WINDOW (a top-level window: the floated dashboard, the map's own window) for a projector: at least 1000x700,
/// shown, raised and active, to be dragged onto another screen.
void showOnProjector(QWidget* window);
/// Run ON_CLOSE when WINDOW is about to close (its close event; WINDOW closes as it would anyway). ON_CLOSE stops
/// running when OWNER is gone.
void whenClosed(QWidget* window, QObject* owner, std::function<void()> onClose);

} // namespace cyberex::gui
