# Static checks registered as ctest tests, so the test command runs them.
file(GLOB_RECURSE RINGWAY_LINT_SRC CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/src/*.c ${CMAKE_SOURCE_DIR}/src/*.h)

find_program(CPPCHECK cppcheck)
if(CPPCHECK)
  add_test(NAME lint_cppcheck
           COMMAND ${CPPCHECK} --quiet --error-exitcode=1 --std=c11
                   --enable=warning,portability,performance
                   --inline-suppr -I ${CMAKE_SOURCE_DIR}/src
                   ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/tools)
endif()

find_program(CLANG_TIDY clang-tidy)
if(CLANG_TIDY)
  file(GLOB_RECURSE RINGWAY_TIDY_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/*.c
       ${CMAKE_SOURCE_DIR}/tools/*.c)
  add_test(NAME lint_clang_tidy
           COMMAND ${CLANG_TIDY} --quiet -p ${CMAKE_BINARY_DIR}
                   --warnings-as-errors=* ${RINGWAY_TIDY_SRC})
endif()

find_program(CLANG_FORMAT clang-format)
if(CLANG_FORMAT)
  file(GLOB_RECURSE RINGWAY_FMT_SRC CONFIGURE_DEPENDS
       ${CMAKE_SOURCE_DIR}/src/*.[ch] ${CMAKE_SOURCE_DIR}/tests/unit/*.[ch]
       ${CMAKE_SOURCE_DIR}/fuzz/*.[ch] ${CMAKE_SOURCE_DIR}/bench/*.[ch]
       ${CMAKE_SOURCE_DIR}/tools/*.[ch])
  add_test(NAME lint_clang_format
           COMMAND ${CLANG_FORMAT} --dry-run --Werror ${RINGWAY_FMT_SRC})
endif()
