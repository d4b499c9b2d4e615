# sources of sim/src/power owned by the grid analysis (N-1 report, protection cascade, controller ranking, the
# MATPOWER writer); the power-flow library's own files are listed in src/power/sources.cmake
list(APPEND CYBEREX_CORE_SOURCES
  src/power/contingency.cpp
  src/power/grid_format.cpp
  src/power/grid_scenario.cpp
  src/power/matpower_write.cpp
)
