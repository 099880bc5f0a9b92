// What the web UI's new routes take from a request before any I/O: case and notice names from the
// path, and a CSV user import into the editor's profile text. Never a crash; accepted names stay
// within their alphabet; an import's merged profile reads back (profile_to_toml's contract).
// Input: case name, notice name, CSV and TOML, separated by NUL bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "profile/profile.hpp"
#include "web/case_api.hpp"
#include "web/profile_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> fields;
  while (fields.size() < 4) {
    auto end = input.find('\0');
    fields.push_back(input.substr(0, end));
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
  }
  using namespace emotriage;
  if (web::valid_case_name(fields[0])) {
    for (unsigned char c : fields[0]) {
      if (c < 0x20 || c == 0x7F || c == '/' || c == '\\') __builtin_trap();
    }
  }
  if (web::valid_notice_name(fields[1])) {
    for (char c : fields[1]) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
        __builtin_trap();
    }
  }
  const web::ProfileApi profiles("");  // no file: an import never writes
  web::Answer imported = profiles.import_users(fields[2], fields[3]);
  if (imported.status == 200) {
    const std::string toml = imported.body["toml"].get<std::string>();
    if (!profile::parse_profile(toml, "merged.toml")) __builtin_trap();
  } else if (imported.status != 422 && imported.status != 413) {
    __builtin_trap();
  }
  return 0;
}
