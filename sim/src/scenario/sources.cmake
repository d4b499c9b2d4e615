# sources of sim/src/scenario (listed explicitly, no globbing)
list(APPEND CYBEREX_CORE_SOURCES
)
