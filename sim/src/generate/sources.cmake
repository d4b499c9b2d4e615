# sources of sim/src/generate (synthetic scenarios)
list(APPEND CYBEREX_CORE_SOURCES
  src/generate/generate.cpp
)
