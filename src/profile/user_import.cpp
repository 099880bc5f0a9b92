#include "profile/user_import.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <sstream>
#include <unordered_map>

#include "core/text.hpp"
#include "mime/charset.hpp"
#include "profile/matcher.hpp"
#include "profile/net.hpp"
#include "profile/normalize.hpp"

namespace emotriage::profile {

namespace {

// Directory exports of the largest SMEs have a few thousand rows; the bound keeps a wrong file
// (a mailbox export, a log) from building a huge profile.
constexpr std::size_t kMaxRows = 200000;
constexpr std::size_t kMaxColumns = 1000;

enum class Column {
  display,
  email,
  upn,
  given,
  family,
  furigana,
  phonetic_given,
  phonetic_family,
  department
};

// Header names (after normalize_plain: case, width, spaces and katakana folded) per column.
struct HeaderName {
  std::string_view name;
  Column column;
};
const std::array<HeaderName, 34> kHeaderNames = {{
    {"displayname", Column::display},
    {"表示名", Column::display},
    {"氏名", Column::display},
    {"名前", Column::display},
    {"fullname", Column::display},
    {"name", Column::display},
    {"mail", Column::email},
    {"email", Column::email},
    {"e-mail", Column::email},
    {"emailaddress", Column::email},
    {"primarysmtpaddress", Column::email},
    {"めーるあどれす", Column::email},
    {"めーる", Column::email},
    {"userprincipalname", Column::upn},
    {"firstname", Column::given},
    {"givenname", Column::given},
    {"名", Column::given},
    {"lastname", Column::family},
    {"sn", Column::family},
    {"surname", Column::family},
    {"姓", Column::family},
    {"msds-phoneticdisplayname", Column::furigana},
    {"ふりがな", Column::furigana},
    {"よみがな", Column::furigana},
    {"かな", Column::furigana},
    {"furigana", Column::furigana},
    {"msds-phoneticfirstname", Column::phonetic_given},
    {"めい", Column::phonetic_given},
    {"msds-phoneticlastname", Column::phonetic_family},
    {"せい", Column::phonetic_family},
    {"department", Column::department},
    {"部署", Column::department},
    {"所属", Column::department},
    {"部門", Column::department},
}};

std::string header_key(std::string_view header) {
  std::string key = normalize_plain(header);
  // Google Workspace marks columns "First Name [Required]"; drop any bracketed note.
  std::size_t bracket = key.find('[');
  if (bracket != std::string::npos) key.resize(bracket);
  return key;
}

struct Decoded {
  std::string text;
  std::string encoding;
};

Decoded decode_csv(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) return {std::string(bytes.substr(3)), "utf-8"};
  if (bytes.starts_with("\xFF\xFE")) {
    return {mime::decode_to_utf8(bytes.substr(2), "utf-16le").text, "utf-16le"};
  }
  if (bytes.starts_with("\xFE\xFF")) {
    return {mime::decode_to_utf8(bytes.substr(2), "utf-16be").text, "utf-16be"};
  }
  if (core::is_valid_utf8(bytes)) return {std::string(bytes), "utf-8"};
  return {mime::decode_to_utf8(bytes, "cp932").text, "cp932"};
}

struct Record {
  int line = 0;
  std::vector<std::string> fields;
};

// RFC 4180 with the liberties of real exports: LF or CRLF, a quote inside an unquoted field
// taken literally, and PowerShell's "#TYPE ..." first line skipped.
class CsvReader {
 public:
  CsvReader(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}

  bool next(Record& record) {
    record.fields.clear();
    if (pos_ >= text_.size()) return false;
    record.line = line_;
    std::string field;
    bool quoted = false;
    bool field_started_quoted = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (quoted) {
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field += '"';
            ++pos_;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_;
          field += c;
        }
        continue;
      }
      if (c == '"' && field.empty() && !field_started_quoted) {
        quoted = field_started_quoted = true;
      } else if (c == delimiter_) {
        push(record, field);
        field_started_quoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
        break;
      } else {
        field += c;
      }
    }
    push(record, field);
    return true;
  }

 private:
  void push(Record& record, std::string& field) {
    if (record.fields.size() < kMaxColumns) record.fields.push_back(std::string(core::trim(field)));
    field.clear();
  }

  std::string_view text_;
  char delimiter_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

char guess_delimiter(std::string_view header_line) {
  std::size_t commas = std::count(header_line.begin(), header_line.end(), ',');
  std::size_t tabs = std::count(header_line.begin(), header_line.end(), '\t');
  std::size_t semicolons = std::count(header_line.begin(), header_line.end(), ';');
  if (tabs > commas && tabs >= semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

bool has_non_ascii(std::string_view text) {
  return !core::is_ascii(text);
}

// "山田 太郎" for Japanese script, "Taro Yamada" for romaji.
std::string full_name(const std::string& family, const std::string& given) {
  if (family.empty()) return given;
  if (given.empty()) return family;
  return has_non_ascii(family) || has_non_ascii(given) ? family + " " + given
                                                       : given + " " + family;
}

// Keys under which a name counts as already known: its normalised form, and for two parts the
// reversed order too ("Taro Yamada" = "Yamada Taro").
std::vector<std::string> name_keys(std::string_view name) {
  std::vector<std::string> keys{normalize_name(name)};
  std::string_view trimmed = core::trim(name);
  std::size_t space = trimmed.find(' ');
  if (space == std::string_view::npos) space = trimmed.find("\xE3\x80\x80");  // U+3000
  if (space != std::string_view::npos) {
    std::size_t skip = trimmed[space] == ' ' ? 1 : 3;
    keys.push_back(normalize_name(std::string(trimmed.substr(space + skip)) + " " +
                                  std::string(trimmed.substr(0, space))));
  }
  return keys;
}

bool knows_name(const std::vector<std::string>& names, std::string_view candidate) {
  std::string key = normalize_name(candidate);
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
    auto keys = name_keys(name);
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  });
}

void add_name(std::vector<std::string>& names, std::string name) {
  if (name.empty() || normalize_name(name).empty() || knows_name(names, name)) return;
  names.push_back(std::move(name));
}

bool in_domains(const std::string& address, const Company& company) {
  if (company.domains.empty()) return true;
  std::string domain = address.substr(address.rfind('@') + 1);
  return std::any_of(company.domains.begin(), company.domains.end(), [&](const std::string& own) {
    return domain == own || (domain.size() > own.size() && domain.ends_with("." + own));
  });
}

std::string describe_format(const std::vector<std::string>& keys) {
  auto has = [&](std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  if (has("userprincipalname") && has("displayname") && has("firstname")) return "Microsoft 365";
  if (has("emailaddress") && has("firstname") && has("lastname")) return "Google Workspace";
  if (has("sn") || has("givenname") || has("msds-phoneticdisplayname")) return "Active Directory";
  if (has("氏名") || has("表示名") || has("めーるあどれす") || has("姓"))
    return "日本語 / Japanese";
  return "CSV";
}

SkippedRow skipped(int line, std::string detail, std::string ja, std::string en) {
  return {line, std::move(detail), std::move(ja), std::move(en)};
}

}  // namespace

std::expected<DirectoryExport, ImportError> read_directory_export(std::string_view bytes,
                                                                  const Company& company) {
  DirectoryExport result;
  Decoded decoded = decode_csv(bytes);
  result.encoding = decoded.encoding;
  std::string_view text = decoded.text;
  int skipped_lines = 0;
  if (text.starts_with("#TYPE") || text.starts_with("#type")) {
    std::size_t end = text.find('\n');
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    skipped_lines = 1;
  }
  CsvReader reader(text, guess_delimiter(text.substr(0, text.find('\n'))));
  Record header;
  if (!reader.next(header) || header.fields.empty()) {
    return std::unexpected(ImportError{"CSV が空です", "the CSV file is empty"});
  }
  std::vector<std::string> keys;
  std::unordered_map<int, std::size_t> columns;  // Column -> field index (first one wins)
  for (std::size_t index = 0; index < header.fields.size(); ++index) {
    keys.push_back(header_key(header.fields[index]));
    for (const HeaderName& known : kHeaderNames) {
      if (keys.back() == known.name) columns.try_emplace(static_cast<int>(known.column), index);
    }
  }
  result.format = describe_format(keys);
  auto has = [&](Column column) { return columns.contains(static_cast<int>(column)); };
  if (!has(Column::email) && !has(Column::upn)) {
    return std::unexpected(ImportError{
        "メールアドレスの列が見つかりません（見出しに「メールアドレス」「mail」「Email Address」"
        "「User principal name」などが必要です）",
        "no mail address column found (a header such as \"Email Address\", \"mail\", \"User "
        "principal name\" or \"メールアドレス\" is needed)"});
  }
  Record record;
  std::size_t rows = 0;
  while (reader.next(record)) {
    const int line = record.line + skipped_lines;
    auto field = [&](Column column) -> std::string {
      auto it = columns.find(static_cast<int>(column));
      if (it == columns.end() || it->second >= record.fields.size()) return {};
      return record.fields[it->second];
    };
    if (std::all_of(record.fields.begin(), record.fields.end(),
                    [](const std::string& value) { return value.empty(); })) {
      continue;
    }
    if (++rows > kMaxRows) {
      result.skipped.push_back(skipped(line, {},
                                       "行数が上限（200,000 行）を超えたので以降は読みません",
                                       "more than 200,000 rows; the rest is not read"));
      break;
    }
    ImportedUser user;
    user.line = line;
    std::string mail = field(Column::email);
    std::string upn = field(Column::upn);
    std::string shown = mail.empty() ? upn : mail;
    if (shown.empty()) {
      result.skipped.push_back(
          skipped(line, field(Column::display), "メールアドレスがありません", "no mail address"));
      continue;
    }
    auto address = normalize_email(shown);
    if (!address) {
      result.skipped.push_back(
          skipped(line, shown, "メールアドレスとして正しくありません", "not a valid mail address"));
      continue;
    }
    if (!in_domains(*address, company)) {
      result.skipped.push_back(
          skipped(line, *address,
                  "自社のドメインではありません（ゲストや外部の連絡先）。自社のドメインなら "
                  "[company].domains に加えてください",
                  "not one of our domains (a guest or an external contact); add the domain to "
                  "[company].domains if it is ours"));
      continue;
    }
    user.emails.push_back(*address);
    if (auto principal = normalize_email(upn);
        principal && *principal != *address && in_domains(*principal, company)) {
      user.emails.push_back(*principal);
    }
    add_name(user.names, field(Column::display));
    add_name(user.names, full_name(field(Column::family), field(Column::given)));
    add_name(user.names, field(Column::furigana));
    add_name(user.names, full_name(field(Column::phonetic_family), field(Column::phonetic_given)));
    if (user.names.empty()) {
      result.skipped.push_back(skipped(line, *address, "名前がありません", "no name"));
      continue;
    }
    user.department = field(Column::department);
    result.users.push_back(std::move(user));
  }
  return result;
}

MergeReport merge_users(Profile& profile, const std::vector<ImportedUser>& users) {
  MergeReport report;
  std::unordered_map<std::string, std::size_t> owner;
  for (std::size_t index = 0; index < profile.employees.size(); ++index) {
    for (const auto& email : profile.employees[index].emails) owner.try_emplace(email, index);
  }
  for (const ImportedUser& user : users) {
    auto known = std::find_if(user.emails.begin(), user.emails.end(),
                              [&](const std::string& email) { return owner.contains(email); });
    if (known == user.emails.end()) {
      for (const auto& email : user.emails) owner.try_emplace(email, profile.employees.size());
      profile.employees.push_back({user.names, user.emails, user.department});
      ++report.added;
      continue;
    }
    const std::size_t index = owner[*known];
    Employee& employee = profile.employees[index];
    bool changed = false;
    for (const auto& name : user.names) {
      if (!knows_name(employee.names, name)) {
        employee.names.push_back(name);
        changed = true;
      }
    }
    for (const auto& email : user.emails) {
      if (owner.try_emplace(email, index).second) {
        employee.emails.push_back(email);
        changed = true;
      }
    }
    if (employee.department.empty() && !user.department.empty()) {
      employee.department = user.department;
      changed = true;
    }
    ++(changed ? report.updated : report.unchanged);
  }
  return report;
}

std::string profile_to_toml(const Profile& profile) {
  auto strings = [](const std::vector<std::string>& values) {
    toml::array array;
    for (const auto& value : values) array.push_back(value);
    return array;
  };
  auto set_if = [](toml::table& table, std::string_view key, const std::string& value) {
    if (!value.empty()) table.insert(key, value);
  };
  toml::table company;
  set_if(company, "name", profile.company.name);
  set_if(company, "name_en", profile.company.name_en);
  set_if(company, "website", profile.company.website);
  company.insert("domains", strings(profile.company.domains));
  if (!profile.company.mail_servers.empty()) {
    company.insert("mail_servers", strings(profile.company.mail_servers));
  }
  toml::table contact;
  set_if(contact, "department", profile.company.contact.department);
  set_if(contact, "phone", profile.company.contact.phone);
  set_if(contact, "email", profile.company.contact.email);
  if (!contact.empty()) company.insert("contact", std::move(contact));

  toml::table root;
  root.insert("company", std::move(company));
  if (!profile.employees.empty()) {
    toml::array employees;
    for (const Employee& employee : profile.employees) {
      toml::table entry;
      entry.insert("names", strings(employee.names));
      if (!employee.emails.empty()) entry.insert("emails", strings(employee.emails));
      set_if(entry, "department", employee.department);
      employees.push_back(std::move(entry));
    }
    root.insert("employees", std::move(employees));
  }
  if (!profile.partners.empty()) {
    toml::array partners;
    for (const Partner& partner : profile.partners) {
      toml::table entry;
      set_if(entry, "name", partner.name);
      if (!partner.domains.empty()) entry.insert("domains", strings(partner.domains));
      set_if(entry, "contact", partner.contact);
      partners.push_back(std::move(entry));
    }
    root.insert("partners", std::move(partners));
  }
  std::ostringstream out;
  out << "# emotriage company profile (docs/profile.md) / 会社プロファイル\n\n"
      << toml::toml_formatter(
             root, toml::toml_formatter::default_flags & ~toml::format_flags::indent_sub_tables)
      << "\n";
  return out.str();
}

}  // namespace emotriage::profile
