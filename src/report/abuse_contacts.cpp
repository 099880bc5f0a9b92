#include "report/abuse_contacts.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/text.hpp"
#include "profile/matcher.hpp"

namespace emotriage::report {

namespace {

DataError data_error(std::string_view source, std::string ja, std::string en) {
  return DataError{std::string(source), std::move(ja), std::move(en)};
}

std::vector<std::string> lower_strings(const toml::table& table, std::string_view key) {
  std::vector<std::string> out;
  if (const toml::array* array = table[key].as_array()) {
    for (const toml::node& element : *array) {
      if (auto value = element.value<std::string>()) out.push_back(core::ascii_lower(*value));
    }
  }
  return out;
}

}  // namespace

std::expected<AbuseContacts, DataError> AbuseContacts::parse(std::string_view toml_text,
                                                             std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& error) {
    std::ostringstream where;
    where << source_name << ":" << error.source().begin.line;
    return std::unexpected(data_error(where.str(),
                                      "TOML として読めません: " + std::string(error.description()),
                                      "not valid TOML: " + std::string(error.description())));
  }
  AbuseContacts contacts;
  const toml::array* entries = root["provider"].as_array();
  if (entries == nullptr) {
    return std::unexpected(
        data_error(source_name, "[[provider]] がありません", "no [[provider]] entries"));
  }
  for (const toml::node& node : *entries) {
    const toml::table* table = node.as_table();
    if (table == nullptr) continue;
    MailProvider provider;
    provider.name = (*table)["name"].value_or(std::string());
    provider.abuse = (*table)["abuse"].value_or(std::string());
    provider.source = (*table)["source"].value_or(std::string());
    provider.domains = lower_strings(*table, "domains");
    provider.brands = lower_strings(*table, "brands");
    if (provider.name.empty() || provider.abuse.empty() || provider.source.empty() ||
        provider.domains.empty()) {
      std::string at = std::string(source_name) + ":" + std::to_string(table->source().begin.line);
      return std::unexpected(data_error(at, "name・domains・abuse・source のどれかがありません",
                                        "a provider lacks one of name, domains, abuse, source"));
    }
    contacts.providers_.push_back(std::move(provider));
  }
  return contacts;
}

std::expected<AbuseContacts, DataError> AbuseContacts::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::unexpected(data_error(path, "ファイルを開けません", "cannot open the file"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

const MailProvider* AbuseContacts::provider_for(std::string_view ascii_domain) const {
  std::string lowered = core::ascii_lower(ascii_domain);
  // The domain and each parent (i.softbank.jp, mail.yahoo.co.jp); at most 127 labels.
  for (std::string_view domain = lowered; !domain.empty();) {
    for (const auto& provider : providers_) {
      if (std::ranges::find(provider.domains, domain) != provider.domains.end()) return &provider;
    }
    std::size_t dot = domain.find('.');
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  std::string registrable = profile::registrable_domain(lowered);
  std::string brand = registrable.substr(0, registrable.find('.'));
  for (const auto& provider : providers_) {
    if (std::ranges::find(provider.brands, brand) != provider.brands.end()) return &provider;
  }
  return nullptr;
}

std::string builtin_data_dir() {
  if (const char* env = std::getenv("EMOTRIAGE_DATA"); env != nullptr && *env != '\0') return env;
  return EMOTRIAGE_DATA_DIR;
}

}  // namespace emotriage::report
