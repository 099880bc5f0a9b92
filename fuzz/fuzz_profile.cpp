// Profile module on hostile bytes: the first byte picks what the rest is fed to (a profile, a
// directory export, a text searched for names, a domain, a server address).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "profile/matcher.hpp"
#include "profile/user_import.hpp"

namespace {

const emotriage::profile::Matcher& sample_matcher() {
  static const emotriage::profile::Matcher matcher = [] {
    auto profile = emotriage::profile::parse_profile(emotriage::profile::example_profile_toml(true),
                                                     "example");
    if (!profile) __builtin_trap();
    return emotriage::profile::Matcher(std::move(*profile));
  }();
  return matcher;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emotriage::profile;
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const Matcher& matcher = sample_matcher();
  switch (data[0] % 5) {
    case 0:
      if (auto profile = parse_profile(input, "fuzz")) {
        Matcher built(std::move(*profile));
        (void)built.find_employee_names(input);
      }
      break;
    case 1:
      if (auto users = read_directory_export(input, matcher.profile().company)) {
        Profile merged = matcher.profile();
        merge_users(merged, users->users);
        if (!parse_profile(profile_to_toml(merged), "written")) __builtin_trap();
      }
      break;
    case 2:
      for (const NameHit& hit : matcher.find_employee_names(input)) {
        if (hit.offset + hit.matched.size() > input.size()) __builtin_trap();
      }
      (void)matcher.find_company_name(input);
      (void)normalize_name(input);
      break;
    case 3:
      (void)matcher.classify_domain(input);
      (void)registrable_domain(input);
      (void)address_domain(input);
      break;
    default:
      (void)matcher.is_own_server(input);
      (void)matcher.employees_by_display_name(input);
      (void)matcher.is_company_name(input);
      break;
  }
  return 0;
}
