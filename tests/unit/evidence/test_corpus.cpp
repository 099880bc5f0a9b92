// collect() over every RFC 822 mail of the shared corpus (INDEX.tsv kind "rfc822"): no crash,
// bounded output, and a matcher with an empty profile finds no identity of ours in them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "evidence/evidence.hpp"
#include "mime/parser.hpp"

namespace emotriage::evidence {
namespace {

TEST(Corpus, EveryMailCollectsBounded) {
  std::filesystem::path corpus(EMOTRIAGE_CORPUS_DIR);
  std::ifstream index(corpus / "INDEX.tsv");
  if (!index) GTEST_SKIP() << "no shared corpus at " << corpus;
  profile::Profile profile;
  profile.company.name = "株式会社サンプル商事";
  profile.company.domains = {"sample-shoji.example"};
  profile.company.mail_servers = {"mail.sample-shoji.example"};
  profile.employees.push_back({{"山田 太郎"}, {"t.yamada@sample-shoji.example"}, ""});
  const profile::Matcher matcher(std::move(profile));
  mime::initialize();

  std::size_t mails = 0, with_urls = 0;
  std::string line;
  std::getline(index, line);  // header
  while (std::getline(index, line)) {
    std::istringstream fields(line);
    std::string path, kind;
    std::getline(fields, path, '\t');
    std::getline(fields, kind, '\t');
    if (kind != "rfc822") continue;
    std::ifstream in(corpus / path, std::ios::binary);
    std::stringstream raw;
    raw << in.rdbuf();
    core::Message message = mime::parse_message(raw.str(), path, core::Limits{});
    Evidence evidence = collect(message, matcher);
    ++mails;
    with_urls += evidence.urls.empty() ? 0 : 1;
    EXPECT_LE(evidence.findings.size(), kMaxFindings) << path;
    EXPECT_LE(evidence.urls.size(), 500u) << path;
    EXPECT_LE(evidence.quoted_participants.size(), 100u) << path;
    for (const core::Finding& finding : evidence.findings) {
      EXPECT_FALSE(finding.message_ja.empty()) << path << " " << finding.id;
      EXPECT_FALSE(finding.message_en.empty()) << path << " " << finding.id;
      // Nobody in the corpus is our employee or uses our domain.
      EXPECT_NE(finding.id, "identity.employee-in-display-name") << path;
      EXPECT_NE(finding.id, "sender.own-domain") << path;
    }
  }
  EXPECT_GT(mails, 1000u);
  EXPECT_GT(with_urls, 100u);  // phishing_pot mails are full of links
}

}  // namespace
}  // namespace emotriage::evidence
