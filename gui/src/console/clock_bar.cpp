#include "console/clock_bar.hpp"

#include "console/console_state.hpp"
#include "console/dialogs.hpp"
#include "console/widgets.hpp"

#include <QAction>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QStyle>

namespace cyberex::gui {

ClockBar::ClockBar(ConsoleState* state, bool controls, QWidget* parent)
    : QToolBar(tr("Clock"), parent), m_console(state)
{
  setObjectName("clockBar");
  if (controls) {
    m_playPause = addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Start"), this, &ClockBar::playPause);
    m_playPause->setShortcut(Qt::Key_Space);
    m_playPause->setToolTip(tr("Start, pause or resume the exercise clock (Space)"));
    m_step = addAction(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("Step"), this, [this] { step("event"); });
    m_step->setShortcut(Qt::Key_N);
    m_step->setToolTip(tr("Process the next event of the world (N)"));
    m_nextInject = addAction(style()->standardIcon(QStyle::SP_MediaSkipForward), tr("Next inject"), this,
                             [this] { step("inject"); });
    m_nextInject->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    m_nextInject->setToolTip(tr("Run until the next inject is delivered (Ctrl+J)"));
    m_nextMove = addAction(tr("Next move"), this, [this] { step("move"); });
    m_nextMove->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    m_nextMove->setToolTip(tr("Jump to the start of the next move (Ctrl+M)"));
    m_runTo = new QLineEdit(this);
    m_runTo->setObjectName("runTo");
    m_runTo->setPlaceholderText(tr("run to… (4h10m)"));
    m_runTo->setToolTip(tr("Run the world to a time from the start, e.g. 4h10m or 04:10, then Enter (Ctrl+T)"));
    m_runTo->setMaximumWidth(130);
    auto* focusRunTo = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_T), this);
    connect(focusRunTo, &QShortcut::activated, m_runTo, [this] { m_runTo->setFocus(); });
    connect(m_runTo, &QLineEdit::returnPressed, this, [this] {
      const double t = parseDuration(m_runTo->text());
      if (t < 0) {
        emit m_console->commandFailed(
            tr("Run to: expected a time from the start such as 4h10m or 04:10, got \"%1\"").arg(m_runTo->text()));
        return;
      }
      runTo(t);
      m_runTo->clear();
    });
    addWidget(m_runTo);
    addWidget(new QLabel(tr("  Speed ×"), this));
    m_speed = new QDoubleSpinBox(this);
    m_speed->setObjectName("speed");
    m_speed->setRange(0.1, 1e6);
    m_speed->setDecimals(1);
    m_speed->setValue(1);
    m_speed->setToolTip(tr("Simulated seconds per wall second (1 for a live drill)"));
    m_speed->setKeyboardTracking(false);
    connect(m_speed, &QDoubleSpinBox::valueChanged, this, [this](double v) {
      if (v != m_console->clock().speed)
        m_console->send({{"type", "speed"}, {"speed", v}});
    });
    addWidget(m_speed);
    m_end = addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("End"), this, &ClockBar::askToEnd);
    m_end->setObjectName("endExercise");
    m_end->setToolTip(tr("End the exercise now (asks first: an ended exercise cannot be resumed)"));
    addSeparator();
  }
  m_state = new QLabel(this);
  m_state->setObjectName("clockState");
  m_time = new QLabel(this);
  m_time->setObjectName("simTime");
  m_time->setToolTip(tr("Simulated time since the exercise start"));
  QFont big = m_time->font();
  big.setBold(true);
  big.setPointSizeF(big.pointSizeF() * 1.2);
  m_time->setFont(big);
  m_situation = new QLabel(this);
  m_situation->setObjectName("situationTime");
  m_situation->setToolTip(tr("Situation time: the date and time in the exercise's story"));
  m_move = new QLabel(this);
  m_next = new QLabel(this);
  m_next->setObjectName("nextInject");
  m_next->setToolTip(tr("When the next scheduled inject is due (control only)"));
  for (QLabel* l : {m_state, m_time, m_situation, m_move, m_next}) {
    l->setContentsMargins(8, 0, 8, 0);
    QAction* a = addWidget(l);
    if (l == m_next)
      m_nextShown = a;
  }
  connect(state, &ConsoleState::clockChanged, this, &ClockBar::refresh);
  connect(state, &ConsoleState::catalogChanged, this, &ClockBar::refresh);
  refresh();
}

void ClockBar::playPause()
{
  const QString s = m_console->clock().state;
  m_console->send({{"type", s == "ready" ? "start" : s == "running" ? "pause" : "resume"}});
}

void ClockBar::askToEnd()
{
  askConfirmation(this, tr("End the exercise"),
                  tr("End the exercise now, at T+%1? The clock stops for good: an ended exercise cannot be resumed. "
                     "The journal keeps everything up to now.")
                      .arg(formatSimTime(m_console->clock().time)),
                  tr("End exercise"), tr("Cancel"), [this] {
                    m_console->send({{"type", "end"}});
                  });
}

void ClockBar::step(const QString& to)
{
  m_console->send({{"type", "step"}, {"to", to}});
}

void ClockBar::runTo(double t)
{
  m_console->send({{"type", "step"}, {"to", "time"}, {"time", t}});
}

void ClockBar::refresh()
{
  const ClockInfo& c = m_console->clock();
  m_state->setText(c.state);
  m_time->setText("T+" + formatSimTime(c.time));
  const QString situation = m_console->situationTime();
  m_situation->setText(situation.isEmpty() ? QString() : tr("Situation %1").arg(situation));
  m_move->setText(c.move.isEmpty() ? QString() : tr("Move %1").arg(c.move));
  // only control may know when injects are due (they include hidden ones and other teams'); the server leaves
  // next_inject out of other principals' clocks, and a clock without it hides the label rather than keep a stale one
  const bool showNext = m_console->isControl() && c.nextInject >= 0;
  m_next->setText(showNext ? tr("Next inject T+%1").arg(formatSimTime(c.nextInject)) : QString());
  m_nextShown->setVisible(showNext);
  if (m_playPause) {
    const bool running = c.state == "running";
    m_playPause->setText(c.state == "ready" ? tr("Start") : running ? tr("Pause") : tr("Resume"));
    m_playPause->setIcon(style()->standardIcon(running ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    const bool ended = c.state == "ended";
    for (QAction* a : {m_playPause, m_step, m_nextInject, m_nextMove, m_end})
      a->setEnabled(!ended);
    if (!m_speed->hasFocus()) {
      const QSignalBlocker block(m_speed);
      m_speed->setValue(c.speed);
    }
  }
}

} // namespace cyberex::gui
