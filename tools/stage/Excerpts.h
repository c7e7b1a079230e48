// Excerpts: the named blocks that the chapters' READMEs quote, cut from the code again at
// every docs build so that the text cannot drift from the code.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "Markers.h"

namespace course {

// The lines of a named block, with every marker line inside it removed. With `asOfChapter`,
// only the lines a reader of that chapter has seen (a retired block shows while it lives);
// without, the final code. With `lab` as well, the block as that chapter's lab hands it out
// (its holes out, its starters in): the naive code a chapter starts from before its fix.
// Used to pull code excerpts into the chapters' READMEs.
std::string excerpt(const std::string& text, const std::string& name, const std::string& fileName,
                    CommentStyle style, std::optional<int> asOfChapter = std::nullopt,
                    std::optional<int> lab = std::nullopt);

// README excerpts: a line `<!-- excerpt: src/path/File.cpp name -->` followed by a fenced code
// block. `syncExcerpts` rewrites each such block from the source, as of the README's chapter
// (chapters/NN-slug/README.md shows stage NN's code); `<!-- excerpt: src/path/File.cpp name lab
// -->` shows the block as chapter NN's lab starts it. An excerpt appears once in the book: a
// second tag for the same block (and variant) is an error naming both places. With `checkOnly`
// it only reports the READMEs whose blocks differ from the code. Returns the files that differ.
std::vector<std::string> syncExcerpts(const std::filesystem::path& root, bool checkOnly);

}  // namespace course
