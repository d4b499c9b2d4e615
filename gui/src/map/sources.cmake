# Sources of gui/src/map (paths relative to gui/).
list(APPEND CYBEREX_GUI_SOURCES src/map/map_layout.cpp src/map/map_layout.hpp src/map/map_raster.cpp
     src/map/map_raster.hpp src/map/map_view.cpp src/map/map_view.hpp)
# geographic: projection and basemap
list(APPEND CYBEREX_GUI_SOURCES src/map/geo.cpp src/map/geo.hpp src/map/basemap.cpp src/map/basemap.hpp)
set_source_files_properties(src/map/geo.cpp PROPERTIES COMPILE_DEFINITIONS CYBEREX_DATA_DIR="${CYBEREX_DATA_DIR}")
# site glyphs and labels
list(APPEND CYBEREX_GUI_SOURCES src/map/label_placer.cpp src/map/label_placer.hpp)
