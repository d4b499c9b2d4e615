# Sources of gui/src/state (paths relative to gui/): the GUI's one state of an exercise, over the core's fold.
list(APPEND CYBEREX_GUI_SOURCES src/state/record_json.cpp src/state/record_json.hpp src/state/step_series_model.cpp
     src/state/step_series_model.hpp src/state/exercise_state_model.cpp src/state/exercise_state_model.hpp)
