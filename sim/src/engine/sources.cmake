# sources of sim/src/engine (listed explicitly, no globbing)
list(APPEND CYBEREX_CORE_SOURCES
  src/engine/actions.cpp
  src/engine/campaign.cpp
  src/engine/flood.cpp
  src/engine/grid.cpp
  src/engine/platform.cpp
  src/engine/play.cpp
  src/engine/simulation.cpp
  src/engine/world.cpp
)
