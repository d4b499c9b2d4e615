#include "plan/plan_window.hpp"

namespace cyberex::gui {

PlanWindow::PlanWindow(const QString& /*scenarioFile*/, QWidget* parent) : QMainWindow(parent) {}

PlanWindow::~PlanWindow() = default;

} // namespace cyberex::gui
