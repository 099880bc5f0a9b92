#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../dropper/read_file.hpp"
#include "core/hash.hpp"
#include "intel/intel.hpp"
#include "intel/ioc_normalize.hpp"

namespace emotriage::intel {
namespace {

using test::read_file;

std::string data_path(std::string_view name) {
  return std::string(EMOTRIAGE_SOURCE_DIR) + "/tests/data/intel/" + std::string(name);
}

IocSet load(std::initializer_list<std::string_view> names) {
  std::vector<std::string> files;
  for (std::string_view name : names) files.push_back(data_path(name));
  auto set = IocSet::load(files);
  if (!set) ADD_FAILURE() << set.error().source << ": " << set.error().message_en;
  return set ? *set : IocSet{};
}

std::vector<core::Finding> url_findings(const IocSet& set, std::string_view url) {
  std::vector<core::Finding> findings;
  set.match_url(url, findings);
  return findings;
}

std::vector<core::Finding> ip_findings(const IocSet& set, std::string_view ip) {
  std::vector<core::Finding> findings;
  set.match_ip(ip, std::string("Received: from x [") + std::string(ip) + "]", findings);
  return findings;
}

TEST(IocNormalize, Refang) {
  EXPECT_EQ(refang("hxxps://dl[.]bad-host[.]example/a"), "https://dl.bad-host.example/a");
  EXPECT_EQ(refang("HXXP://a(.)example[:]8080/x"), "http://a.example:8080/x");
  EXPECT_EQ(refang("  \"evil[dot]example\"  "), "evil.example");
}

TEST(IocNormalize, UrlKey) {
  EXPECT_EQ(normalize_url("HTTP://WWW.Example.COM:80/Path?q=1#frag"), "www.example.com/Path?q=1");
  EXPECT_EQ(normalize_url("https://user:pw@example.com"), "example.com/");
  EXPECT_EQ(normalize_url("https://example.com:8443/a"), "example.com:8443/a");
  EXPECT_EQ(normalize_url("http://[2001:DB8::1]/a"), "[2001:db8::1]/a");
  EXPECT_EQ(normalize_url("http://例え.テスト/a"), "xn--r8jz45g.xn--zckzah/a");
  EXPECT_FALSE(normalize_url("http://"));
  EXPECT_FALSE(normalize_url("http://exa mple.com/"));
  EXPECT_FALSE(normalize_url("http://example.com:99999999/"));
}

TEST(IocNormalize, Ip) {
  EXPECT_EQ(normalize_ip("[IPv6:2001:0db8:0000::0010]"), std::nullopt);
  EXPECT_EQ(normalize_ip("IPv6:2001:0db8:0000::0010"), "2001:db8::10");
  EXPECT_EQ(normalize_ip("[2001:db8::10]"), "2001:db8::10");
  EXPECT_EQ(normalize_ip("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_FALSE(normalize_ip("192.0.2"));
  EXPECT_FALSE(normalize_ip("999.1.1.1"));
}

TEST(IocNormalize, Classify) {
  EXPECT_EQ(classify_indicator(std::string(64, 'A'))->kind, IndicatorKind::hash);
  EXPECT_EQ(classify_indicator("198.51.100.7:8080")->value, "198.51.100.7");
  EXPECT_EQ(classify_indicator("example.com/dl/a.zip")->value, "example.com/dl/a.zip");
  EXPECT_EQ(classify_indicator("*.wild.example.org")->value, "wild.example.org");
  EXPECT_FALSE(classify_indicator("localhost"));
  EXPECT_FALSE(classify_indicator("abcdef12345"));
}

TEST(Ioc, PlainListWithDefangedEntriesAndBadLines) {
  IocSet set = load({"plain-list.txt"});
  ASSERT_EQ(set.files().size(), 1u);
  const IocFileStats& stats = set.files()[0];
  EXPECT_EQ(stats.format, "list");
  EXPECT_EQ(stats.entries, 11u);
  EXPECT_EQ(stats.bad_lines, 4u);
  EXPECT_EQ(stats.first_bad_lines, (std::vector<std::size_t>{19, 20, 21, 22}));
  EXPECT_EQ(set.size(), 11u);

  EXPECT_EQ(url_findings(set, "http://malicious.example.com/invoice/doc.zip").size(), 1u);
  // Same resource over https with an explicit default port and a fragment.
  EXPECT_EQ(url_findings(set, "https://MALICIOUS.example.com:443/invoice/doc.zip#x").size(), 1u);
  EXPECT_EQ(url_findings(set, "https://dl.bad-host.example/payload.bin").size(), 1u);
  EXPECT_TRUE(url_findings(set, "http://malicious.example.com/other").empty());
  // Listed domains cover their subdomains, and only those.
  auto by_domain = url_findings(set, "https://cdn.evil.example/x.zip");
  ASSERT_EQ(by_domain.size(), 1u);
  EXPECT_EQ(by_domain[0].id, "ioc.url");
  EXPECT_EQ(by_domain[0].severity, core::Severity::high);
  EXPECT_NE(by_domain[0].message_en.find("evil.example"), std::string::npos);
  EXPECT_NE(by_domain[0].evidence.find("plain-list.txt:13"), std::string::npos);
  EXPECT_TRUE(url_findings(set, "https://notevil.example/").empty());
  EXPECT_EQ(url_findings(set, "http://a.wild.example.org/").size(), 1u);
  EXPECT_EQ(url_findings(set, "http://example-upper.example.net/").size(), 1u);
  EXPECT_EQ(url_findings(set, "http://www.例え.テスト/").size(), 1u);
  // A URL with a listed IP host is an ioc.ip.
  auto by_ip = url_findings(set, "http://192.0.2.10/a.doc");
  ASSERT_EQ(by_ip.size(), 1u);
  EXPECT_EQ(by_ip[0].id, "ioc.ip");

  EXPECT_EQ(ip_findings(set, "192.0.2.10").size(), 1u);
  EXPECT_EQ(ip_findings(set, "IPv6:2001:db8:0::10").size(), 1u);
  EXPECT_EQ(ip_findings(set, "198.51.100.7").size(), 1u);
  EXPECT_TRUE(ip_findings(set, "192.0.2.11").empty());
}

TEST(Ioc, HashOfAKnownFile) {
  IocSet set = load({"plain-list.txt"});
  std::string payload = read_file(data_path("known-payload.txt"));
  core::Attachment node;
  node.part = "2";
  node.path = "invoice.zip/known-payload.txt";
  node.sha256 = core::sha256_hex(payload);
  node.md5 = core::md5_hex(payload);
  std::vector<core::Finding> findings;
  set.match_attachment(node, findings);
  ASSERT_EQ(findings.size(), 2u);  // sha256 and the upper-case md5 line
  EXPECT_EQ(findings[0].id, "ioc.hash");
  EXPECT_EQ(findings[0].part, "2");
  EXPECT_NE(findings[0].message_ja.find("invoice.zip/known-payload.txt"), std::string::npos);

  core::Attachment other;
  other.sha256 = core::sha256_hex("something else");
  findings.clear();
  set.match_attachment(other, findings);
  EXPECT_TRUE(findings.empty());
}

TEST(Ioc, FeodoCsv) {
  IocSet set = load({"feodo-ipblocklist.csv"});
  const IocFileStats& stats = set.files()[0];
  EXPECT_EQ(stats.format, "feodo-csv");
  EXPECT_EQ(stats.entries, 2u);
  EXPECT_EQ(stats.bad_lines, 1u);
  auto findings = ip_findings(set, "192.0.2.50");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "ioc.ip");
  EXPECT_NE(findings[0].evidence.find("feodo-ipblocklist.csv:6, Emotet"), std::string::npos);
  EXPECT_NE(findings[0].evidence.find("Received: from x"), std::string::npos);
}

TEST(Ioc, UrlhausCsv) {
  IocSet set = load({"urlhaus.csv"});
  const IocFileStats& stats = set.files()[0];
  EXPECT_EQ(stats.format, "urlhaus-csv");
  EXPECT_EQ(stats.entries, 2u);
  EXPECT_EQ(stats.bad_lines, 1u);
  auto findings = url_findings(set, "https://files.example.org/share/Invoice.one");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].evidence.find("malware_download"), std::string::npos);
  EXPECT_EQ(url_findings(set, "http://203.0.113.5/wp-content/a.zip").size(), 1u);
  // URLhaus lists URLs, not hosts.
  EXPECT_TRUE(url_findings(set, "https://files.example.org/other").empty());
}

TEST(Ioc, MalwareBazaarCsv) {
  IocSet set = load({"malwarebazaar.csv"});
  const IocFileStats& stats = set.files()[0];
  EXPECT_EQ(stats.format, "malwarebazaar-csv");
  EXPECT_EQ(stats.entries, 6u);
  EXPECT_EQ(stats.bad_lines, 1u);
  std::string payload = read_file(data_path("known-payload.txt"));
  core::Attachment node;
  std::vector<core::Finding> findings;
  set.match_hash("C6952769EC4BF8653D8E267A589E37CD970D74BE", node, findings);  // its sha1
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].evidence.find("Heodo"), std::string::npos);
  findings.clear();
  set.match_hash(std::string(40, 'c'), node, findings);
  ASSERT_EQ(findings.size(), 1u);
  // "n/a" is no family name.
  EXPECT_EQ(findings[0].evidence.find("n/a"), std::string::npos);
}

TEST(Ioc, SeveralFilesTogether) {
  IocSet set =
      load({"plain-list.txt", "feodo-ipblocklist.csv", "urlhaus.csv", "malwarebazaar.csv"});
  EXPECT_EQ(set.files().size(), 4u);
  EXPECT_EQ(set.size(), 11u + 2u + 2u + 6u - 2u);  // the fixture's sha256 and md5 are in two files
  EXPECT_EQ(ip_findings(set, "198.51.100.23").size(), 1u);
}

TEST(Ioc, MissingFileIsAnError) {
  auto set = IocSet::load({data_path("does-not-exist.txt")});
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().source, data_path("does-not-exist.txt"));
}

TEST(Ioc, OverlongAndCarriageReturnLines) {
  std::string text =
      "\xEF\xBB\xBF"
      "evil.example\r\n" +
      std::string(20000, 'a') + "\nok.example";
  IocSet set = IocSet::parse("inline", text);
  EXPECT_EQ(set.files()[0].entries, 2u);
  EXPECT_EQ(set.files()[0].bad_lines, 1u);
  EXPECT_EQ(set.files()[0].first_bad_lines, std::vector<std::size_t>{2});

  // The file reader splits the same way across its read chunks.
  auto path = std::filesystem::temp_directory_path() / "emotriage-ioc-overlong.txt";
  std::ofstream(path, std::ios::binary) << text << "\n" << std::string(3 << 20, 'b');
  auto loaded = IocSet::load({path.string()});
  std::filesystem::remove(path);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->files()[0].entries, 2u);
  EXPECT_EQ(loaded->files()[0].bad_lines, 2u);
}

TEST(Ioc, EmptySetMatchesNothing) {
  IocSet set;
  EXPECT_EQ(set.size(), 0u);
  EXPECT_TRUE(url_findings(set, "http://evil.example/").empty());
  EXPECT_TRUE(set.files().empty());
}

}  // namespace
}  // namespace emotriage::intel
