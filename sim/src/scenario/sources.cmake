# sources of sim/src/scenario (listed explicitly, no globbing)
list(APPEND CYBEREX_CORE_SOURCES
  src/scenario/attack_catalog.cpp
  src/scenario/context.cpp
  src/scenario/diagnostic.cpp
  src/scenario/grid_network.cpp
  src/scenario/json_source.cpp
  src/scenario/loader.cpp
  src/scenario/read.cpp
  src/scenario/resolve.cpp
  src/scenario/selector.cpp
  src/scenario/timezones.cpp
  src/scenario/units.cpp
)
