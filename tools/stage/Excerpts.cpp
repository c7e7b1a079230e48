#include "Excerpts.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "Text.h"

namespace course {

namespace fs = std::filesystem;

namespace {

std::string fenceLanguage(const fs::path& source) {
    if (source.extension() == ".py") return "python";
    if (commentStyleFor(source) == CommentStyle::kHash) return "cmake";
    return "cpp";
}

}  // namespace

std::string excerpt(const std::string& text, const std::string& name, const std::string& fileName,
                    CommentStyle style, std::optional<int> asOfChapter, std::optional<int> lab) {
    const auto lines = splitLines(text);
    const int fileChapter = fileMarkerChapter(lines, fileName, style).value_or(kFirstChapter);
    std::string out;
    BlankLineKeeper blanks;
    bool found = false;
    walk(lines, fileName, style, std::nullopt, fileChapter,
         [&](const std::string& line, const std::vector<OpenBlock>& open, int) {
             const bool named = std::any_of(open.begin(), open.end(), [&](const OpenBlock& b) {
                 return b.marker.name == name;
             });
             if (!named) return;
             found = true;
             const bool visible =
                 asOfChapter ? visibleAt(open, *asOfChapter, lab)
                             : std::none_of(open.begin(), open.end(), [](const OpenBlock& b) {
                                   return b.marker.commentBlock();
                               });
             if (blanks.keep(line, visible)) out += line + "\n";
         });
    if (!found) throw std::runtime_error(fileName + ": no excerpt named '" + name + "'");
    // Excerpts are shown flush left, however deep the block sits in its file.
    std::size_t indent = std::string::npos;
    for (const auto& line : splitLines(out))
        if (!trim(line).empty()) indent = std::min(indent, line.find_first_not_of(' '));
    std::string flush;
    for (const auto& line : splitLines(out))
        flush += (line.size() > indent ? line.substr(indent) : trim(line)) + "\n";
    return flush;
}
std::vector<std::string> syncExcerpts(const fs::path& root, bool checkOnly) {
    static const std::string kTag = "<!-- excerpt: ";
    std::vector<std::string> differing;
    std::map<std::string, std::string> shownAt;  // "file name [lab]" -> "README:line"
    std::vector<fs::path> readmes;
    for (const auto& folder : {root / "chapters", root / "docs"}) {
        if (!fs::exists(folder)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(folder))
            if (entry.is_regular_file() && entry.path().extension() == ".md")
                readmes.push_back(entry.path());
    }
    std::sort(readmes.begin(), readmes.end());
    for (const auto& readme : readmes) {
        const std::string relative = fs::relative(readme, root).generic_string();
        const auto lines = splitLines(readFile(readme));
        const auto readmeChapter = chapterOfFolder(readme.parent_path().filename().string());
        std::string rewritten;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            rewritten += lines[i] + "\n";
            const std::string line = trim(lines[i]);
            if (!line.starts_with(kTag)) continue;
            const int lineNo = static_cast<int>(i) + 1;
            std::istringstream words(line.substr(kTag.size()));
            std::string source, name, variant, close;
            words >> source >> name >> variant;
            if (variant != "-->") words >> close;
            const bool labView = variant == "lab" && close == "-->";
            if (source.empty() || name.empty() || !(variant == "-->" || labView))
                throw MarkerError(
                    relative, lineNo,
                    "an excerpt tag reads '<!-- excerpt: src/path/File.cpp name -->' (or ends "
                    "'name lab -->' for the chapter's lab)");
            if (labView && !readmeChapter)
                throw MarkerError(relative, lineNo, "only a chapter's README has a lab to show");
            const std::string key = source + " " + name + (labView ? " lab" : "");
            const std::string here = relative + ":" + std::to_string(lineNo);
            if (const auto [first, fresh] = shownAt.emplace(key, here); !fresh)
                throw MarkerError(relative, lineNo,
                                  "the excerpt " + key + " is already shown at " + first->second +
                                      ": an excerpt appears once in the book; link to it");
            const fs::path sourcePath = root / source;
            if (!fs::exists(sourcePath))
                throw MarkerError(relative, lineNo, "excerpt source " + source + " does not exist");
            std::string code;
            try {
                // A lab starts from the stage before its chapter.
                code = labView ? excerpt(readFile(sourcePath), name, source,
                                         commentStyleFor(sourcePath), *readmeChapter - 1,
                                         *readmeChapter)
                               : excerpt(readFile(sourcePath), name, source,
                                         commentStyleFor(sourcePath), readmeChapter);
            } catch (const std::runtime_error& e) {
                throw MarkerError(relative, lineNo, e.what());
            }
            // Replace the fenced block that follows the tag (or add one).
            std::size_t next = i + 1;
            if (next < lines.size() && trim(lines[next]).starts_with("```")) {
                ++next;
                while (next < lines.size() && trim(lines[next]) != "```") ++next;
                if (next == lines.size())
                    throw MarkerError(relative, lineNo, "the excerpt's code block is never closed");
                i = next;
            }
            rewritten += "```" + fenceLanguage(sourcePath) + "\n" + code + "```\n";
        }
        if (rewritten != readFile(readme)) {
            differing.push_back(relative);
            if (!checkOnly) std::ofstream(readme, std::ios::binary | std::ios::trunc) << rewritten;
        }
    }
    return differing;
}

}  // namespace course
