// Labs: the workspace of chapter N's lab (stage N-1's code, chapter N's tests) and its TASKS.md.
#pragma once

#include <filesystem>
#include <string>

namespace course {

// The workspace of chapter N's lab in `out`: the lab's tree (or, with `solution`, stage N's),
// the chapter's README, TASKS.md (what to write and which tests must pass), and .lab-chapter,
// which the build reads (-DCOURSE_LAB_TREE). Returns the tree's digest.
std::string writeLab(const std::filesystem::path& root, int chapter, bool solution,
                     const std::filesystem::path& out);

// TASKS.md of chapter N's lab: the files to create and change, and the tests to make pass,
// worked out from the difference between the lab and stage N.
std::string labTasks(const std::filesystem::path& root, int chapter);

}  // namespace course
