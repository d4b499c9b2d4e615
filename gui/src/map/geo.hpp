/* Map projections of the layout (issue 19). */
#pragma once

namespace cyberex::gui {
} // namespace cyberex::gui
