# sources of sim/src/state: ExerciseState, the one fold of records (it includes only model, record, state and
# networked grid headers; grid.cpp re-does the DC solve of a networked grid from the records)
list(APPEND CYBEREX_CORE_SOURCES src/state/apply.cpp src/state/grid.cpp src/state/kpis.cpp src/state/view.cpp)
