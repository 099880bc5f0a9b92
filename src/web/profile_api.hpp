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
  // The page's form: the profile as data (the shape of profile_json), written as TOML by
  // profile::profile_to_toml (the writer of `profile import-users`, comments are not kept), then
  // checked and saved as save() does. 400 when a field has the wrong type.
  std::expected<profile::Profile, Answer> save_form(const nlohmann::json& form) const;
  // Merges the users of a CSV export into the profile `toml` (the editor's text) and answers
  // the merged TOML with what was added, updated and skipped; nothing is saved.
  Answer import_users(std::string_view csv, std::string_view toml) const;

 private:
  std::expected<profile::Profile, Answer> parse(std::string_view toml) const;
  std::string path_;
  mutable std::mutex save_mutex_;  // one writer of the file at a time
};

// The profile as data for the page (and what save_form takes).
nlohmann::ordered_json profile_json(const profile::Profile& profile);

}  // namespace emotriage::web
