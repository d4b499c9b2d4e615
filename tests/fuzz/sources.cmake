# The fuzz targets' sources, shared by the fuzzers (CMakeLists.txt here) and the fuzz-regressions suite (fuzz.cmake).
set(CYBEREX_FUZZ_TARGET_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/targets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/support.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scenario_target.cpp
  ${CMAKE_CURRENT_LIST_DIR}/graphml_target.cpp
  ${CMAKE_CURRENT_LIST_DIR}/journal_target.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session_target.cpp
  ${CMAKE_CURRENT_LIST_DIR}/play_target.cpp
  ${CMAKE_CURRENT_LIST_DIR}/world_target.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matpower_target.cpp
)
