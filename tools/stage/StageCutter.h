// The stage cutter: one source tree, thirty stages.
//
// The final code lives once, in src/. Lines carry chapter markers that say in which chapter
// they arrive (and, rarely, in which chapter they leave). Cutting the tree "as of chapter N"
// keeps exactly the lines a reader of chapter N has seen, and drops the marker lines.
//
// The markers (in C++ files; files that use '#' comments write '#' where C++ writes '//'):
//
//   //@ ch06              the whole file arrives in chapter 6 (required in src/ and tests/)
//   //> ch06 name         a block that arrives in chapter 6 ...
//   //< ch06 name         ... ends here. The name is optional; it also names an excerpt.
//   /*> ch04-09 name      a retired block: present in chapters 4 to 8, gone from chapter 9 on.
//   */                    It is a comment in the final code, so the final code never sees it.
//
// Two more, for the rare chapter whose code arrived earlier (its lab must still have work in it):
//
//   //?> ch18             a hole: chapter 18's lab takes these lines out ...
//   //?< ch18             ... to here. Every stage keeps them.
//   /*? ch18              a starter: a comment in src/ and in every stage; chapter 18's lab
//   */                    has it as code, the naive version the learner starts from.
//
// A block may nest inside another of the same or an earlier chapter. A file under
// chapters/NN-slug/ belongs to chapter NN and may carry only markers of chapter NN.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace course {

inline constexpr int kFirstChapter = 1;
inline constexpr int kLastChapter = 30;

// A marker error names the file and the line, so a learner can jump straight to it.
class MarkerError : public std::runtime_error {
public:
    MarkerError(const std::string& file, int line, const std::string& what);
};

// How a file writes its comments decides how its markers look.
enum class CommentStyle { kSlashes, kHash, kNone };

CommentStyle commentStyleFor(const std::filesystem::path& file);

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

// The lines of a named block, with every marker line inside it removed. With `asOfChapter`,
// only the lines a reader of that chapter has seen (a retired block shows while it lives);
// without, the final code. Used to pull code excerpts into the chapters' READMEs.
std::string excerpt(const std::string& text, const std::string& name, const std::string& fileName,
                    CommentStyle style, std::optional<int> asOfChapter = std::nullopt);

// The chapter a folder such as "chapters/06-partition-selection" belongs to, if any.
std::optional<int> chapterOfFolder(const std::string& folderName);

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

// The workspace of chapter N's lab in `out`: the lab's tree (or, with `solution`, stage N's),
// the chapter's README, TASKS.md (what to write and which tests must pass), and .lab-chapter,
// which the build reads (-DCOURSE_LAB_TREE). Returns the tree's digest.
std::string writeLab(const std::filesystem::path& root, int chapter, bool solution,
                     const std::filesystem::path& out);

// TASKS.md of chapter N's lab: the files to create and change, and the tests to make pass,
// worked out from the difference between the lab and stage N.
std::string labTasks(const std::filesystem::path& root, int chapter);

// README excerpts: a line `<!-- excerpt: src/path/File.cpp name -->` followed by a fenced code
// block. `syncExcerpts` rewrites each such block from the source, as of the README's chapter
// (chapters/NN-slug/README.md shows stage NN's code); with `checkOnly` it only reports the
// READMEs whose blocks differ from the code. Returns the files that differ.
std::vector<std::string> syncExcerpts(const std::filesystem::path& root, bool checkOnly);

}  // namespace course
