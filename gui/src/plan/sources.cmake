# Sources of gui/src/plan (paths relative to gui/).
list(
  APPEND
  CYBEREX_GUI_SOURCES
  src/plan/editor_command.cpp
  src/plan/editor_command.hpp
  src/plan/plan_timeline.cpp
  src/plan/plan_timeline.hpp
  src/plan/plan_window.cpp
  src/plan/plan_window.hpp)
