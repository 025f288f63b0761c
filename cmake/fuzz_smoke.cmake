# Run each libFuzzer target from a clang tree (RINGWAY_FUZZ=ON) for a fixed
# number of iterations, seeded from the test data: crashes fail the suite.
file(GLOB RINGWAY_FUZZ_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.c)
foreach(src ${RINGWAY_FUZZ_SRC})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME ${name}
           COMMAND ${CMAKE_SOURCE_DIR}/fuzz/run ${RINGWAY_FUZZ_BUILD_DIR}/fuzz/${name}
                   -runs=${RINGWAY_FUZZ_RUNS})
endforeach()
