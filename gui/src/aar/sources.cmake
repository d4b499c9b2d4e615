# Sources of gui/src/aar (paths relative to gui/).
list(APPEND CYBEREX_GUI_SOURCES src/aar/aar_player.cpp src/aar/aar_player.hpp src/aar/event_list_model.cpp
     src/aar/event_list_model.hpp
     src/aar/whatif_form.cpp src/aar/whatif_form.hpp)
