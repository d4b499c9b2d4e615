# Sources of gui/src/plan (paths relative to gui/).
list(APPEND CYBEREX_GUI_SOURCES src/plan/plan_window.cpp src/plan/plan_window.hpp)
