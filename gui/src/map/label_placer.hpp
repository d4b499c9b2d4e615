/* Label placement with collision avoidance for the map's site labels (issue 19). */
#pragma once

namespace cyberex::gui {
} // namespace cyberex::gui
