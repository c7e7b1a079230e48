#include "StageDiff.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

#include "Markers.h"
#include "Text.h"

namespace course {

namespace {

// One step of an edit script: a line of `before` kept or removed, or a line of `after` added.
// The character is the one a unified diff prints in front of the line.
enum class Op : char { kKeep = ' ', kRemove = '-', kAdd = '+' };

struct Edit {
    Op op;
    const std::string* line;
};

// The shortest edit script from `a` to `b`: their longest common subsequence is kept, and
// where a region changes its removals come before its additions, as diff(1) prints them.
std::vector<Edit> editScript(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    // The common head and tail need no table: most changes are small inside a large file.
    std::size_t head = 0;
    while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
    std::size_t tail = 0;
    while (tail < a.size() - head && tail < b.size() - head &&
           a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
        ++tail;
    const std::size_t n = a.size() - head - tail;
    const std::size_t m = b.size() - head - tail;
    // lcs(i, j): the length of the longest common subsequence of the middles from i and j on.
    std::vector<std::uint32_t> table((n + 1) * (m + 1), 0);
    auto lcs = [&](std::size_t i, std::size_t j) -> std::uint32_t& {
        return table[i * (m + 1) + j];
    };
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            lcs(i, j) = a[head + i] == b[head + j] ? lcs(i + 1, j + 1) + 1
                                                   : std::max(lcs(i + 1, j), lcs(i, j + 1));
    std::vector<Edit> edits;
    for (std::size_t k = 0; k < head; ++k) edits.push_back({Op::kKeep, &a[k]});
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[head + i] == b[head + j]) {
            edits.push_back({Op::kKeep, &a[head + i]});
            ++i;
            ++j;
        } else if (j == m || (i < n && lcs(i + 1, j) >= lcs(i, j + 1))) {
            edits.push_back({Op::kRemove, &a[head + i]});
            ++i;
        } else {
            edits.push_back({Op::kAdd, &b[head + j]});
            ++j;
        }
    }
    for (std::size_t k = a.size() - tail; k < a.size(); ++k) edits.push_back({Op::kKeep, &a[k]});
    return edits;
}

// A hunk header's range: "start,count", where an empty range names the line before it.
std::string hunkRange(std::size_t start, std::size_t count) {
    if (count == 1) return std::to_string(start + 1);
    return std::to_string(count == 0 ? start : start + 1) + "," + std::to_string(count);
}

// A file with a NUL byte is binary (a fuzzer's seed, say): its change is named, not shown, as
// git does.
bool binary(const std::string& text) {
    return text.find('\0') != std::string::npos;
}

}  // namespace

std::string unifiedDiff(const std::string& before, const std::string& after,
                        const std::string& oldName, const std::string& newName, int context) {
    if (before == after) return {};
    const auto a = splitLines(before);
    const auto b = splitLines(after);
    const auto edits = editScript(a, b);
    // How many lines of each side come before edit k.
    std::vector<std::size_t> oldAt(edits.size() + 1, 0);
    std::vector<std::size_t> newAt(edits.size() + 1, 0);
    for (std::size_t k = 0; k < edits.size(); ++k) {
        oldAt[k + 1] = oldAt[k] + (edits[k].op != Op::kAdd ? 1 : 0);
        newAt[k + 1] = newAt[k] + (edits[k].op != Op::kRemove ? 1 : 0);
    }
    const auto around = static_cast<std::size_t>(std::max(context, 0));
    std::string out = "--- " + oldName + "\n+++ " + newName + "\n";
    std::size_t k = 0;
    while (k < edits.size()) {
        while (k < edits.size() && edits[k].op == Op::kKeep) ++k;
        if (k == edits.size()) break;
        // A hunk runs on while the unchanged lines between two changes would overlap their
        // contexts; it ends `around` lines after its last change.
        std::size_t lastChange = k;
        for (std::size_t scan = k; scan < edits.size();) {
            if (edits[scan].op != Op::kKeep) {
                lastChange = scan++;
                continue;
            }
            std::size_t run = scan;
            while (run < edits.size() && edits[run].op == Op::kKeep) ++run;
            if (run == edits.size() || run - scan > 2 * around) break;
            scan = run;
        }
        const std::size_t first = k > around ? k - around : 0;
        const std::size_t stop = std::min(edits.size(), lastChange + 1 + around);
        out += "@@ -" + hunkRange(oldAt[first], oldAt[stop] - oldAt[first]) + " +" +
               hunkRange(newAt[first], newAt[stop] - newAt[first]) + " @@\n";
        for (std::size_t e = first; e < stop; ++e)
            out += static_cast<char>(edits[e].op) + *edits[e].line + "\n";
        k = stop;
    }
    return out;
}

std::string diffTrees(const TreeCut& before, const TreeCut& after, int context) {
    std::set<std::string> paths;
    for (const auto& [path, text] : before.files) paths.insert(path);
    for (const auto& [path, text] : after.files) paths.insert(path);
    std::string out;
    for (const auto& path : paths) {
        const auto old = before.files.find(path);
        const auto now = after.files.find(path);
        const bool wasThere = old != before.files.end();
        const bool isThere = now != after.files.end();
        const std::string& before = wasThere ? old->second : std::string();
        const std::string& after = isThere ? now->second : std::string();
        const std::string oldName = wasThere ? "a/" + path : "/dev/null";
        const std::string newName = isThere ? "b/" + path : "/dev/null";
        if (binary(before) || binary(after)) {
            if (!wasThere || !isThere || before != after)
                out += "Binary files " + oldName + " and " + newName + " differ\n";
            continue;
        }
        out += unifiedDiff(before, after, oldName, newName, context);
    }
    return out;
}

std::string chapterDiff(const std::filesystem::path& root, int chapter) {
    if (chapter < kFirstChapter || chapter > kLastChapter)
        throw std::invalid_argument("unknown chapter " + std::to_string(chapter) +
                                    " (chapters are " + std::to_string(kFirstChapter) + ".." +
                                    std::to_string(kLastChapter) + ")");
    const TreeCut before = chapter > kFirstChapter ? cutTree(root, chapter - 1) : TreeCut{};
    return diffTrees(before, cutTree(root, chapter));
}

}  // namespace course
