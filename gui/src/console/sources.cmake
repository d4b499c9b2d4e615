# Sources of gui/src/console (paths relative to gui/).
list(APPEND CYBEREX_GUI_SOURCES)
