#include "profile/profile.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include "core/text.hpp"
#include "profile/net.hpp"

namespace emotriage::profile {

namespace {

// A profile of 100,000 employees is a few MB; anything far larger is not a profile.
constexpr std::size_t kMaxProfileBytes = 64u << 20;

std::string quoted(std::string_view text) {
  return "\"" + std::string(core::utf8_prefix(text, 200)) + "\"";
}
std::string bracketed(std::string_view text) {
  return "「" + std::string(core::utf8_prefix(text, 200)) + "」";
}

class Validator {
 public:
  explicit Validator(std::string_view source) : source_(source) {}

  void error(const toml::source_region& where, std::string ja, std::string en) {
    errors_.push_back({source_, static_cast<int>(where.begin.line),
                       static_cast<int>(where.begin.column), std::move(ja), std::move(en)});
  }

  std::vector<ProfileError> take_errors() { return std::move(errors_); }
  bool ok() const { return errors_.empty(); }

  // Reports every key of `table` not in `allowed`.
  void check_keys(const toml::table& table, std::string_view where,
                  std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, node] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string list;
      for (auto name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      error(key.source(),
            std::string(where) + " の不明なキー" + bracketed(key.str()) + "（使えるキー: " + list +
                "）",
            "unknown key " + quoted(key.str()) + " in " + std::string(where) +
                " (allowed: " + list + ")");
    }
  }

  std::string string_value(const toml::table& table, std::string_view key, std::string_view where,
                           bool required) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) {
        error(table.source(), std::string(where) + " に " + std::string(key) + " がありません",
              std::string(where) + " has no " + std::string(key));
      }
      return {};
    }
    if (!node->is_string()) {
      error(node->source(),
            std::string(where) + "." + std::string(key) + " は文字列（\"...\"）で書いてください",
            std::string(where) + "." + std::string(key) + " must be a string (\"...\")");
      return {};
    }
    std::string value(core::trim(node->as_string()->get()));
    if (required && value.empty()) {
      error(node->source(), std::string(where) + "." + std::string(key) + " が空です",
            std::string(where) + "." + std::string(key) + " is empty");
    }
    return value;
  }

  // A list of strings, each with its location; `required` means at least one entry.
  std::vector<std::pair<std::string, toml::source_region>> string_list(const toml::table& table,
                                                                       std::string_view key,
                                                                       std::string_view where,
                                                                       bool required) {
    std::vector<std::pair<std::string, toml::source_region>> values;
    const toml::node* node = table.get(key);
    const std::string name = std::string(where) + "." + std::string(key);
    if (node == nullptr) {
      if (required) {
        error(table.source(), std::string(where) + " に " + std::string(key) + " がありません",
              std::string(where) + " has no " + std::string(key));
      }
      return values;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      error(node->source(), name + " は文字列の配列（[\"...\", \"...\"]）で書いてください",
            name + " must be an array of strings ([\"...\", \"...\"])");
      return values;
    }
    for (const toml::node& element : *array) {
      if (!element.is_string()) {
        error(element.source(), name + " の要素は文字列で書いてください",
              "the entries of " + name + " must be strings");
        continue;
      }
      std::string value(core::trim(element.as_string()->get()));
      if (value.empty()) {
        error(element.source(), name + " に空の文字列があります", name + " has an empty string");
        continue;
      }
      values.emplace_back(std::move(value), element.source());
    }
    if (required && values.empty() && array->empty()) {
      error(node->source(), name + " が空です。1 つ以上書いてください",
            name + " is empty; list at least one");
    }
    return values;
  }

  const toml::table* sub_table(const toml::table& table, std::string_view key,
                               std::string_view where) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return nullptr;
    if (!node->is_table()) {
      error(node->source(),
            std::string(where) + "." + std::string(key) + " は表（[...]）で書いてください",
            std::string(where) + "." + std::string(key) + " must be a table ([...])");
      return nullptr;
    }
    return node->as_table();
  }

  std::string domain(const std::pair<std::string, toml::source_region>& entry,
                     std::string_view where) {
    auto ascii = domain_to_ascii(entry.first);
    if (!ascii || ascii->find('.') == std::string::npos) {
      error(entry.second,
            std::string(where) + " の" + bracketed(entry.first) +
                "はドメイン名として正しくありません（例: example.co.jp）",
            quoted(entry.first) + " in " + std::string(where) +
                " is not a valid domain name (e.g. example.co.jp)");
      return {};
    }
    return *ascii;
  }

  std::string email(const std::string& value, const toml::source_region& where_region,
                    std::string_view where) {
    auto address = normalize_email(value);
    if (!address) {
      error(where_region,
            std::string(where) + " の" + bracketed(value) +
                "はメールアドレスとして正しくありません（例: name@example.co.jp）",
            quoted(value) + " in " + std::string(where) +
                " is not a valid mail address (e.g. name@example.co.jp)");
      return {};
    }
    return *address;
  }

 private:
  std::string source_;
  std::vector<ProfileError> errors_;
};

Company read_company(Validator& check, const toml::table& root) {
  Company company;
  const toml::table* table = check.sub_table(root, "company", "profile");
  if (table == nullptr) {
    if (root.get("company") == nullptr) {
      check.error(root.source(), "[company] の表がありません（会社名とドメインを書いてください）",
                  "there is no [company] table (company name and domains are required)");
    }
    return company;
  }
  check.check_keys(*table, "[company]",
                   {"name", "name_en", "website", "domains", "mail_servers", "contact"});
  company.name = check.string_value(*table, "name", "[company]", true);
  company.name_en = check.string_value(*table, "name_en", "[company]", false);
  company.website = check.string_value(*table, "website", "[company]", false);
  if (!company.website.empty() && !core::istarts_with(company.website, "https://") &&
      !core::istarts_with(company.website, "http://")) {
    check.error(table->get("website")->source(),
                "[company].website は https:// で始まる URL で書いてください",
                "[company].website must be a URL starting with https://");
  }
  for (const auto& entry : check.string_list(*table, "domains", "[company]", true)) {
    std::string domain = check.domain(entry, "[company].domains");
    if (!domain.empty()) company.domains.push_back(std::move(domain));
  }
  for (const auto& [server, where] :
       check.string_list(*table, "mail_servers", "[company]", false)) {
    bool is_network = server.find('/') != std::string::npos;
    bool valid = is_network ? parse_cidr(server).has_value()
                            : parse_ip(server).has_value() || domain_to_ascii(server).has_value();
    if (!valid) {
      check.error(where,
                  "[company].mail_servers の" + bracketed(server) +
                      "はホスト名・IP アドレス・CIDR（例: 198.51.100.0/28、ホスト部は "
                      "0）のどれでもありません",
                  quoted(server) +
                      " in [company].mail_servers is not a host name, an IP address or a CIDR "
                      "range (e.g. 198.51.100.0/28, host bits zero)");
      continue;
    }
    company.mail_servers.push_back(is_network || parse_ip(server) ? server
                                                                  : *domain_to_ascii(server));
  }
  if (const toml::table* contact = check.sub_table(*table, "contact", "[company]")) {
    check.check_keys(*contact, "[company.contact]", {"department", "phone", "email"});
    company.contact.department =
        check.string_value(*contact, "department", "[company.contact]", false);
    company.contact.phone = check.string_value(*contact, "phone", "[company.contact]", false);
    std::string email = check.string_value(*contact, "email", "[company.contact]", false);
    if (!email.empty()) {
      company.contact.email =
          check.email(email, contact->get("email")->source(), "[company.contact].email");
    }
  }
  return company;
}

// Each entry of an array of tables ([[employees]], [[partners]]), or an error for anything else.
template <class ReadOne>
void read_table_array(Validator& check, const toml::table& root, std::string_view key,
                      ReadOne&& read_one) {
  const toml::node* node = root.get(key);
  if (node == nullptr) return;
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    check.error(node->source(),
                std::string(key) + " は [[" + std::string(key) + "]] の表の並びで書いてください",
                std::string(key) + " must be written as [[" + std::string(key) + "]] tables");
    return;
  }
  for (const toml::node& element : *array) {
    if (const toml::table* table = element.as_table()) {
      read_one(*table);
    } else {
      check.error(element.source(), "[[" + std::string(key) + "]] の要素が表ではありません",
                  "an entry of [[" + std::string(key) + "]] is not a table");
    }
  }
}

}  // namespace

std::expected<Profile, std::vector<ProfileError>> parse_profile(std::string_view toml_text,
                                                                std::string_view source_name) {
  Validator check(source_name);
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& error) {
    check.error(error.source(), "TOML の書き方の誤り: " + std::string(error.description()),
                "TOML syntax error: " + std::string(error.description()));
    return std::unexpected(check.take_errors());
  }
  check.check_keys(root, "profile", {"company", "employees", "partners"});
  Profile profile;
  profile.company = read_company(check, root);

  std::unordered_map<std::string, std::size_t> email_owner;
  read_table_array(check, root, "employees", [&](const toml::table& table) {
    const std::string where = "[[employees]] #" + std::to_string(profile.employees.size() + 1);
    check.check_keys(table, where, {"names", "emails", "department"});
    Employee employee;
    for (auto& [name, region] : check.string_list(table, "names", where, true)) {
      employee.names.push_back(std::move(name));
    }
    for (const auto& [value, region] : check.string_list(table, "emails", where, false)) {
      std::string address = check.email(value, region, where + ".emails");
      if (address.empty()) continue;
      auto [it, inserted] = email_owner.try_emplace(address, profile.employees.size());
      if (!inserted) {
        check.error(region,
                    bracketed(address) + "は [[employees]] #" + std::to_string(it->second + 1) +
                        " にもあります。1 つのアドレスは 1 人にだけ書いてください",
                    quoted(address) + " is also listed for [[employees]] #" +
                        std::to_string(it->second + 1) + "; an address belongs to one person");
        continue;
      }
      employee.emails.push_back(std::move(address));
    }
    employee.department = check.string_value(table, "department", where, false);
    profile.employees.push_back(std::move(employee));
  });

  read_table_array(check, root, "partners", [&](const toml::table& table) {
    const std::string where = "[[partners]] #" + std::to_string(profile.partners.size() + 1);
    check.check_keys(table, where, {"name", "domains", "contact"});
    Partner partner;
    partner.name = check.string_value(table, "name", where, true);
    for (const auto& entry : check.string_list(table, "domains", where, false)) {
      std::string domain = check.domain(entry, where + ".domains");
      if (domain.empty()) continue;
      if (std::find(profile.company.domains.begin(), profile.company.domains.end(), domain) !=
          profile.company.domains.end()) {
        check.error(entry.second, bracketed(domain) + "は自社のドメインとしても書かれています",
                    quoted(domain) + " is also listed as one of our own domains");
        continue;
      }
      partner.domains.push_back(std::move(domain));
    }
    partner.contact = check.string_value(table, "contact", where, false);
    if (partner.contact.find('@') != std::string::npos &&
        partner.contact.find(' ') == std::string::npos) {
      std::string address =
          check.email(partner.contact, table.get("contact")->source(), where + ".contact");
      if (!address.empty()) partner.contact = std::move(address);
    }
    profile.partners.push_back(std::move(partner));
  });

  if (!check.ok()) {
    std::vector<ProfileError> errors = check.take_errors();
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return std::unexpected(std::move(errors));
  }
  return profile;
}

std::expected<Profile, std::vector<ProfileError>> load_profile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return std::unexpected(std::vector<ProfileError>{
        {path, 0, 0, "プロファイルのファイルを開けません", "cannot open the profile file"}});
  }
  std::string text;
  char buffer[65536];
  while (file.read(buffer, sizeof buffer) || file.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(file.gcount()));
    if (text.size() > kMaxProfileBytes) {
      return std::unexpected(
          std::vector<ProfileError>{{path, 0, 0, "プロファイルが大きすぎます（64 MB まで）",
                                     "the profile file is too large (64 MB at most)"}});
    }
  }
  return parse_profile(text, path);
}

}  // namespace emotriage::profile
