# Build settings shared by every stage.

# ccache makes thirty stages cheap: a file that is the same in two stages is compiled once.
# Paths are rewritten relative to each build directory, so stage 5's copy of a file and
# stage 6's identical copy hash the same.
find_program(COURSE_CCACHE ccache)
if(COURSE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      "${CMAKE_COMMAND}" -E env "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}" CCACHE_NOHASHDIR=true
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      "${COURSE_CCACHE}")
endif()

function(course_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(COURSE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# A chapter folder chapters/NN-slug holds *Test.cpp files and, optionally, demo.cpp.
function(course_add_chapter chapter_dir)
  get_filename_component(folder "${chapter_dir}" NAME)
  string(SUBSTRING "${folder}" 0 2 number)
  file(GLOB tests CONFIGURE_DEPENDS "${chapter_dir}/*Test.cpp")
  if(tests)
    add_executable(ch${number}-tests ${tests})
    target_link_libraries(ch${number}-tests PRIVATE kafka GTest::gtest_main GTest::gmock)
    if(TARGET PkgConfig::RDKAFKA)  # the mock cluster, for the chapters that talk to it
      target_link_libraries(ch${number}-tests PRIVATE PkgConfig::RDKAFKA)
    endif()
    target_include_directories(ch${number}-tests PRIVATE "${COURSE_TREE}/tests")
    # A test that runs a helper of its chapter's folder (a peer's script) finds the folder by
    # COURSE_CHAPTER_DIR; only the files that name it get it, so that ccache can still share
    # the others between stages.
    foreach(test_source IN LISTS tests)
      file(READ "${test_source}" test_text)
      if(test_text MATCHES "COURSE_CHAPTER_DIR")
        set_property(SOURCE "${test_source}" APPEND PROPERTY COMPILE_DEFINITIONS
          COURSE_CHAPTER_DIR="${chapter_dir}")
      endif()
    endforeach()
    course_warnings(ch${number}-tests)
    gtest_discover_tests(ch${number}-tests DISCOVERY_MODE PRE_TEST
      TEST_PREFIX "ch${number}." PROPERTIES LABELS "ch${number}")
  endif()
  # A stage builds its own chapter's demo; the final build builds them all.
  if(EXISTS "${chapter_dir}/demo.cpp" AND (COURSE_FINAL OR number EQUAL COURSE_STAGE))
    add_executable(ch${number}-demo "${chapter_dir}/demo.cpp")
    target_link_libraries(ch${number}-demo PRIVATE kafka)
    # Demos may borrow the tests' doubles and peers (tests/support): a fake broker, MockClient.
    target_include_directories(ch${number}-demo PRIVATE "${COURSE_TREE}/tests")
    if(TARGET PkgConfig::RDKAFKA)
      target_link_libraries(ch${number}-demo PRIVATE PkgConfig::RDKAFKA)
    endif()
    course_warnings(ch${number}-demo)
  endif()
endfunction()
