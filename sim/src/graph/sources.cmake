# sources of sim/src/graph (listed explicitly, no globbing)
list(APPEND CYBEREX_CORE_SOURCES
  src/graph/xml_reader.cpp
  src/graph/graphml.cpp
  src/graph/network.cpp
  src/graph/attack.cpp
  src/graph/cascade.cpp
  src/graph/analysis.cpp
  src/graph/analysis_format.cpp
)
