// URL extraction from Japanese and English text, and download-link classification.
#include <gtest/gtest.h>

#include "evidence/evidence.hpp"
#include "evidence/urls.hpp"

namespace emotriage::evidence {
namespace {

using Urls = std::vector<std::string>;

TEST(ExtractUrls, StopsAtJapanesePunctuationAndTrimsTails) {
  EXPECT_EQ(extract_urls("こちら（https://example.com/a.zip）から。詳細はhttp://example.org/x。"),
            (Urls{"https://example.com/a.zip", "http://example.org/x"}));
  EXPECT_EQ(extract_urls("See https://example.com/path)."), Urls{"https://example.com/path"});
  EXPECT_EQ(extract_urls("(see https://en.wikipedia.org/wiki/A_(b))"),
            Urls{"https://en.wikipedia.org/wiki/A_(b)"});
}

TEST(ExtractUrls, DefangedWwwAndFtp) {
  EXPECT_EQ(extract_urls("hxxp://bad.example/x.doc and www.example.jp/top, ftp://f.example/"),
            (Urls{"hxxp://bad.example/x.doc", "www.example.jp/top", "ftp://f.example/"}));
}

TEST(ExtractUrls, DeduplicatedAndBareSchemesIgnored) {
  EXPECT_EQ(extract_urls("http:// and http://a.example http://a.example awww.x"),
            Urls{"http://a.example"});
}

TEST(ExtractUrls, Bounded) {
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "http://h" + std::to_string(i) + ".example/ ";
  EXPECT_EQ(extract_urls(many).size(), kMaxUrls);
}

TEST(DownloadLink, Extensions) {
  EXPECT_TRUE(is_download_link("https://shop.example/files/請求書.zip"));
  EXPECT_TRUE(is_download_link("http://x.example/INV_2022.XLSM?id=3"));
  EXPECT_TRUE(is_download_link("http://x.example/a%2Ejs"));
  EXPECT_TRUE(is_download_link("hxxp://x.example/run.hta#top"));
  EXPECT_EQ(download_reason("https://x.example/doc.pdf"), "extension .pdf");
  EXPECT_TRUE(is_weak_download_reason(download_reason("https://x.example/doc.pdf")));
}

TEST(DownloadLink, SharingHostsAndIp) {
  EXPECT_TRUE(is_download_link("https://drive.google.com/file/d/abc/view"));
  EXPECT_TRUE(is_download_link("https://contoso-my.sharepoint.com/:u:/g/x"));
  EXPECT_TRUE(is_download_link("https://1drv.ms/u/s!abc"));
  EXPECT_TRUE(is_download_link("https://docs.google.com/document/d/x/export?format=doc"));
  EXPECT_TRUE(is_download_link("http://203.0.113.7/x"));
  EXPECT_TRUE(is_download_link("http://[2001:db8::1]:8080/x"));
  EXPECT_EQ(download_reason("https://www.dropbox.com/s/x/file"), "file-sharing host dropbox.com");
}

TEST(DownloadLink, OrdinaryPagesAreNot) {
  EXPECT_FALSE(is_download_link("https://www.example.co.jp/company/"));
  EXPECT_FALSE(is_download_link("https://docs.google.com/document/d/x/edit"));
  EXPECT_FALSE(is_download_link("https://notdropbox.com/x"));
  EXPECT_FALSE(is_download_link("https://example.com/zip"));
  EXPECT_FALSE(is_download_link("https://example.com/?file=a.zip"));
}

TEST(SplitUrl, UserinfoPortAndCase) {
  UrlParts parts = split_url("HTTP://user:pw@Example.COM.:8080/a/b.zip?x=1#f");
  EXPECT_EQ(parts.scheme, "http");
  EXPECT_EQ(parts.host, "example.com");
  EXPECT_EQ(parts.path, "/a/b.zip");
  EXPECT_EQ(parts.query, "x=1");
}

}  // namespace
}  // namespace emotriage::evidence
