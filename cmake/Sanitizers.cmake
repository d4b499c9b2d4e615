# Sanitizers for every target of the build (the core, its tests, the command), chosen by option:
#  CYBEREX_SANITIZE  AddressSanitizer + UndefinedBehaviorSanitizer; undefined behaviour is fatal
#                    (-fno-sanitize-recover), so a test that triggers it fails (scripts/test.sh: build-asan)
#  CYBEREX_TSAN      ThreadSanitizer (scripts/tsan.sh: build-tsan)
#  CYBEREX_FUZZ      Clang only: libFuzzer coverage + ASan + UBSan everywhere, and the fuzzers of tests/fuzz
#                    (scripts/fuzz.sh: build-fuzz)
# Flags go on every target (add_compile_options), not only cyberex's own, so that the doctest main and the
# libraries they link are instrumented alike.
set(_cyberex_sanitizers 0)
foreach(_opt CYBEREX_SANITIZE CYBEREX_TSAN CYBEREX_FUZZ)
  if(${_opt})
    math(EXPR _cyberex_sanitizers "${_cyberex_sanitizers} + 1")
  endif()
endforeach()
if(_cyberex_sanitizers GREATER 1)
  message(FATAL_ERROR "CYBEREX_SANITIZE, CYBEREX_TSAN and CYBEREX_FUZZ exclude each other: one build directory each")
endif()

# the tests skip budgets of time and memory under a sanitizer (tests/CMakeLists.txt, tests/unit/cli_support.hpp)
set(CYBEREX_SANITIZED ${_cyberex_sanitizers})

if(CYBEREX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CYBEREX_FUZZ needs Clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(CYBEREX_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(CYBEREX_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
