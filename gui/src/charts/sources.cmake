# Sources of gui/src/charts (paths relative to gui/).
list(APPEND CYBEREX_GUI_SOURCES src/charts/dashboard.cpp src/charts/dashboard.hpp)
