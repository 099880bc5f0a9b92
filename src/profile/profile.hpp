// The company profile (TOML; schema in ../shared/DESIGN.md and docs/profile.md): who "we" are —
// our names, mail domains, outbound servers, employees and partners.
#pragma once
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::profile {

struct Contact {
  std::string department, phone, email;
};

struct Company {
  std::string name;     // 株式会社サンプル商事
  std::string name_en;  // Sample Shoji Co., Ltd.
  std::string website;
  std::vector<std::string> domains;       // mail domains we manage (lower case, IDNA A-labels)
  std::vector<std::string> mail_servers;  // host names, IPs and CIDRs of our outbound servers
  Contact contact;
};

struct Employee {
  std::vector<std::string> names;   // kanji, kana, romaji ... as written in the profile
  std::vector<std::string> emails;  // lower case
  std::string department;           // optional
};

struct Partner {
  std::string name;
  std::vector<std::string> domains;
  std::string contact;
};

struct Profile {
  Company company;
  std::vector<Employee> employees;
  std::vector<Partner> partners;
};

// One problem in a profile file, located for the user ("profile.toml:12:5").
struct ProfileError {
  std::string source;
  int line = 0;  // 1-based, 0 when unknown
  int column = 0;
  std::string message_ja;
  std::string message_en;
};

// Parses and validates; every problem is reported, not only the first.
std::expected<Profile, std::vector<ProfileError>> parse_profile(std::string_view toml_text,
                                                                std::string_view source_name);
std::expected<Profile, std::vector<ProfileError>> load_profile(const std::string& path);

// A commented example profile for `emotriage profile init`, comments in the given language.
std::string example_profile_toml(bool japanese);

}  // namespace emotriage::profile
