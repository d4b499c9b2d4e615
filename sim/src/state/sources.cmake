# sources of sim/src/state: ExerciseState, the one fold of records (it includes only model, record and state headers)
list(APPEND CYBEREX_CORE_SOURCES src/state/apply.cpp src/state/kpis.cpp src/state/view.cpp)
