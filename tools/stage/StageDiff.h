// A chapter's whole change: what stage N adds to stage N-1, as a unified diff of the two cuts
// (src/, tests/, bench/ and the chapters' code). `./course diff N` prints it, and the book shows
// it on each chapter's page. It is computed from the cuts every time, never stored, so it cannot
// drift from the code.
#pragma once

#include <filesystem>
#include <string>

#include "Cutting.h"

namespace course {

// The lines of `after` against those of `before`, as unified diff hunks with `context` lines
// of context around each change, under `--- oldName` and `+++ newName` headers. Empty when the
// two texts are the same. A file that is absent on one side is named /dev/null by the caller
// and passed as "".
std::string unifiedDiff(const std::string& before, const std::string& after,
                        const std::string& oldName, const std::string& newName, int context = 3);

// Every file that differs between two cuts, in path order: changed files as a/PATH and b/PATH,
// added files from /dev/null, removed files to /dev/null. A binary file (one with a NUL byte)
// is only named: "Binary files a/PATH and b/PATH differ".
std::string diffTrees(const TreeCut& before, const TreeCut& after, int context = 3);

// What chapter N adds to stage N-1 (chapter 1: to nothing).
std::string chapterDiff(const std::filesystem::path& root, int chapter);

}  // namespace course
