#include "console/widgets.hpp"

#include "console/console_state.hpp"
#include "console/drill_connection.hpp"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMainWindow>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace cyberex::gui {

namespace {

/// Calls its function on its window's close event (whenClosed).
class CloseWatcher : public QObject {
public:
  CloseWatcher(QWidget* window, QObject* owner, std::function<void()> onClose)
      : QObject(window), m_owner(owner), m_onClose(std::move(onClose))
  {
    window->installEventFilter(this);
  }

protected:
  bool eventFilter(QObject* watched, QEvent* event) override
  {
    if (event->type() == QEvent::Close && watched == parent() && m_owner)
      m_onClose();
    return false;
  }

private:
  QPointer<QObject> m_owner;
  std::function<void()> m_onClose;
};

} // namespace

void showOnProjector(QWidget* window)
{
  window->resize(std::max(window->width(), 1000), std::max(window->height(), 700));
  window->show();
  window->raise();
  window->activateWindow();
}

void whenClosed(QWidget* window, QObject* owner, std::function<void()> onClose)
{
  new CloseWatcher(window, owner, std::move(onClose));
}

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent)
{
  auto* view = new QTableView(parent);
  view->setModel(model);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setSelectionMode(QAbstractItemView::SingleSelection);
  view->setAlternatingRowColors(true);
  view->setWordWrap(false);
  view->verticalHeader()->setVisible(false);
  view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
  view->horizontalHeader()->setStretchLastSection(true);
  return view;
}

QLabel* addStatusLine(QMainWindow* window, const DrillConnection* connection)
{
  auto* state = new QLabel(window);
  auto* error = new QLabel(window);
  error->setObjectName("errorLabel");
  error->setStyleSheet("color: #b02020");
  window->statusBar()->addWidget(error, 1);
  window->statusBar()->addPermanentWidget(state);
  auto update = [state, connection] {
    static const char* names[] = {"disconnected", "connecting", "authenticating", "connected", "reconnecting"};
    const QString who = connection->team().isEmpty() ? connection->role() : connection->team();
    state->setText(connection->isReady()
                       ? QObject::tr("%1 as %2").arg(connection->url().toString(), who)
                       : QObject::tr("%1 (%2)").arg(QObject::tr(names[static_cast<int>(connection->state())]),
                                                    connection->url().toString()));
  };
  QObject::connect(connection, &DrillConnection::stateChanged, state, update);
  update();
  return error;
}

void showErrorIn(QWidget* window, QLabel* label, const QString& message, bool popup)
{
  label->setText(message);
  label->setToolTip(message);
  if (popup) {
    auto* box = new QMessageBox(QMessageBox::Warning, window->windowTitle(), message, QMessageBox::Ok, window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  }
}

QMessageBox* askConfirmation(QWidget* parent, const QString& title, const QString& text, const QString& acceptText,
                             const QString& rejectText, std::function<void()> onAccept)
{
  auto* box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::NoButton, parent);
  box->setObjectName("confirmation");
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setWindowModality(Qt::WindowModal);
  QPushButton* accept = box->addButton(acceptText, QMessageBox::AcceptRole);
  QPushButton* reject = box->addButton(rejectText, QMessageBox::RejectRole);
  box->setDefaultButton(reject);
  box->setEscapeButton(reject);
  // a question of a line stays on one line (a path in it would otherwise break at its slashes); a longer one wraps at
  // a width that keeps its longest word (a path, an id) whole
  const QFontMetrics metrics = box->fontMetrics();
  int width = std::min(metrics.horizontalAdvance(text), 900);
  for (const QString& word : text.split(' ', Qt::SkipEmptyParts))
    width = std::max(width, metrics.horizontalAdvance(word));
  box->setStyleSheet(QStringLiteral("QLabel#qt_msgbox_label { min-width: %1px; }").arg(width + 8));
  QObject::connect(box, &QMessageBox::buttonClicked, box, [accept, onAccept](QAbstractButton* clicked) {
    if (clicked == accept && onAccept)
      onAccept();
  });
  box->open();
  return box;
}

QString displayPath(const QString& path)
{
  const QString home = QDir::homePath();
  if (path.startsWith(home + "/"))
    return QDir::toNativeSeparators("~" + path.mid(home.size()));
  return QDir::toNativeSeparators(path);
}

QString expandPath(const QString& text)
{
  const QString t = text.trimmed();
  if (t == "~")
    return QDir::homePath();
  if (t.startsWith("~/") || t.startsWith(QStringLiteral("~") + QDir::separator()))
    return QDir::home().filePath(t.mid(2));
  return t;
}

void addValidatedButtons(QDialog* dialog, QVBoxLayout* layout, const QString& okText,
                         std::function<bool(QString*)> validate)
{
  auto* error = new QLabel(dialog);
  error->setStyleSheet("color: #b02020");
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
  buttons->button(QDialogButtonBox::Ok)->setText(okText);
  QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, [dialog, error, validate] {
    QString message;
    if (validate(&message))
      dialog->accept();
    else
      error->setText(message);
  });
  QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
  layout->addWidget(error);
  layout->addWidget(buttons);
}

void refreshOnChanges(QObject* owner, ConsoleState* state, std::function<void()> refresh)
{
  auto* timer = new QTimer(owner);
  timer->setSingleShot(true);
  timer->setInterval(250);
  QObject::connect(timer, &QTimer::timeout, owner, std::move(refresh));
  const auto schedule = [timer] {
    if (!timer->isActive())
      timer->start();
  };
  QObject::connect(state, &ConsoleState::recordApplied, timer, schedule);
  QObject::connect(state, &ConsoleState::clockChanged, timer, schedule);
  QObject::connect(state, &ConsoleState::snapshotApplied, timer, schedule);
  QObject::connect(state, &ConsoleState::playerTeamsChanged, timer, schedule);
  QObject::connect(state, &ConsoleState::catalogChanged, timer, schedule);
}

namespace {

/// Ctrl+Enter in a multi-line field: submit instead of a new line.
class SubmitOnCtrlEnter : public QObject {
public:
  SubmitOnCtrlEnter(QObject* parent, std::function<void()> submit) : QObject(parent), m_submit(std::move(submit)) {}

protected:
  bool eventFilter(QObject* watched, QEvent* event) override
  {
    if (event->type() == QEvent::KeyPress) {
      const auto* key = static_cast<QKeyEvent*>(event);
      if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && (key->modifiers() & Qt::ControlModifier)) {
        m_submit();
        return true;
      }
    }
    return QObject::eventFilter(watched, event);
  }

private:
  std::function<void()> m_submit;
};

} // namespace

void makeFormText(QPlainTextEdit* edit, std::function<void()> submit)
{
  edit->setTabChangesFocus(true);
  if (edit->toolTip().isEmpty())
    edit->setToolTip(submit ? QObject::tr("Tab: next field; Ctrl+Enter: send") : QObject::tr("Tab: next field"));
  if (submit)
    edit->installEventFilter(new SubmitOnCtrlEnter(edit, std::move(submit)));
}

} // namespace cyberex::gui
