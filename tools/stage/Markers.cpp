#include "Markers.h"

#include <algorithm>
#include <charconv>
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

std::optional<int> chapterOfFolder(const std::string& folderName) {
    if (folderName.size() < 4 || folderName[2] != '-') return std::nullopt;
    int value = 0;
    const auto [end, ec] = std::from_chars(folderName.data(), folderName.data() + 2, value);
    if (ec != std::errc{} || end != folderName.data() + 2) return std::nullopt;
    if (value < kFirstChapter || value > kLastChapter) return std::nullopt;
    return value;
}

namespace {

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

}  // namespace

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

void walk(const std::vector<std::string>& lines, const std::string& file, CommentStyle style,
          std::optional<int> ownerChapter, int fileChapter, const LineVisitor& visit) {
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

bool visibleAt(const std::vector<OpenBlock>& open, int chapter, std::optional<int> lab) {
    return std::all_of(open.begin(), open.end(), [&](const OpenBlock& b) {
        if (b.marker.hole()) return lab != b.marker.from;
        if (b.marker.starter()) return lab == b.marker.from;
        return b.marker.from <= chapter && (!b.marker.until || chapter < *b.marker.until);
    });
}

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

}  // namespace course
