/* The Attention dock: what needs the controller now (issue 18). Not written yet. */
#include "console/attention_dock.hpp"
#include "console/controller_window.hpp"

namespace cyberex::gui {

void ControllerWindow::setUpAttention() {}

} // namespace cyberex::gui
