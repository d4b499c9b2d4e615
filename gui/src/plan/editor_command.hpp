/* Opening a scenario file at a line in the user's editor (planning mode, issue 19): the command line is built apart
 * from its launch so that tests can check it exactly. */
#pragma once

#include <QString>
#include <QStringList>

namespace cyberex::gui {

/// A program and its arguments; an empty program means "no editor configured: let the desktop open the file".
struct EditorCommand {
  QString program;
  QStringList arguments;
  bool terminal = false; ///< a terminal editor (vi, vim, nvim, nano, ...): it needs a terminal window of its own
  bool operator==(const EditorCommand&) const = default;
};

/// The command opening FILE at LINE and COLUMN (1-based; 0: unknown) with EDITOR, a value of $VISUAL or $EDITOR
/// split as a shell would ("code --wait" is the program code with the argument --wait). By the program's name:
///   vi, vim, nvim, gvim, view, ex, kak, micro, joe, mg, ne:  EDITOR... +LINE FILE
///   nano:                                                     EDITOR... +LINE,COLUMN FILE
///   emacs, emacsclient:                                       EDITOR... +LINE:COLUMN FILE
///   code, code-insiders, codium, vscodium:                    EDITOR... -g FILE:LINE:COLUMN
///   subl, sublime_text:                                       EDITOR... FILE:LINE:COLUMN
///   anything else:                                            EDITOR... FILE
/// (without a line, FILE alone; without a column, the line alone). An empty EDITOR gives an empty command.
EditorCommand editorCommand(const QString& editor, const QString& file, int line, int column = 0);

/// $VISUAL when set and not empty, else $EDITOR, else empty.
QString editorFromEnvironment();

/// The command that runs COMMAND in a terminal window when it needs one: $TERMINAL -e ..., else
/// x-terminal-emulator -e ... when found in PATH; otherwise COMMAND unchanged (a terminal editor then uses the terminal
/// cyberex-gui was started from, if any).
EditorCommand inTerminal(const EditorCommand& command);

} // namespace cyberex::gui
