# Sources of gui/src/deps (paths relative to gui/).
list(APPEND CYBEREX_GUI_SOURCES src/deps/dependency_view.cpp src/deps/dependency_view.hpp src/deps/dependency_tab.cpp)
