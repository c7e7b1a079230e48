// course-cut: the command-line face of the stage cutter (see StageCutter.h).
//
//   course-cut stage    --root R --chapter N --out DIR   write the tree as of chapter N
//   course-cut lab      --root R --chapter N --out DIR [--solution]
//                                                        write chapter N's lab workspace
//   course-cut digest   --root R --chapter N             print the stage's digest
//   course-cut diff     --root R --chapter N             what chapter N adds to stage N-1
//   course-cut check    --root R                         cut every chapter: all markers valid?
//   course-cut excerpts --root R [--check]               refresh (or check) README excerpts
//   course-cut excerpt  FILE NAME                        print one named excerpt
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "StageCutter.h"

namespace {

int usage() {
    std::cerr << "usage: course-cut stage --root R --chapter N --out DIR\n"
                 "       course-cut lab --root R --chapter N --out DIR [--solution]\n"
                 "       course-cut digest --root R --chapter N\n"
                 "       course-cut diff --root R --chapter N\n"
                 "       course-cut check --root R\n"
                 "       course-cut excerpts --root R [--check]\n"
                 "       course-cut excerpt FILE NAME\n";
    return 2;
}

int chapterArgument(const std::map<std::string, std::string>& options) {
    const auto it = options.find("--chapter");
    if (it == options.end()) throw std::invalid_argument("--chapter N is required");
    try {
        std::size_t used = 0;
        const int chapter = std::stoi(it->second, &used);
        if (used == it->second.size()) return chapter;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("--chapter takes a number, not '" + it->second + "'");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string command = argv[1];
    std::map<std::string, std::string> options;
    std::vector<std::string> positional;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--check" || arg == "--solution") {
            options[arg] = "1";
        } else if (arg.starts_with("--") && i + 1 < argc) {
            options[arg] = argv[++i];
        } else {
            positional.push_back(arg);
        }
    }
    const std::filesystem::path root = options.contains("--root") ? options["--root"] : ".";
    try {
        if (command == "stage" && options.contains("--out")) {
            const auto cut = course::cutTree(root, chapterArgument(options));
            course::writeTree(cut, options["--out"]);
            std::cout << cut.digest() << "\n";
        } else if (command == "lab" && options.contains("--out")) {
            std::cout << course::writeLab(root, chapterArgument(options),
                                          options.contains("--solution"), options["--out"])
                      << "\n";
        } else if (command == "digest") {
            std::cout << course::cutTree(root, chapterArgument(options)).digest() << "\n";
        } else if (command == "diff") {
            std::cout << course::chapterDiff(root, chapterArgument(options));
        } else if (command == "check") {
            for (int chapter = course::kFirstChapter; chapter <= course::kLastChapter; ++chapter)
                course::cutTree(root, chapter);
            std::cout << "markers are valid in every chapter\n";
        } else if (command == "excerpts") {
            const bool checkOnly = options.contains("--check");
            const auto differing = course::syncExcerpts(root, checkOnly);
            for (const auto& file : differing)
                std::cout << (checkOnly ? "out of date: " : "updated: ") << file << "\n";
            if (checkOnly && !differing.empty()) {
                std::cerr << "README excerpts differ from src/: run ./course excerpts\n";
                return 1;
            }
        } else if (command == "excerpt" && positional.size() == 2) {
            std::ifstream in(positional[0]);
            if (!in) throw std::runtime_error("cannot read " + positional[0]);
            std::ostringstream text;
            text << in.rdbuf();
            std::cout << course::excerpt(text.str(), positional[1], positional[0],
                                         course::commentStyleFor(positional[0]));
        } else {
            return usage();
        }
    } catch (const std::exception& e) {
        std::cerr << "course-cut: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
