#!/usr/bin/env bash
# Lab @CHAPTER@ of the course in @ROOT@ (written by ./course lab @CHAPTER@).
#   ./lab build      configure and build this workspace in build/
#   ./lab test       chapter @CHAPTER@'s tests
#   ./lab test-all   the tests of chapters 1 to @CHAPTER@
#
# The lab's own front door: it builds this workspace with the course's CMakeLists.txt
# (-DCOURSE_LAB_TREE), unoptimised like a stage. ./course lab copies this file from
# tools/lab/lab.sh and fills in the chapter, the course's root and the label.
set -euo pipefail
COURSE_ROOT="@ROOT@"
CHAPTER_LABEL="@LABEL@"  # the ctest label and the target of the chapter's tests

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
configure() {
    cmake -S "$COURSE_ROOT" -B "$HERE/build" -G Ninja -DCOURSE_LAB_TREE="$HERE" \
        -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" >"$HERE/build.log"
}
case "${1:-test}" in
    build) configure && cmake --build "$HERE/build" ;;
    test) configure && cmake --build "$HERE/build" --target "$CHAPTER_LABEL-tests" \
              && ctest --test-dir "$HERE/build" -L "^$CHAPTER_LABEL\$" --output-on-failure ;;
    test-all) configure && cmake --build "$HERE/build" \
              && ctest --test-dir "$HERE/build" --output-on-failure ;;
    *) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
