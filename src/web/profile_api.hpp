// The profile page of the web UI: the company profile as TOML and as data, validated exactly as
// `profile check` (profile::parse_profile), saved atomically (a temporary file renamed over the
// old one), and employees imported from a directory export (CSV) as `profile import-users`.
#pragma once
#include <expected>
#include <mutex>
#include <string>
#include <string_view>

#include "profile/profile.hpp"
#include "web/case_api.hpp"

namespace emotriage::web {

class ProfileApi {
 public:
  // `path` empty: serve was started without --profile; the page can show, not save.
  explicit ProfileApi(std::string path) : path_(std::move(path)) {}

  // {"path", "editable", "toml", "profile"}: the file as it is, and what it says.
  Answer view() const;
  // Checks `toml` as `profile check` does; 422 with every error, or the file written and the
  // profile it holds.
  std::expected<profile::Profile, Answer> save(std::string_view toml) const;
  // Merges the users of a CSV export into the profile `toml` (the editor's text) and answers
  // the merged TOML with what was added, updated and skipped; nothing is saved.
  Answer import_users(std::string_view csv, std::string_view toml) const;

 private:
  std::expected<profile::Profile, Answer> parse(std::string_view toml) const;
  std::string path_;
  mutable std::mutex save_mutex_;  // one writer of the file at a time
};

// The profile as data for the page.
nlohmann::ordered_json profile_json(const profile::Profile& profile);

}  // namespace emotriage::web
