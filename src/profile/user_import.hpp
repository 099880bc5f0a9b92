// `emotriage profile import-users`: employees from a directory export (CSV), merged into a
// profile, and the profile written back as TOML.
#pragma once
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "profile/profile.hpp"

namespace emotriage::profile {

// One person read from a directory export.
struct ImportedUser {
  int line = 0;                     // where the row starts in the file (1-based)
  std::vector<std::string> names;   // display name, family+given, furigana; no duplicates
  std::vector<std::string> emails;  // lower case; the mail column first, then the UPN
  std::string department;
};

// A row that was not imported, and why (shown to the user in both languages).
struct SkippedRow {
  int line = 0;
  std::string detail;  // the address or name the row had
  std::string reason_ja, reason_en;
};

struct DirectoryExport {
  std::string format;  // "Microsoft 365", "Google Workspace", "Active Directory", "日本語", "CSV"
  std::string encoding;  // "utf-8", "utf-16le", "cp932" ...
  std::vector<ImportedUser> users;
  std::vector<SkippedRow> skipped;
};

struct ImportError {
  std::string message_ja, message_en;
};

// Reads a CSV export: encoding by BOM (UTF-8, UTF-16LE/BE) else UTF-8 when valid, else CP932
// (Excel's "CSV" on Japanese Windows); comma, tab or semicolon separated; RFC 4180 quoting;
// columns found by header name, ignoring case, spaces, width and "[Required]". Addresses outside
// `company.domains` are skipped (guests, external contacts) when the company lists domains.
std::expected<DirectoryExport, ImportError> read_directory_export(std::string_view bytes,
                                                                  const Company& company);

struct MergeReport {
  int added = 0;      // new employees
  int updated = 0;    // known address, names/addresses/department added
  int unchanged = 0;  // known address, nothing new
};

// Merges by address: a user whose address an employee has gets the missing names, addresses and
// department; anyone else becomes a new employee at the end. Company and partners are untouched.
MergeReport merge_users(Profile& profile, const std::vector<ImportedUser>& users);

// The profile as TOML that parse_profile reads back to the same profile. Comments of the file
// it was loaded from are not kept.
std::string profile_to_toml(const Profile& profile);

}  // namespace emotriage::profile
