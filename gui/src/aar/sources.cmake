# Sources of gui/src/aar (paths relative to gui/).
list(APPEND CYBEREX_GUI_SOURCES)
