# Sources of gui/src/map (paths relative to gui/).
list(APPEND CYBEREX_GUI_SOURCES src/map/map_layout.cpp src/map/map_layout.hpp src/map/map_raster.cpp
     src/map/map_raster.hpp src/map/map_view.cpp src/map/map_view.hpp)
