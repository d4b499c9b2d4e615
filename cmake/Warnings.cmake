# Warnings for cyberex's own targets: cyberex_warnings(target)
function(cyberex_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference)
  if(CYBEREX_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
