// The notice facts builder and the renderer on arbitrary JSON: any analysis file a user hands to
// `emotriage notice` must yield notices or nothing, never a crash, and no header line forged.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "notice/facts.hpp"
#include "notice/notices.hpp"
#include "profile/profile.hpp"

namespace {

const emotriage::profile::Profile& sample_profile() {
  static const emotriage::profile::Profile profile = [] {
    auto parsed = emotriage::profile::parse_profile(emotriage::profile::example_profile_toml(true),
                                                    "example");
    if (!parsed) __builtin_trap();
    return *parsed;
  }();
  return profile;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto analysis = nlohmann::ordered_json::parse(data, data + size, nullptr, false);
  if (analysis.is_discarded()) return 0;
  emotriage::notice::build_facts(analysis, sample_profile(), emotriage::report::Lang::en);
  emotriage::notice::NoticeOptions options;
  options.langs = {emotriage::report::Lang::ja};
  options.date = "2024-12-10T10:00:00+09:00";
  auto files = emotriage::notice::render_notices(analysis, sample_profile(), options);
  if (!files) __builtin_trap();  // the built-in templates always render
  for (const auto& file : *files) {
    if (!file.name.ends_with(".eml")) continue;
    std::string_view headers(file.bytes);
    headers = headers.substr(0, headers.find("\r\n\r\n"));
    if (headers.find("\nBcc") != std::string_view::npos) __builtin_trap();
  }
  return 0;
}
