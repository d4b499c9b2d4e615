# tests of cyberex batch on MPI (issue 17). mpi-retry: the retry of a killed run on one machine (doctest).
# mpi-batch-identical / mpi-batch-fault: `mpirun -n 3 --oversubscribe cyberex batch` of Cyber Atlantic 2011 gives the
# bytes of `cyberex batch --jobs 2`, also when a run is killed; SKIPPED (exit 77) where MPI is not built, not
# installed, or in the sanitizer build.
list(APPEND CYBEREX_TEST_SOURCES unit/mpi_test.cpp)
cyberex_suite(mpi-retry quick)
if(Python3_Interpreter_FOUND)
  set(_mpi_sanitized OFF)
  if(CYBEREX_SANITIZED)
    set(_mpi_sanitized ON)
  endif()
  foreach(mode identical fault)
    add_test(NAME mpi-batch-${mode}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/unit/mpi_batch.py --cyberex $<TARGET_FILE:cyberex>
                     --with-mpi ${CYBEREX_WITH_MPI} --sanitized ${_mpi_sanitized} ${mode})
    set_tests_properties(mpi-batch-${mode} PROPERTIES LABELS quick WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                                                      SKIP_RETURN_CODE 77 TIMEOUT 900)
  endforeach()
endif()
