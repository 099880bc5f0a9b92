// IOC list parsing and matching: any text loads (bad lines counted) and every loaded indicator
// can be looked up; the input's lines are also tried as URLs and IPs to match.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "intel/intel.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto set = emotriage::intel::IocSet::parse("fuzz", text);
  std::size_t lines = 1;
  for (char c : text) lines += c == '\n';
  const auto& stats = set.files().front();
  // A MalwareBazaar row adds up to three digests; no line is both bad and an indicator.
  if (stats.bad_lines > lines || stats.entries > 3 * lines) __builtin_trap();
  std::vector<emotriage::core::Finding> findings;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < 64 && pos <= text.size(); ++i) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    set.match_url(line, findings);
    set.match_ip(line, line, findings);
    pos = end + 1;
  }
  return 0;
}
