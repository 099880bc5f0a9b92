// Matching against knowledge from outside the mail: YARA rules (the project's rules/ and the
// user's --yara DIR) and IOC lists (--ioc FILE: hashes, URLs, IPs, domains; Feodo Tracker,
// URLhaus and MalwareBazaar CSV exports).
#pragma once
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/attachment.hpp"
#include "core/finding.hpp"

namespace emotriage::intel {

struct LoadError {
  std::string source;  // file (and line) that failed
  std::string message_ja, message_en;
};

// The project's own rules: $EMOTRIAGE_RULES, else rules/ in the source tree the binary was built
// from.
std::string builtin_rules_dir();

// Compiled rules; scanning is thread-safe (one scanner per call).
class YaraRules {
 public:
  static std::expected<YaraRules, LoadError> load(const std::vector<std::string>& rule_dirs);
  ~YaraRules();
  YaraRules(YaraRules&&) noexcept;
  YaraRules& operator=(YaraRules&&) noexcept;
  // Adds one yara.match finding per matching rule (rule name, tags, description meta).
  // Bytes seen before (same SHA-256, whole object) are not scanned again: the rules that matched
  // them are reported for this object (a scan that timed out is not remembered).
  void scan(std::string_view bytes, const core::Attachment& node,
            std::vector<core::Finding>& findings) const;
  std::size_t rule_count() const;
  // Scans answered from the results kept by SHA-256.
  std::uint64_t cached_scans() const;

 private:
  YaraRules();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What one IOC file contributed: its detected format, how many indicators, how many lines were
// not understood (counted and listed, never fatal).
struct IocFileStats {
  std::string source;  // file name as given
  std::string format;  // "list", "feodo-csv", "urlhaus-csv", "malwarebazaar-csv"
  std::size_t entries = 0;
  std::size_t bad_lines = 0;
  std::vector<std::size_t> first_bad_lines;  // line numbers, the first few only
};

class IocSet {
 public:
  static std::expected<IocSet, LoadError> load(const std::vector<std::string>& files);
  // Parses one file's text (what load does per file; for tests and fuzzing).
  static IocSet parse(std::string_view source_name, std::string_view text);
  std::size_t size() const;
  const std::vector<IocFileStats>& files() const;
  // ioc.hash when sha256/md5/sha1 of a node is listed.
  void match_attachment(const core::Attachment& node, std::vector<core::Finding>& findings) const;
  // ioc.hash for any listed digest (sha256, sha1 or md5 hex), e.g. one the caller computed.
  void match_hash(std::string_view hex_digest, const core::Attachment& node,
                  std::vector<core::Finding>& findings) const;
  // ioc.url for a listed URL (compared without scheme and default port, host lower-cased and
  // IDNA-encoded, fragment dropped) or a URL whose host is a listed domain or below it; ioc.ip
  // when the host is a listed IP.
  void match_url(std::string_view url, std::vector<core::Finding>& findings) const;
  // ioc.ip for a listed IP (Received hops, URLs with IP hosts); accepts "[v6]", "IPv6:..." and
  // IPv4-mapped IPv6.
  void match_ip(std::string_view ip, std::string_view evidence,
                std::vector<core::Finding>& findings) const;

 private:
  struct Data;
  std::shared_ptr<const Data> data_;
};

}  // namespace emotriage::intel
