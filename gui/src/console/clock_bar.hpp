/* The clock toolbar shared by both consoles: state, simulated time, situation time, move and (control only) when the
 * next inject is due; with controls (play/pause, step, speed, next inject, next move, end) for the controller. */
#pragma once

#include <QToolBar>

class QAction;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;

namespace cyberex::gui {

class ConsoleState;

class ClockBar : public QToolBar {
  Q_OBJECT
public:
  /// CONTROLS: the clock's actions (the controller); without them the bar only shows the time.
  ClockBar(ConsoleState* state, bool controls, QWidget* parent = nullptr);

  QAction* playPauseAction() const { return m_playPause; }
  QAction* stepAction() const { return m_step; }
  QAction* nextInjectAction() const { return m_nextInject; }
  QAction* nextMoveAction() const { return m_nextMove; }
  QAction* endAction() const { return m_end; }
  QDoubleSpinBox* speedBox() const { return m_speed; }
  QLabel* stateLabel() const { return m_state; }
  QLabel* timeLabel() const { return m_time; }
  QLabel* situationLabel() const { return m_situation; }
  /// "Next inject T+..." (controller and evaluators, when the server said when); hidden otherwise.
  QLabel* nextInjectLabel() const { return m_next; }
  bool isNextInjectShown() const { return m_nextShown->isVisible(); }

  /// Start, pause or resume as the clock's state requires.
  void playPause();
  /// Ask whether to end the exercise (the End action); `end` is sent only if the controller confirms.
  void askToEnd();
  void step(const QString& to);
  /// Run the world to simulated time T (seconds from the start).
  void runTo(double t);
  QLineEdit* runToEdit() const { return m_runTo; }

private:
  void refresh();
  ConsoleState* m_console;
  QAction* m_playPause = nullptr;
  QAction* m_step = nullptr;
  QAction* m_nextInject = nullptr;
  QAction* m_nextMove = nullptr;
  QAction* m_end = nullptr;
  QDoubleSpinBox* m_speed = nullptr;
  QLineEdit* m_runTo = nullptr;
  QLabel* m_state;
  QLabel* m_time;
  QLabel* m_situation;
  QLabel* m_move;
  QLabel* m_next;
  QAction* m_nextShown = nullptr; ///< the toolbar's action of m_next: hides it
};

} // namespace cyberex::gui
