/* The controller console's Dependencies tab (issue 19). */
#include "console/controller_window.hpp"

namespace cyberex::gui {

void ControllerWindow::setUpDependencies() {}

} // namespace cyberex::gui
