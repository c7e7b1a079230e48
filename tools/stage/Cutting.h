// Cutting: a file, or the whole course tree, as of chapter N (a stage), or as chapter N's lab
// has it; and writing a cut tree into a folder.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "Markers.h"

namespace course {

// A file as the cutter sees it: the chapter it arrives in, and its lines.
struct CutResult {
    bool present = false;  // false: the file does not exist yet at this stage
    std::string text;      // the file's text at this stage, markers removed
};

// Cuts one file's text as of `chapter`. `ownerChapter` is set for files that live in a
// chapter's folder: they belong to that chapter and may only carry its markers.
// `requireFileMarker` makes a file without `//@ chNN` an error (src/ and tests/).
// With `labChapter`, the text as chapter N's lab has it (N's holes out, N's starters in);
// a lab may then cut as of chapter 0, before the first chapter.
CutResult cutText(const std::string& text, int chapter, const std::string& fileName,
                  CommentStyle style, std::optional<int> ownerChapter, bool requireFileMarker,
                  std::optional<int> labChapter = std::nullopt);

struct TreeCut {
    std::map<std::string, std::string> files;  // path relative to the root -> text
    std::string digest() const;                // changes whenever any cut file changes
};

// Cuts the whole course tree (src/, tests/, chapters/ up to N, bench/) as of chapter N.
TreeCut cutTree(const std::filesystem::path& root, int chapter);

// Chapter N's lab: the code (src/, bench/) as of chapter N-1 with N's holes and starters, and
// the tests (tests/, chapters/) as of chapter N. Putting back stage N's code gives cutTree(N).
TreeCut cutLab(const std::filesystem::path& root, int chapter);

// Writes the cut into `out`, touching only files whose text changed (so incremental builds
// stay incremental) and removing files that no longer belong. Only the course's own folders
// (src/, tests/, bench/, chapters/) are cleaned: a lab's build/ and notes are left alone.
void writeTree(const TreeCut& cut, const std::filesystem::path& out);

}  // namespace course
