#include "web/profile_api.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "profile/user_import.hpp"

namespace emotriage::web {

namespace {

using Json = nlohmann::ordered_json;

// A directory export of 100,000 users is ~20 MB (as `profile import-users`).
constexpr std::size_t kMaxCsvBytes = 64u << 20;
constexpr std::size_t kMaxProfileBytes = 16u << 20;

Answer not_editable() {
  return refusal(409, "no-profile",
                 "serve を --profile FILE 付きで起動すると、プロファイルを保存できます。",
                 "start serve with --profile FILE to save a profile.");
}

// Writes `bytes` to a new file beside `path` and renames it over `path`: a reader sees the old
// file or the new one, never half of one; a crash leaves the old one. A symlink is followed, so
// the profile it points to is the one edited (not replaced by a file of its own).
std::expected<void, std::string> replace_file(const std::string& given, std::string_view bytes) {
  std::error_code error;
  std::filesystem::path target = std::filesystem::canonical(given, error);
  if (error) target = given;
  const std::string path = target.string();
  std::string temp =
      (target.parent_path() / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return std::unexpected(std::string(std::strerror(errno)));
  struct stat old {};
  ::fchmod(fd, ::stat(path.c_str(), &old) == 0 ? (old.st_mode & 07777) : 0600);
  bool ok = true;
  while (ok && !bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    ok = written > 0;
    if (ok) bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  ok = ok && ::fsync(fd) == 0;
  std::string reason = ok ? "" : std::strerror(errno);
  if (::close(fd) != 0 && ok) {
    ok = false;
    reason = std::strerror(errno);
  }
  if (ok && ::rename(temp.c_str(), path.c_str()) != 0) {
    ok = false;
    reason = std::strerror(errno);
  }
  if (!ok) {
    ::unlink(temp.c_str());
    return std::unexpected(reason);
  }
  return {};
}

// A string field of the form; a missing one is empty, any other type is an error.
bool read_string(const nlohmann::json& object, const char* key, std::string& out) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return true;
  if (!found->is_string()) return false;
  out = found->get<std::string>();
  return true;
}

bool read_strings(const nlohmann::json& object, const char* key, std::vector<std::string>& out) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return true;
  if (!found->is_array()) return false;
  for (const auto& item : *found) {
    if (!item.is_string()) return false;
    out.push_back(item.get<std::string>());
  }
  return true;
}

// The form's data as a Profile; nullopt when a field has the wrong type.
std::optional<profile::Profile> profile_from_json(const nlohmann::json& form) {
  profile::Profile out;
  const nlohmann::json empty = nlohmann::json::object();
  auto object = [&](const nlohmann::json& parent, const char* key) -> const nlohmann::json* {
    auto found = parent.find(key);
    if (found == parent.end() || found->is_null()) return &empty;
    return found->is_object() ? &*found : nullptr;
  };
  if (!form.is_object()) return std::nullopt;
  const nlohmann::json* company = object(form, "company");
  const nlohmann::json* contact = company ? object(*company, "contact") : nullptr;
  if (!company || !contact) return std::nullopt;
  auto& c = out.company;
  bool ok = read_string(*company, "name", c.name) && read_string(*company, "name_en", c.name_en) &&
            read_string(*company, "website", c.website) &&
            read_strings(*company, "domains", c.domains) &&
            read_strings(*company, "mail_servers", c.mail_servers) &&
            read_string(*contact, "department", c.contact.department) &&
            read_string(*contact, "phone", c.contact.phone) &&
            read_string(*contact, "email", c.contact.email);
  for (const char* list : {"employees", "partners"}) {
    auto found = form.find(list);
    if (found == form.end() || found->is_null()) continue;
    if (!found->is_array()) return std::nullopt;
    for (const auto& entry : *found) {
      if (!entry.is_object()) return std::nullopt;
      if (list == std::string_view("employees")) {
        profile::Employee& e = out.employees.emplace_back();
        ok = ok && read_strings(entry, "names", e.names) &&
             read_strings(entry, "emails", e.emails) &&
             read_string(entry, "department", e.department);
      } else {
        profile::Partner& p = out.partners.emplace_back();
        ok = ok && read_string(entry, "name", p.name) &&
             read_strings(entry, "domains", p.domains) && read_string(entry, "contact", p.contact);
      }
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

Json profile_json(const profile::Profile& profile) {
  const auto& company = profile.company;
  Json employees = Json::array();
  for (const auto& employee : profile.employees) {
    employees.push_back({{"names", employee.names},
                         {"emails", employee.emails},
                         {"department", employee.department}});
  }
  Json partners = Json::array();
  for (const auto& partner : profile.partners) {
    partners.push_back(
        {{"name", partner.name}, {"domains", partner.domains}, {"contact", partner.contact}});
  }
  return {{"company",
           {{"name", company.name},
            {"name_en", company.name_en},
            {"website", company.website},
            {"domains", company.domains},
            {"mail_servers", company.mail_servers},
            {"contact",
             {{"department", company.contact.department},
              {"phone", company.contact.phone},
              {"email", company.contact.email}}}}},
          {"employees", std::move(employees)},
          {"partners", std::move(partners)}};
}

std::expected<profile::Profile, Answer> ProfileApi::parse(std::string_view toml) const {
  const std::string source =
      path_.empty() ? "profile.toml" : std::filesystem::path(path_).filename().string();
  if (toml.size() > kMaxProfileBytes)
    return std::unexpected(
        refusal(413, "too-large", "プロファイルが大きすぎます。", "the profile is too large."));
  auto parsed = profile::parse_profile(toml, source);
  if (parsed) return std::move(*parsed);
  Json errors = Json::array();
  for (const auto& error : parsed.error()) {
    errors.push_back({{"source", error.source},
                      {"line", error.line},
                      {"column", error.column},
                      {"message_ja", error.message_ja},
                      {"message_en", error.message_en}});
  }
  Answer refused = refusal(422, "profile", std::to_string(errors.size()) + " 件の問題があります。",
                           std::to_string(errors.size()) + " problems found.");
  refused.body["errors"] = std::move(errors);
  return std::unexpected(std::move(refused));
}

Answer ProfileApi::view() const {
  Json view{{"path", path_}, {"editable", !path_.empty()}, {"toml", ""}, {"profile", nullptr}};
  if (path_.empty()) return {200, std::move(view)};
  std::ifstream in(path_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in)
    return refusal(500, "profile-read", "プロファイルを読めません。", "cannot read the profile.");
  view["toml"] = text.str();
  auto parsed = parse(text.str());
  if (parsed)
    view["profile"] = profile_json(*parsed);
  else
    view["errors"] = parsed.error().body["errors"];
  return {200, std::move(view)};
}

std::expected<profile::Profile, Answer> ProfileApi::save(std::string_view toml) const {
  if (path_.empty()) return std::unexpected(not_editable());
  auto parsed = parse(toml);
  if (!parsed) return parsed;
  std::lock_guard lock(save_mutex_);
  if (auto written = replace_file(path_, toml); !written) {
    return std::unexpected(refusal(500, "profile-write",
                                   "プロファイルを書き込めません: " + written.error(),
                                   "cannot write the profile: " + written.error()));
  }
  return parsed;
}

std::expected<profile::Profile, Answer> ProfileApi::save_form(const nlohmann::json& form) const {
  auto data = profile_from_json(form);
  if (!data) {
    return std::unexpected(
        refusal(400, "body", "会社プロファイルの形の JSON で送ってください。",
                "send the profile as JSON of the shape GET /api/profile gives."));
  }
  return save(profile::profile_to_toml(*data));
}

Answer ProfileApi::import_users(std::string_view csv, std::string_view toml) const {
  if (csv.size() > kMaxCsvBytes)
    return refusal(413, "too-large", "CSV が大きすぎます (64 MB まで)。",
                   "the CSV is too large (64 MB at most).");
  auto parsed = parse(toml);
  if (!parsed) return parsed.error();
  auto users = profile::read_directory_export(csv, parsed->company);
  if (!users) return refusal(422, "csv", users.error().message_ja, users.error().message_en);
  profile::MergeReport merged = profile::merge_users(*parsed, users->users);
  Json skipped = Json::array();
  for (const auto& row : users->skipped) {
    skipped.push_back({{"line", row.line},
                       {"detail", row.detail},
                       {"reason_ja", row.reason_ja},
                       {"reason_en", row.reason_en}});
  }
  return {200,
          {{"format", users->format},
           {"encoding", users->encoding},
           {"added", merged.added},
           {"updated", merged.updated},
           {"unchanged", merged.unchanged},
           {"skipped", std::move(skipped)},
           {"toml", profile::profile_to_toml(*parsed)},
           {"profile", profile_json(*parsed)}}};
}

}  // namespace emotriage::web
