#include "StageCutter.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

namespace course {

namespace fs = std::filesystem;

MarkerError::MarkerError(const std::string& file, int line, const std::string& what)
    : std::runtime_error(file + ":" + std::to_string(line) + ": " + what) {}

CommentStyle commentStyleFor(const fs::path& file) {
    static const std::set<std::string> slashes{".h", ".hpp", ".cpp", ".cc", ".c", ".inc"};
    static const std::set<std::string> hashes{".py", ".sh", ".cmake", ".properties", ".txt"};
    const std::string ext = file.extension().string();
    if (slashes.contains(ext)) return CommentStyle::kSlashes;
    if (hashes.contains(ext) || file.filename() == "CMakeLists.txt") return CommentStyle::kHash;
    return CommentStyle::kNone;
}

namespace {

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

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

int parseChapterNumber(std::string_view digits, const std::string& file, int line) {
    int value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty())
        throw MarkerError(file, line, "malformed chapter '" + std::string(digits) + "'");
    if (value < kFirstChapter || value > kLastChapter)
        throw MarkerError(file, line,
                          "unknown chapter " + std::to_string(value) + " (chapters are " +
                              std::to_string(kFirstChapter) + ".." + std::to_string(kLastChapter) +
                              ")");
    return value;
}

// Recognises a marker line, or returns nothing for an ordinary line.
std::optional<Marker> parseMarker(const std::string& rawLine, CommentStyle style,
                                  const std::string& file, int line) {
    if (style == CommentStyle::kNone) return std::nullopt;
    const std::string text = trim(rawLine);
    const std::string lead = style == CommentStyle::kSlashes ? "//" : "#";
    Marker marker{};
    std::string rest;
    if (text.starts_with(lead + "@ ")) {
        marker.kind = MarkerKind::kFile;
        rest = text.substr(lead.size() + 2);
    } else if (text.starts_with(lead + "> ")) {
        marker.kind = MarkerKind::kOpen;
        rest = text.substr(lead.size() + 2);
    } else if (text.starts_with(lead + "< ")) {
        marker.kind = MarkerKind::kClose;
        rest = text.substr(lead.size() + 2);
    } else if (text.starts_with(lead + "?> ")) {
        marker.kind = MarkerKind::kHoleOpen;
        rest = text.substr(lead.size() + 3);
    } else if (text.starts_with(lead + "?< ")) {
        marker.kind = MarkerKind::kHoleClose;
        rest = text.substr(lead.size() + 3);
    } else if (style == CommentStyle::kSlashes && text.starts_with("/*> ")) {
        marker.kind = MarkerKind::kRetiredOpen;
        rest = text.substr(4);
    } else if (style == CommentStyle::kSlashes && text.starts_with("/*? ")) {
        marker.kind = MarkerKind::kStarterOpen;
        rest = text.substr(4);
    } else {
        return std::nullopt;
    }
    marker.spec = trim(rest);
    std::istringstream words(marker.spec);
    std::string chapterWord;
    words >> chapterWord;
    std::getline(words, marker.name);
    marker.name = trim(marker.name);
    if (!chapterWord.starts_with("ch"))
        throw MarkerError(file, line, "marker '" + text + "' must name a chapter as chNN");
    const std::string_view range = std::string_view(chapterWord).substr(2);
    const auto dash = range.find('-');
    marker.from = parseChapterNumber(range.substr(0, dash), file, line);
    if (dash != std::string_view::npos) {
        marker.until = parseChapterNumber(range.substr(dash + 1), file, line);
        if (*marker.until <= marker.from)
            throw MarkerError(file, line,
                              "block '" + text + "' leaves in chapter " +
                                  std::to_string(*marker.until) + ", not after it arrives");
    }
    if (marker.retired() && (marker.lab() || marker.kind == MarkerKind::kHoleClose))
        throw MarkerError(file, line,
                          "a lab block belongs to one chapter's lab: write 'ch" +
                              std::to_string(marker.from) + "', not the range '" + chapterWord +
                              "'");
    if (marker.retired() && marker.kind != MarkerKind::kRetiredOpen)
        throw MarkerError(file, line,
                          "a block that leaves (" + chapterWord +
                              ") must be a retired comment block opened with '/*> " + chapterWord +
                              "', so that the final code does not compile it");
    if (marker.kind == MarkerKind::kRetiredOpen && !marker.retired())
        throw MarkerError(
            file, line,
            "a retired block '/*> " + chapterWord + "' must say when it leaves, as chNN-MM");
    return marker;
}

struct OpenBlock {
    Marker marker;
    int line;
};

// Walks a file's lines, keeping track of the enclosing blocks, and hands each ordinary line
// to `keep` with whether it is visible at `chapter`.
template <typename Visit>
void walk(const std::vector<std::string>& lines, const std::string& file, CommentStyle style,
          std::optional<int> ownerChapter, int fileChapter, Visit&& visit) {
    std::vector<OpenBlock> open;
    bool sawFileMarker = false;
    // The chapter of the code around a line; lab blocks do not change it.
    auto innermostChapter = [&] {
        for (auto block = open.rbegin(); block != open.rend(); ++block)
            if (!block->marker.lab()) return block->marker.from;
        return fileChapter;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const int lineNo = static_cast<int>(i) + 1;
        const std::string& raw = lines[i];
        const bool insideComment = !open.empty() && open.back().marker.commentBlock();
        if (insideComment) {
            if (trim(raw) == "*/") {
                open.pop_back();
                continue;
            }
            if (parseMarker(raw, style, file, lineNo))
                throw MarkerError(
                    file, lineNo,
                    std::string(open.back().marker.retired() ? "a retired" : "a lab starter") +
                        " block cannot hold markers");
            visit(raw, open, lineNo);
            continue;
        }
        const auto marker = parseMarker(raw, style, file, lineNo);
        if (!marker) {
            visit(raw, open, lineNo);
            continue;
        }
        if (ownerChapter && marker->from != *ownerChapter)
            throw MarkerError(file, lineNo,
                              "this file belongs to chapter " + std::to_string(*ownerChapter) +
                                  " and cannot carry a marker of chapter " +
                                  std::to_string(marker->from));
        switch (marker->kind) {
            case MarkerKind::kFile:
                // Read before the walk (fileMarkerChapter); here only checked and dropped.
                if (sawFileMarker) throw MarkerError(file, lineNo, "a second file marker");
                if (i >= kFileMarkerLines)
                    throw MarkerError(file, lineNo,
                                      "a file marker belongs in the first " +
                                          std::to_string(kFileMarkerLines) + " lines");
                if (!open.empty())
                    throw MarkerError(file, lineNo, "a file marker cannot sit inside a block");
                sawFileMarker = true;
                break;
            case MarkerKind::kOpen:
            case MarkerKind::kRetiredOpen:
            case MarkerKind::kHoleOpen:
            case MarkerKind::kStarterOpen:
                if (marker->from < innermostChapter())
                    throw MarkerError(file, lineNo,
                                      "block of chapter " + std::to_string(marker->from) +
                                          " inside code of chapter " +
                                          std::to_string(innermostChapter()) +
                                          ": it could never be seen earlier than its surroundings");
                open.push_back({*marker, lineNo});
                break;
            case MarkerKind::kClose:
            case MarkerKind::kHoleClose:
                if (open.empty())
                    throw MarkerError(file, lineNo, "'" + trim(raw) + "' closes no open block");
                if (open.back().marker.spec != marker->spec ||
                    open.back().marker.hole() != (marker->kind == MarkerKind::kHoleClose))
                    throw MarkerError(file, lineNo,
                                      "'" + trim(raw) + "' does not close the block '" +
                                          open.back().marker.spec + "' opened at line " +
                                          std::to_string(open.back().line));
                open.pop_back();
                break;
        }
    }
    if (!open.empty())
        throw MarkerError(file, open.back().line,
                          "block '" + open.back().marker.spec + "' is never closed");
}

// Whether a line inside the `open` blocks is part of stage `chapter`: every block around it
// has arrived, and none has left. In the lab of chapter `lab`, that chapter's holes are
// taken out and its starters put in; elsewhere holes are plain code and starters are absent.
bool visibleAt(const std::vector<OpenBlock>& open, int chapter,
               std::optional<int> lab = std::nullopt) {
    return std::all_of(open.begin(), open.end(), [&](const OpenBlock& b) {
        if (b.marker.hole()) return lab != b.marker.from;
        if (b.marker.starter()) return lab == b.marker.from;
        return b.marker.from <= chapter && (!b.marker.until || chapter < *b.marker.until);
    });
}

// The chapter named by a file's `//@ chNN` marker, if it has one in its first lines.
std::optional<int> fileMarkerChapter(const std::vector<std::string>& lines, const std::string& file,
                                     CommentStyle style) {
    const std::size_t scan = std::min(lines.size(), kFileMarkerLines);
    for (std::size_t i = 0; i < scan; ++i) {
        const auto marker = parseMarker(lines[i], style, file, static_cast<int>(i) + 1);
        if (marker && marker->kind == MarkerKind::kFile) {
            if (marker->retired())
                throw MarkerError(file, static_cast<int>(i) + 1, "a file marker has no range");
            return marker->from;
        }
    }
    return std::nullopt;
}

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

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string fenceLanguage(const fs::path& source) {
    if (source.extension() == ".py") return "python";
    if (commentStyleFor(source) == CommentStyle::kHash) return "cmake";
    return "cpp";
}

}  // namespace

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

std::string excerpt(const std::string& text, const std::string& name, const std::string& fileName,
                    CommentStyle style, std::optional<int> asOfChapter) {
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
                 asOfChapter ? visibleAt(open, *asOfChapter)
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

std::optional<int> chapterOfFolder(const std::string& folderName) {
    if (folderName.size() < 4 || folderName[2] != '-') return std::nullopt;
    int value = 0;
    const auto [end, ec] = std::from_chars(folderName.data(), folderName.data() + 2, value);
    if (ec != std::errc{} || end != folderName.data() + 2) return std::nullopt;
    if (value < kFirstChapter || value > kLastChapter) return std::nullopt;
    return value;
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

namespace {

std::optional<fs::path> chapterFolder(const fs::path& root, int chapter) {
    if (!fs::exists(root / "chapters")) return std::nullopt;
    for (const auto& entry : fs::directory_iterator(root / "chapters"))
        if (entry.is_directory() && chapterOfFolder(entry.path().filename().string()) == chapter)
            return entry.path();
    return std::nullopt;
}

// How many of `after`'s lines `before` lacks: a line count of the work, not a diff.
std::size_t linesToWrite(const std::string& before, const std::string& after) {
    std::multiset<std::string> have;
    for (const auto& line : splitLines(before))
        if (!trim(line).empty()) have.insert(trim(line));
    std::size_t missing = 0;
    for (const auto& line : splitLines(after)) {
        if (trim(line).empty()) continue;
        const auto found = have.find(trim(line));
        if (found == have.end())
            ++missing;
        else
            have.erase(found);
    }
    return missing;
}

// `TEST(Suite, Name)` and `TEST_F(Suite, Name)` lines, as "Suite.Name".
std::vector<std::string> testNames(const std::string& text) {
    std::vector<std::string> names;
    for (const auto& line : splitLines(text)) {
        const std::string t = trim(line);
        const auto open = t.find('(');
        if (!(t.starts_with("TEST(") || t.starts_with("TEST_F(")) || open == std::string::npos)
            continue;
        const auto close = t.find(')', open);
        std::string inside = t.substr(open + 1, close - open - 1);
        const auto comma = inside.find(',');
        if (comma == std::string::npos) continue;
        names.push_back(trim(inside.substr(0, comma)) + "." + trim(inside.substr(comma + 1)));
    }
    return names;
}

}  // namespace

std::string labTasks(const fs::path& root, int chapter) {
    const auto folder = chapterFolder(root, chapter);
    if (!folder) throw std::runtime_error("chapter " + std::to_string(chapter) + " has no folder");
    const std::string slug = folder->filename().string();
    std::string title = "Chapter " + std::to_string(chapter);
    if (fs::exists(*folder / "README.md")) {
        const auto lines = splitLines(readFile(*folder / "README.md"));
        if (!lines.empty() && lines.front().starts_with("# ")) title = lines.front().substr(2);
        if (const auto colon = title.find(": ");
            title.starts_with("Chapter ") && colon != std::string::npos)
            title = title.substr(colon + 2);
    }
    const TreeCut lab = cutLab(root, chapter);
    const TreeCut stage = cutTree(root, chapter);
    std::ostringstream out;
    out << "# Lab " << chapter << ": " << title << "\n\n"
        << "This workspace holds the code as of chapter " << chapter - 1
        << " and the tests of chapters 1 to " << chapter << ". Chapter " << chapter
        << "'s tests fail: the code they need is yours to write. Read `chapters/" << slug
        << "/README.md` beside it, and mirror the Kafka classes it names.\n\n"
        << "## The code to write\n\n";
    std::vector<std::string> created, changed;
    for (const auto& [path, text] : stage.files) {
        if (path.starts_with("tests/") || path.starts_with("chapters/")) continue;
        const auto before = lab.files.find(path);
        if (before == lab.files.end()) {
            created.push_back("- `" + path + "`");
        } else if (before->second != text) {
            const bool starter =
                before->second.find("Lab " + std::to_string(chapter) + ":") != std::string::npos;
            changed.push_back("- `" + path + "`: about " +
                              std::to_string(linesToWrite(before->second, text)) +
                              " lines to write" +
                              (starter ? " (look for \"Lab " + std::to_string(chapter) +
                                             ":\", where a naive version waits for you)"
                                       : ""));
        }
    }
    if (!created.empty()) {
        out << "New files:\n\n";
        for (const auto& line : created) out << line << "\n";
        out << "\n";
    }
    if (!changed.empty()) {
        out << "Files to change:\n\n";
        for (const auto& line : changed) out << line << "\n";
        out << "\n";
    }
    out << "The chapter's excerpts show where each piece goes; the names (classes, functions, "
           "constructor arguments) are the ones the tests call.\n\n"
        << "## The tests to make pass\n\n";
    for (const auto& [path, text] : lab.files) {
        if (!path.starts_with("chapters/" + slug + "/")) continue;
        for (const auto& name : testNames(text))
            out << "- `ch" << (chapter < 10 ? "0" : "") << chapter << "." << name << "` ("
                << fs::path(path).filename().string() << ")\n";
    }
    std::vector<std::string> crossTests;
    const TreeCut previous = chapter > kFirstChapter ? cutTree(root, chapter - 1) : TreeCut{};
    for (const auto& [path, text] : lab.files) {
        if (!path.starts_with("tests/")) continue;
        const auto before = previous.files.find(path);
        if (before == previous.files.end() || before->second != text)
            crossTests.push_back("- `" + path + "`");
    }
    if (!crossTests.empty()) {
        out << "\nAnd what this chapter adds to the tests across chapters:\n\n";
        for (const auto& line : crossTests) out << line << "\n";
    }
    out << "\n## Commands\n\n"
        << "    ./lab build      # configure and build the workspace (build/)\n"
        << "    ./lab test       # chapter " << chapter << "'s tests\n"
        << "    ./lab test-all   # the tests of chapters 1 to " << chapter << "\n\n"
        << "A teacher can put the chapter's own code back with `./course lab " << chapter
        << " <this folder> --solution` from the course's root; the workspace then holds stage "
        << chapter << ", and every test passes.\n";
    return out.str();
}

std::string writeLab(const fs::path& root, int chapter, bool solution, const fs::path& out) {
    const TreeCut cut = solution ? cutTree(root, chapter) : cutLab(root, chapter);
    writeTree(cut, out);
    const auto folder = chapterFolder(root, chapter);
    if (folder && fs::exists(*folder / "README.md"))
        fs::copy_file(*folder / "README.md", out / fs::relative(*folder / "README.md", root),
                      fs::copy_options::overwrite_existing);
    std::ofstream(out / "TASKS.md", std::ios::binary | std::ios::trunc) << labTasks(root, chapter);
    std::ofstream(out / ".lab-chapter", std::ios::trunc) << chapter << "\n";
    return cut.digest();
}

std::vector<std::string> syncExcerpts(const fs::path& root, bool checkOnly) {
    static const std::string kTag = "<!-- excerpt: ";
    std::vector<std::string> differing;
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
            std::string source, name, close;
            words >> source >> name >> close;
            if (source.empty() || name.empty() || close != "-->")
                throw MarkerError(
                    relative, lineNo,
                    "an excerpt tag reads '<!-- excerpt: src/path/File.cpp name -->'");
            const fs::path sourcePath = root / source;
            if (!fs::exists(sourcePath))
                throw MarkerError(relative, lineNo, "excerpt source " + source + " does not exist");
            std::string code;
            try {
                code = excerpt(readFile(sourcePath), name, source, commentStyleFor(sourcePath),
                               readmeChapter);
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
