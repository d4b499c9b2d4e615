# sources of sim/src/engine (listed explicitly, no globbing)
list(APPEND CYBEREX_CORE_SOURCES
)
