# sources of sim/src/graph (listed explicitly, no globbing)
list(APPEND CYBEREX_CORE_SOURCES
  src/graph/xml_reader.cpp
  src/graph/graphml.cpp
)
