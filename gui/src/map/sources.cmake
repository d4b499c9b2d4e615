# Sources of gui/src/map (paths relative to gui/).
list(APPEND CYBEREX_GUI_SOURCES)
