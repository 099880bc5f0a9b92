// Whole-file reads for tests of the dropper and intel modules.
#pragma once
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace emotriage::test {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace emotriage::test
