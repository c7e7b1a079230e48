// The chapter markers: how a line says in which chapter it arrives (see StageCutter.h for
// the whole notation), how a file's markers are parsed and checked, and which lines a stage
// or a lab sees. The other parts of the cutter (cutting, labs, excerpts) walk files with these.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "Text.h"

namespace course {

inline constexpr int kFirstChapter = 1;
inline constexpr int kLastChapter = 38;

// A marker error names the file and the line, so a learner can jump straight to it.
class MarkerError : public std::runtime_error {
public:
    MarkerError(const std::string& file, int line, const std::string& what);
};

// How a file writes its comments decides how its markers look.
enum class CommentStyle { kSlashes, kHash, kNone };

CommentStyle commentStyleFor(const std::filesystem::path& file);

// The chapter a folder such as "chapters/06-partition-selection" belongs to, if any.
std::optional<int> chapterOfFolder(const std::string& folderName);

// A file marker must be near the top, where a reader sees it first.
constexpr std::size_t kFileMarkerLines = 5;

enum class MarkerKind { kFile, kOpen, kClose, kRetiredOpen, kHoleOpen, kHoleClose, kStarterOpen };

// One parsed marker line: `//> ch06-09 name`.
struct Marker {
    MarkerKind kind;
    int from = 0;
    std::optional<int> until;  // the chapter the block leaves in, for retired blocks
    std::string name;
    std::string spec;  // "ch06-09 name", to match an opening with its closing

    bool retired() const { return until.has_value(); }
    // Lab blocks belong to one chapter's lab, not to the stages: a hole is code that lab
    // takes away, a starter is code only that lab shows.
    bool hole() const { return kind == MarkerKind::kHoleOpen; }
    bool starter() const { return kind == MarkerKind::kStarterOpen; }
    bool lab() const { return hole() || starter(); }
    // Retired and starter blocks are comments in src/: they end with a line `*/`.
    bool commentBlock() const { return retired() || starter(); }
};

// Recognises a marker line, or returns nothing for an ordinary line. A malformed marker is a
// MarkerError naming `file` and `line`.
std::optional<Marker> parseMarker(const std::string& rawLine, CommentStyle style,
                                  const std::string& file, int line);

// A block that is open at some line: its marker, and the line that opened it.
struct OpenBlock {
    Marker marker;
    int line;
};

// Called with each ordinary (non-marker) line, the blocks open around it, and its line number.
using LineVisitor =
    std::function<void(const std::string& line, const std::vector<OpenBlock>& open, int lineNo)>;

// Walks a file's lines, checking its markers and keeping track of the enclosing blocks, and
// hands each ordinary line to `visit`. `fileChapter` is the chapter of the file as a whole;
// `ownerChapter` is set for files in a chapter's folder, which may carry only its markers.
void walk(const std::vector<std::string>& lines, const std::string& file, CommentStyle style,
          std::optional<int> ownerChapter, int fileChapter, const LineVisitor& visit);

// Whether a line inside the `open` blocks is part of stage `chapter`: every block around it
// has arrived, and none has left. In the lab of chapter `lab`, that chapter's holes are
// taken out and its starters put in; elsewhere holes are plain code and starters are absent.
bool visibleAt(const std::vector<OpenBlock>& open, int chapter,
               std::optional<int> lab = std::nullopt);

// The chapter named by a file's `//@ chNN` marker, if it has one in its first lines.
std::optional<int> fileMarkerChapter(const std::vector<std::string>& lines, const std::string& file,
                                     CommentStyle style);

// A block between two blank lines leaves two blank lines side by side when it is cut out;
// this keeps one of them, so that every stage reads as if written by hand.
class BlankLineKeeper {
public:
    bool keep(const std::string& line, bool visible) {
        if (!visible) {
            cutSinceLastLine_ = true;
            return false;
        }
        const bool blank = trim(line).empty();
        if (blank && lastWasBlank_ && cutSinceLastLine_) return false;
        lastWasBlank_ = blank;
        cutSinceLastLine_ = false;
        return true;
    }

private:
    bool lastWasBlank_ = false;
    bool cutSinceLastLine_ = false;
};

}  // namespace course
