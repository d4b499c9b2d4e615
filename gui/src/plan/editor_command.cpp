#include "plan/editor_command.hpp"

#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>

namespace cyberex::gui {

namespace {

QString programName(const QString& program)
{
  QString name = QFileInfo(program).fileName();
  if (name.endsWith(".exe", Qt::CaseInsensitive))
    name.chop(4);
  return name;
}

} // namespace

EditorCommand editorCommand(const QString& editor, const QString& file, int line, int column)
{
  QStringList words = QProcess::splitCommand(editor);
  if (words.isEmpty())
    return {};
  EditorCommand c;
  c.program = words.takeFirst();
  c.arguments = words;
  const QString name = programName(c.program);
  static const QStringList plusLine = {"vi", "vim", "nvim", "gvim", "view", "ex", "kak", "micro", "joe", "mg", "ne"};
  static const QStringList terminal = {"vi", "vim", "nvim", "view", "ex", "kak", "micro", "joe", "mg", "ne", "nano"};
  c.terminal = terminal.contains(name);
  const QString l = QString::number(line);
  const QString lc = column > 0 ? QString::number(column) : QString();
  if (line <= 0) {
    c.arguments << file;
  } else if (plusLine.contains(name)) {
    c.arguments << "+" + l << file;
  } else if (name == "nano") {
    c.arguments << "+" + l + (lc.isEmpty() ? QString() : "," + lc) << file;
  } else if (name == "emacs" || name == "emacsclient") {
    c.arguments << "+" + l + (lc.isEmpty() ? QString() : ":" + lc) << file;
  } else if (name == "code" || name == "code-insiders" || name == "codium" || name == "vscodium") {
    c.arguments << "-g" << file + ":" + l + (lc.isEmpty() ? QString() : ":" + lc);
  } else if (name == "subl" || name == "sublime_text") {
    c.arguments << file + ":" + l + (lc.isEmpty() ? QString() : ":" + lc);
  } else {
    c.arguments << file;
  }
  return c;
}

QString editorFromEnvironment()
{
  const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  const QString visual = env.value("VISUAL").trimmed();
  return visual.isEmpty() ? env.value("EDITOR").trimmed() : visual;
}

EditorCommand inTerminal(const EditorCommand& command)
{
  if (!command.terminal)
    return command;
  QStringList terminal = QProcess::splitCommand(QProcessEnvironment::systemEnvironment().value("TERMINAL"));
  if (terminal.isEmpty() && !QStandardPaths::findExecutable("x-terminal-emulator").isEmpty())
    terminal = {"x-terminal-emulator"};
  if (terminal.isEmpty())
    return command;
  EditorCommand c;
  c.program = terminal.takeFirst();
  c.arguments = terminal << "-e" << command.program << command.arguments;
  return c;
}

} // namespace cyberex::gui
