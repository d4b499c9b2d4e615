/* Planning mode (issue 19): `cyberex-gui --scenario FILE --plan` opens a scenario without running it. */
#pragma once

#include <QMainWindow>
#include <QString>

namespace cyberex::gui {

class PlanWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit PlanWindow(const QString& scenarioFile, QWidget* parent = nullptr);
  ~PlanWindow() override;
};

} // namespace cyberex::gui
