# The threaded tests again, from a ThreadSanitizer tree (RINGWAY_TSAN=ON,
# clang): data races fail the suite.
set(RINGWAY_THREADED_TESTS test_ring test_loop test_engine)
foreach(name ${RINGWAY_THREADED_TESTS})
  if(EXISTS ${CMAKE_SOURCE_DIR}/tests/unit/${name}.c)
    add_test(NAME tsan_${name} COMMAND ${RINGWAY_TSAN_BUILD_DIR}/tests/unit/${name})
    set_tests_properties(tsan_${name} PROPERTIES
      ENVIRONMENT "TSAN_OPTIONS=halt_on_error=1 second_deadlock_stack=1")
  endif()
endforeach()
