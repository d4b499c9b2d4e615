# Sources of gui/src/grid (paths relative to gui/).
list(APPEND CYBEREX_GUI_SOURCES src/grid/grid_view.cpp src/grid/grid_view.hpp)
