# Which stage this build is: the final code (COURSE_CHAPTER empty) or the code as of one
# chapter. A stage is cut from src/ by the course's own tool, tools/stage/course_cut.cpp,
# which is compiled here at configure time: building a stage needs only CMake and a compiler.

# The last chapter, from the one place that says it: the stage cutter's kLastChapter.
file(STRINGS "${CMAKE_CURRENT_SOURCE_DIR}/tools/stage/Markers.h" COURSE_LAST_CHAPTER_LINE
     REGEX "kLastChapter = [0-9]+")
string(REGEX MATCH "[0-9]+" COURSE_LAST_CHAPTER
       "${COURSE_LAST_CHAPTER_LINE}")
set(COURSE_CHAPTER "" CACHE STRING
    "The stage to build: 1..${COURSE_LAST_CHAPTER}; empty builds the final code")

# A lab workspace (./course lab N DIR): its tree is built as it is, as stage N would be.
set(COURSE_LAB_TREE "" CACHE PATH "A lab workspace written by ./course lab N DIR, to build")
if(NOT COURSE_LAB_TREE STREQUAL "")
  if(NOT EXISTS "${COURSE_LAB_TREE}/.lab-chapter")
    message(FATAL_ERROR "COURSE_LAB_TREE=${COURSE_LAB_TREE} is not a lab workspace "
                        "(no .lab-chapter): make one with ./course lab N DIR")
  endif()
  file(STRINGS "${COURSE_LAB_TREE}/.lab-chapter" COURSE_STAGE LIMIT_COUNT 1)
  set(COURSE_FINAL OFF)
  set(COURSE_TREE "${COURSE_LAB_TREE}")
  message(STATUS "Course: the lab of chapter ${COURSE_STAGE} in ${COURSE_TREE}")
  return()
endif()

if(COURSE_CHAPTER STREQUAL "")
  set(COURSE_STAGE ${COURSE_LAST_CHAPTER})
  set(COURSE_FINAL ON)
  set(COURSE_TREE "${CMAKE_SOURCE_DIR}")
  message(STATUS "Course: the final code (src/ as it is)")
  return()
endif()

if(NOT COURSE_CHAPTER MATCHES "^[0-9]+$" OR COURSE_CHAPTER LESS 1
   OR COURSE_CHAPTER GREATER COURSE_LAST_CHAPTER)
  message(FATAL_ERROR
    "COURSE_CHAPTER=${COURSE_CHAPTER} is not a chapter: use 1..${COURSE_LAST_CHAPTER}, "
    "or leave it empty for the final code")
endif()
math(EXPR COURSE_STAGE "${COURSE_CHAPTER}")
set(COURSE_FINAL OFF)

set(_cutter "${CMAKE_BINARY_DIR}/course-cut")
# The cutter's parts (tools/stage/*.cpp, with course_cut.cpp's main) and their headers.
file(GLOB _cutter_sources "${CMAKE_SOURCE_DIR}/tools/stage/*.cpp")
file(GLOB _cutter_headers "${CMAKE_SOURCE_DIR}/tools/stage/*.h")
set(_rebuild_cutter OFF)
if(NOT EXISTS "${_cutter}")
  set(_rebuild_cutter ON)
else()
  foreach(_source IN LISTS _cutter_sources _cutter_headers)
    if("${_source}" IS_NEWER_THAN "${_cutter}")
      set(_rebuild_cutter ON)
    endif()
  endforeach()
endif()
if(_rebuild_cutter)
  # The cutter is a host tool: build it plainly, whatever sanitizer the stage uses.
  try_compile(_cutter_built "${CMAKE_BINARY_DIR}/course-cut-build"
    SOURCES ${_cutter_sources}
    CMAKE_FLAGS "-DCMAKE_CXX_FLAGS=-O1" "-DCMAKE_EXE_LINKER_FLAGS="
    CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON
    OUTPUT_VARIABLE _cutter_log
    COPY_FILE "${_cutter}")
  if(NOT _cutter_built)
    message(FATAL_ERROR "Could not build the stage cutter:\n${_cutter_log}")
  endif()
endif()

set(COURSE_TREE "${CMAKE_BINARY_DIR}/stage")
execute_process(
  COMMAND "${_cutter}" stage --root "${CMAKE_SOURCE_DIR}" --chapter ${COURSE_STAGE}
          --out "${COURSE_TREE}"
  RESULT_VARIABLE _cut_result
  OUTPUT_VARIABLE COURSE_STAGE_DIGEST
  ERROR_VARIABLE _cut_error
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _cut_result EQUAL 0)
  message(FATAL_ERROR "Cutting stage ${COURSE_STAGE} failed:\n${_cut_error}")
endif()
message(STATUS "Course: stage ${COURSE_STAGE}, cut into ${COURSE_TREE} (digest ${COURSE_STAGE_DIGEST})")

# Re-cut whenever a marked file changes.
file(GLOB_RECURSE _marked_files
  "${CMAKE_SOURCE_DIR}/src/*" "${CMAKE_SOURCE_DIR}/tests/*"
  "${CMAKE_SOURCE_DIR}/bench/*" "${CMAKE_SOURCE_DIR}/chapters/*")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_marked_files})
