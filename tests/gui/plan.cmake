# QtTest suites of issue plan: cyberex_gui_test(gui-<what> <what>_test.cpp quick|slow)
cyberex_gui_test(gui-plan plan_test.cpp quick)
# the argument check of `cyberex-gui --plan` runs the real program
target_compile_definitions(gui-plan PRIVATE CYBEREX_GUI_BINARY="$<TARGET_FILE:cyberex-gui>")
add_dependencies(gui-plan cyberex-gui)
