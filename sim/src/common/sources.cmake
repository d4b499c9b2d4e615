# sources of sim/src/common
list(APPEND CYBEREX_CORE_SOURCES src/common/exercise_time.cpp src/common/model_strings.cpp src/common/record.cpp)
