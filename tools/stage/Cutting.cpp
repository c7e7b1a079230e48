#include "Cutting.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "Text.h"

namespace course {

namespace fs = std::filesystem;

CutResult cutText(const std::string& text, int chapter, const std::string& fileName,
                  CommentStyle style, std::optional<int> ownerChapter, bool requireFileMarker,
                  std::optional<int> labChapter) {
    // Chapter 1's lab starts from nothing: the code "as of chapter 0".
    const int firstChapter = labChapter ? kFirstChapter - 1 : kFirstChapter;
    if (chapter < firstChapter || chapter > kLastChapter)
        throw std::invalid_argument("unknown chapter " + std::to_string(chapter) +
                                    " (chapters are " + std::to_string(kFirstChapter) + ".." +
                                    std::to_string(kLastChapter) + ")");
    const auto lines = splitLines(text);
    const auto marked = fileMarkerChapter(lines, fileName, style);
    if (!marked && requireFileMarker && !ownerChapter)
        throw MarkerError(fileName, 1,
                          "no file marker: say in which chapter this file arrives with '" +
                              std::string(style == CommentStyle::kHash ? "#" : "//") +
                              "@ chNN' on one of its first lines");
    const int fileChapter = ownerChapter.value_or(marked.value_or(kFirstChapter));
    if (marked && ownerChapter && *marked != *ownerChapter)
        throw MarkerError(fileName, 1,
                          "this file belongs to chapter " + std::to_string(*ownerChapter) +
                              " and cannot carry a marker of chapter " + std::to_string(*marked));

    CutResult result;
    result.present = fileChapter <= chapter;
    std::string out;
    BlankLineKeeper blanks;
    walk(lines, fileName, style, ownerChapter, fileChapter,
         [&](const std::string& line, const std::vector<OpenBlock>& open, int) {
             if (blanks.keep(line, visibleAt(open, chapter, labChapter))) out += line + "\n";
         });
    if (result.present) result.text = std::move(out);
    return result;
}

std::string TreeCut::digest() const {
    // FNV-1a over every path and text: enough to tell whether two stages are the same.
    std::uint64_t hash = 1469598103934665603ULL;
    auto mix = [&](const std::string& s) {
        for (unsigned char c : s) {
            hash ^= c;
            hash *= 1099511628211ULL;
        }
        hash ^= 0xff;
        hash *= 1099511628211ULL;
    };
    for (const auto& [path, text] : files) {
        mix(path);
        mix(text);
    }
    std::ostringstream hex;
    hex << std::hex << hash;
    return hex.str();
}

namespace {

// The course tree with its code (src/, bench/) as of `codeChapter` and its tests (tests/ and
// the chapters' folders) as of `testChapter`; in a lab, that lab's holes and starters applied.
TreeCut cutCourse(const fs::path& root, int codeChapter, int testChapter,
                  std::optional<int> labChapter) {
    TreeCut cut;
    auto addFile = [&](const fs::path& file, int chapter, std::optional<int> owner,
                       bool requireMarker) {
        const std::string relative = fs::relative(file, root).generic_string();
        const auto style = commentStyleFor(file);
        const auto result = cutText(readFile(file), chapter, relative, style, owner,
                                    requireMarker && style != CommentStyle::kNone, labChapter);
        if (result.present) cut.files.emplace(relative, result.text);
    };
    auto addFolder = [&](const fs::path& folder, int chapter, std::optional<int> owner,
                         bool requireMarker) {
        if (!fs::exists(folder)) return;
        std::vector<fs::path> files;
        for (const auto& entry : fs::recursive_directory_iterator(folder))
            if (entry.is_regular_file() && entry.path().filename() != "README.md")
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) addFile(file, chapter, owner, requireMarker);
    };
    addFolder(root / "src", codeChapter, std::nullopt, true);
    addFolder(root / "tests", testChapter, std::nullopt, true);
    addFolder(root / "bench", codeChapter, std::nullopt, true);
    if (fs::exists(root / "chapters")) {
        for (const auto& entry : fs::directory_iterator(root / "chapters")) {
            const auto owner = chapterOfFolder(entry.path().filename().string());
            if (entry.is_directory() && owner && *owner <= testChapter)
                addFolder(entry.path(), testChapter, owner, false);
        }
    }
    return cut;
}

}  // namespace

TreeCut cutTree(const fs::path& root, int chapter) {
    return cutCourse(root, chapter, chapter, std::nullopt);
}

TreeCut cutLab(const fs::path& root, int chapter) {
    if (chapter < kFirstChapter || chapter > kLastChapter)
        throw std::invalid_argument("unknown chapter " + std::to_string(chapter));
    return cutCourse(root, chapter - 1, chapter, chapter);
}

void writeTree(const TreeCut& cut, const fs::path& out) {
    fs::create_directories(out);
    std::set<fs::path> wanted;
    for (const auto& [relative, text] : cut.files) {
        const fs::path target = out / relative;
        wanted.insert(target.lexically_normal());
        if (fs::exists(target) && readFile(target) == text) continue;
        fs::create_directories(target.parent_path());
        std::ofstream(target, std::ios::binary | std::ios::trunc) << text;
    }
    std::vector<fs::path> stale;
    for (const char* folder : {"src", "tests", "bench", "chapters"}) {
        if (!fs::exists(out / folder)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(out / folder))
            if (entry.is_regular_file() && !wanted.contains(entry.path().lexically_normal()))
                stale.push_back(entry.path());
    }
    for (const auto& file : stale) fs::remove(file);
    std::ofstream(out / ".stage-digest", std::ios::trunc) << cut.digest() << "\n";
}

}  // namespace course
