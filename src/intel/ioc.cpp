// IOC lists: plain lists of hashes, URLs, IPs and domains, and the CSV exports of abuse.ch feeds
// (Feodo Tracker, URLhaus, MalwareBazaar), recognised by their header line. Every indicator is
// normalised once at load time into hash sets, so a lookup costs one hash per candidate key.
#include <fstream>
#include <unordered_map>

#include "core/text.hpp"
#include "intel/intel.hpp"
#include "intel/ioc_normalize.hpp"

namespace emotriage::intel {

namespace {

// URLhaus URLs reach a few KB; a longer line is not an indicator and is counted as bad.
constexpr std::size_t kMaxLineBytes = 16384;
// Enough line numbers to find the problem in an editor without flooding the report.
constexpr std::size_t kKeptBadLineNumbers = 20;
constexpr std::size_t kReadChunkBytes = 1 << 20;
// Domain suffixes tried for one host: a DNS name has at most 127 labels.
constexpr std::size_t kMaxHostLabels = 127;

enum class Format { list, feodo, urlhaus, malwarebazaar };

struct Columns {
  Format format = Format::list;
  std::optional<std::size_t> ip, url, sha256, md5, sha1, label;
};

// One CSV record: comma separated, fields optionally in double quotes ("" escapes a quote),
// white space around fields ignored (MalwareBazaar writes ", ").
std::vector<std::string> split_csv(std::string_view line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  bool in_quotes = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        field += c;
      }
    } else if (c == '"' && core::trim(field).empty()) {
      field.clear();
      in_quotes = quoted = true;
    } else if (c == ',') {
      fields.push_back(quoted ? field : std::string(core::trim(field)));
      field.clear();
      quoted = false;
    } else if (!(quoted && (c == ' ' || c == '\t'))) {
      field += c;
    }
  }
  fields.push_back(quoted ? field : std::string(core::trim(field)));
  return fields;
}

std::optional<Columns> detect_header(std::string_view line) {
  std::vector<std::string> names = split_csv(line);
  if (names.size() < 2) return std::nullopt;
  Columns columns;
  auto column = [&](std::initializer_list<std::string_view> candidates) {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < names.size() && !found; ++i) {
      std::string name = core::ascii_lower(core::trim(names[i]));
      for (std::string_view candidate : candidates) {
        if (name == candidate) found = i;
      }
    }
    return found;
  };
  if ((columns.ip = column({"dst_ip", "dstip"}))) {
    columns.format = Format::feodo;
    columns.label = column({"malware"});
  } else if ((columns.sha256 = column({"sha256_hash"}))) {
    columns.format = Format::malwarebazaar;
    columns.md5 = column({"md5_hash"});
    columns.sha1 = column({"sha1_hash"});
    columns.label = column({"signature"});
  } else if ((columns.url = column({"url"})) && column({"dateadded", "url_status"})) {
    columns.format = Format::urlhaus;
    columns.label = column({"threat"});
  } else {
    return std::nullopt;
  }
  return columns;
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::list:
      return "list";
    case Format::feodo:
      return "feodo-csv";
    case Format::urlhaus:
      return "urlhaus-csv";
    case Format::malwarebazaar:
      return "malwarebazaar-csv";
  }
  return "list";
}

}  // namespace

struct IocEntry {
  std::uint32_t file = 0;
  std::uint32_t line = 0;
  std::string label;  // malware family or threat named by the feed
};

// The indicator tables, outside IocSet so the file loader below can fill them.
struct IocTables {
  std::vector<IocFileStats> files;
  std::unordered_map<std::string, IocEntry> hashes, urls, ips, domains;

  std::string origin(const IocEntry& entry) const {
    std::string text = files[entry.file].source + ":" + std::to_string(entry.line);
    if (!entry.label.empty()) text += ", " + entry.label;
    return text;
  }
};

struct IocSet::Data : IocTables {};

namespace {

// Feeds lines of one file into the shared indicator tables.
class FileLoader {
 public:
  FileLoader(IocTables& data, std::string source) : data_(data) {
    file_index_ = static_cast<std::uint32_t>(data.files.size());
    data.files.push_back(IocFileStats{std::move(source), "list", 0, 0, {}});
  }

  void line(std::string_view text) {
    ++line_number_;
    if (line_number_ == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (text.ends_with('\r')) text.remove_suffix(1);
    if (text.size() > kMaxLineBytes) return bad();
    std::string_view trimmed = core::trim(text);
    if (trimmed.empty()) return;
    if (trimmed.front() == '#') {
      if (columns_.format == Format::list && stats().entries == 0) adopt_header(trimmed.substr(1));
      return;
    }
    if (columns_.format == Format::list && stats().entries == 0 && adopt_header(trimmed)) return;
    if (columns_.format == Format::list) {
      list_line(trimmed);
    } else {
      csv_line(trimmed);
    }
  }

  // A line longer than kMaxLineBytes that the reader did not keep.
  void overlong_line() {
    ++line_number_;
    bad();
  }

 private:
  IocFileStats& stats() { return data_.files[file_index_]; }

  bool adopt_header(std::string_view text) {
    auto columns = detect_header(text);
    if (!columns) return false;
    columns_ = *columns;
    stats().format = std::string(format_name(columns_.format));
    return true;
  }

  void bad() {
    IocFileStats& file = stats();
    ++file.bad_lines;
    if (file.first_bad_lines.size() < kKeptBadLineNumbers)
      file.first_bad_lines.push_back(line_number_);
  }

  void add(std::unordered_map<std::string, IocEntry>& table, std::string key, std::string label) {
    if (label == "n/a" || label == "None") label.clear();
    if (table.emplace(std::move(key), IocEntry{file_index_, line_number_, std::move(label)}).second)
      ++stats().entries;
  }

  void list_line(std::string_view text) {
    // "value  # note": the note is for people.
    if (std::size_t note = text.find(" #"); note != std::string_view::npos)
      text = core::trim(text.substr(0, note));
    auto indicator = classify_indicator(text);
    if (!indicator) return bad();
    switch (indicator->kind) {
      case IndicatorKind::hash:
        add(data_.hashes, std::move(indicator->value), {});
        break;
      case IndicatorKind::url:
        add(data_.urls, std::move(indicator->value), {});
        break;
      case IndicatorKind::ip:
        add(data_.ips, std::move(indicator->value), {});
        break;
      case IndicatorKind::domain:
        add(data_.domains, std::move(indicator->value), {});
        break;
    }
  }

  void csv_line(std::string_view text) {
    std::vector<std::string> fields = split_csv(text);
    auto field = [&](std::optional<std::size_t> column) -> std::optional<std::string_view> {
      if (!column || *column >= fields.size()) return std::nullopt;
      return fields[*column];
    };
    std::string label(field(columns_.label).value_or(""));
    switch (columns_.format) {
      case Format::feodo: {
        auto ip = field(columns_.ip).and_then([](std::string_view v) { return normalize_ip(v); });
        if (!ip) return bad();
        return add(data_.ips, std::move(*ip), std::move(label));
      }
      case Format::urlhaus: {
        auto url =
            field(columns_.url).and_then([](std::string_view v) { return normalize_url(v); });
        if (!url) return bad();
        return add(data_.urls, std::move(*url), std::move(label));
      }
      case Format::malwarebazaar: {
        auto sha256 =
            field(columns_.sha256).and_then([](std::string_view v) { return normalize_hash(v); });
        if (!sha256) return bad();
        add(data_.hashes, std::move(*sha256), label);
        for (auto column : {columns_.md5, columns_.sha1}) {
          if (auto hash =
                  field(column).and_then([](std::string_view v) { return normalize_hash(v); }))
            add(data_.hashes, std::move(*hash), label);
        }
        return;
      }
      case Format::list:
        return;
    }
  }

  IocTables& data_;
  std::uint32_t file_index_ = 0;
  std::uint32_t line_number_ = 0;
  Columns columns_;
};

void load_text(FileLoader& loader, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    loader.line(text.substr(pos, end - pos));
    pos = end + 1;
  }
}

core::Finding ioc_finding(std::string_view id, std::string ja, std::string en, std::string evidence,
                          std::string part) {
  std::string repaired;
  core::repair_utf8(core::utf8_prefix(evidence, 400), repaired);
  return core::Finding{std::string(id), core::Severity::high, std::move(ja),
                       std::move(en),   std::move(repaired),  std::move(part)};
}

}  // namespace

std::expected<IocSet, LoadError> IocSet::load(const std::vector<std::string>& files) {
  auto data = std::make_shared<Data>();
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return std::unexpected(
          LoadError{file, "IOC ファイルを開けません", "cannot open the IOC file"});
    }
    FileLoader loader(*data, file);
    std::string pending;
    bool skipping = false;  // inside a line longer than kMaxLineBytes
    std::string chunk(kReadChunkBytes, '\0');
    while (in) {
      in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      std::string_view got(chunk.data(), static_cast<std::size_t>(in.gcount()));
      std::size_t pos = 0;
      while (pos < got.size()) {
        std::size_t end = got.find('\n', pos);
        std::string_view piece =
            got.substr(pos, end == std::string_view::npos ? got.size() - pos : end - pos);
        if (!skipping) {
          if (pending.size() + piece.size() > kMaxLineBytes + 1) {
            skipping = true;
            pending.clear();
          } else {
            pending += piece;
          }
        }
        if (end == std::string_view::npos) break;
        if (skipping) {
          loader.overlong_line();
        } else {
          loader.line(pending);
        }
        pending.clear();
        skipping = false;
        pos = end + 1;
      }
    }
    if (in.bad()) {
      return std::unexpected(LoadError{file, "IOC ファイルの読み込み中にエラーが起きました",
                                       "error reading the IOC file"});
    }
    if (skipping) {
      loader.overlong_line();
    } else if (!pending.empty()) {
      loader.line(pending);
    }
  }
  IocSet set;
  set.data_ = std::move(data);
  return set;
}

IocSet IocSet::parse(std::string_view source_name, std::string_view text) {
  auto data = std::make_shared<Data>();
  FileLoader loader(*data, std::string(source_name));
  load_text(loader, text);
  IocSet set;
  set.data_ = std::move(data);
  return set;
}

std::size_t IocSet::size() const {
  if (!data_) return 0;
  return data_->hashes.size() + data_->urls.size() + data_->ips.size() + data_->domains.size();
}

const std::vector<IocFileStats>& IocSet::files() const {
  static const std::vector<IocFileStats> kNone;
  return data_ ? data_->files : kNone;
}

void IocSet::match_hash(std::string_view hex_digest, const core::Attachment& node,
                        std::vector<core::Finding>& findings) const {
  if (!data_) return;
  auto hash = normalize_hash(hex_digest);
  if (!hash) return;
  auto it = data_->hashes.find(*hash);
  if (it == data_->hashes.end()) return;
  std::string origin = data_->origin(it->second);
  findings.push_back(ioc_finding(
      "ioc.hash",
      "添付ファイル " + node.path + " のハッシュ値が IOC リストに載っている既知のマルウェアです (" +
          origin + ")",
      "the hash of attachment " + node.path + " is listed as known malware (" + origin + ")",
      node.path + ": " + *hash + " (" + origin + ")", node.part));
}

void IocSet::match_attachment(const core::Attachment& node,
                              std::vector<core::Finding>& findings) const {
  if (!node.sha256.empty()) match_hash(node.sha256, node, findings);
  if (!node.md5.empty()) match_hash(node.md5, node, findings);
}

void IocSet::match_ip(std::string_view ip, std::string_view evidence,
                      std::vector<core::Finding>& findings) const {
  if (!data_) return;
  auto normalised = normalize_ip(ip);
  if (!normalised) return;
  auto it = data_->ips.find(*normalised);
  if (it == data_->ips.end()) return;
  std::string origin = data_->origin(it->second);
  findings.push_back(ioc_finding(
      "ioc.ip", "IP アドレス " + *normalised + " が IOC リストに載っています (" + origin + ")",
      "IP address " + *normalised + " is listed as an indicator (" + origin + ")",
      std::string(evidence) + " (" + origin + ")", {}));
}

void IocSet::match_url(std::string_view url, std::vector<core::Finding>& findings) const {
  if (!data_) return;
  std::string host;
  auto key = normalize_url(url, &host);
  if (!key) return;
  if (auto it = data_->urls.find(*key); it != data_->urls.end()) {
    std::string origin = data_->origin(it->second);
    findings.push_back(ioc_finding("ioc.url", "URL が IOC リストに載っています (" + origin + ")",
                                   "the URL is listed as an indicator (" + origin + ")",
                                   std::string(url) + " (" + origin + ")", {}));
    return;
  }
  if (normalize_ip(host)) {
    match_ip(host, url, findings);
    return;
  }
  // The host itself, then each parent domain: a listed domain covers its subdomains.
  std::string_view suffix = host;
  for (std::size_t labels = 0; labels < kMaxHostLabels && !suffix.empty(); ++labels) {
    if (auto it = data_->domains.find(std::string(suffix)); it != data_->domains.end()) {
      std::string origin = data_->origin(it->second);
      findings.push_back(ioc_finding(
          "ioc.url",
          "URL のドメイン " + std::string(suffix) + " が IOC リストに載っています (" + origin + ")",
          "the URL's domain " + std::string(suffix) + " is listed as an indicator (" + origin + ")",
          std::string(url) + " (" + origin + ")", {}));
      return;
    }
    std::size_t dot = suffix.find('.');
    if (dot == std::string_view::npos) break;
    suffix.remove_prefix(dot + 1);
  }
}

}  // namespace emotriage::intel
