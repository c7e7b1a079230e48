#include "Labs.h"

#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "Cutting.h"
#include "Markers.h"
#include "Text.h"

namespace course {

namespace fs = std::filesystem;

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

}  // namespace course
