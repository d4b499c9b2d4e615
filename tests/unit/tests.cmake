# One CTest entry per doctest suite: cyberex_suite(NAME LABEL)
function(cyberex_suite suite label)
  add_test(NAME ${suite} COMMAND cyberex_tests --test-suite=${suite} --no-intro --force-colors=false)
  set_tests_properties(${suite} PROPERTIES LABELS ${label} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()

cyberex_suite(model quick)
