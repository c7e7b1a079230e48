// Small text helpers that the parts of the stage cutter share.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace course {

// The text without its leading and trailing blanks (spaces, tabs, carriage returns).
std::string trim(std::string_view s);

// The lines of a text, without their newlines.
std::vector<std::string> splitLines(const std::string& text);

// A whole file, byte for byte; throws std::runtime_error naming the file if it cannot be read.
std::string readFile(const std::filesystem::path& path);

}  // namespace course
