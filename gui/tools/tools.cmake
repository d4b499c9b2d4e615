# Tools of the map, charts and after-action parts (paths relative to gui/): a frame-time bench and a screenshot tool.
add_executable(cyberex-map-bench tools/map_bench.cpp)
target_link_libraries(cyberex-map-bench PRIVATE cyberex_gui)
cyberex_warnings(cyberex-map-bench)

add_executable(cyberex-gui-shot tools/screenshot.cpp)
target_link_libraries(cyberex-gui-shot PRIVATE cyberex_gui)
cyberex_warnings(cyberex-gui-shot)
