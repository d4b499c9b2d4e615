/* The MSEL timeline: lanes per team and move, expectation windows, a now line (issue 18). Not written yet. */
#include "console/timeline_view.hpp"
#include "console/controller_window.hpp"

namespace cyberex::gui {

void ControllerWindow::setUpTimeline() {}

} // namespace cyberex::gui
