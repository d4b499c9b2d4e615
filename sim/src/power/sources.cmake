# sources of sim/src/power (DC power flow; Eigen is included only here)
list(APPEND CYBEREX_CORE_SOURCES
  src/power/layout.cpp
  src/power/matpower.cpp
  src/power/solver.cpp
  src/power/synthetic.cpp
)
