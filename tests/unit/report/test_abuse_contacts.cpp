// data/abuse-contacts.toml: loading, validation and the provider of a mail domain.
#include <gtest/gtest.h>

#include "report/abuse_contacts.hpp"

namespace emotriage::report {
namespace {

TEST(AbuseContacts, TheShippedFileNamesEveryRequiredProvider) {
  auto contacts =
      AbuseContacts::load(std::string(EMOTRIAGE_SOURCE_DIR) + "/data/abuse-contacts.toml");
  ASSERT_TRUE(contacts.has_value()) << contacts.error().message_en;
  // One address of each provider the campaign spec requires.
  for (std::string_view domain :
       {"gmail.com",     "yahoo.co.jp",  "outlook.com",   "hotmail.co.jp", "icloud.com",
        "docomo.ne.jp",  "ezweb.ne.jp",  "i.softbank.jp", "ocn.ne.jp",     "nifty.com",
        "biglobe.ne.jp", "so-net.ne.jp", "plala.or.jp",   "yahoo.com",     "aol.com",
        "gmx.net",       "mail.ru",      "yandex.ru",     "qq.com",        "163.com"}) {
    const MailProvider* provider = contacts->provider_for(domain);
    ASSERT_NE(provider, nullptr) << domain;
    EXPECT_FALSE(provider->abuse.empty()) << domain;
    EXPECT_FALSE(provider->source.empty()) << domain;
  }
  EXPECT_EQ(contacts->provider_for("gmail.com")->name, "Gmail (Google)");
  EXPECT_EQ(contacts->provider_for("GoogleMail.com")->name, "Gmail (Google)");
}

TEST(AbuseContacts, SubDomainsAndBrandsMatchLookalikesDoNot) {
  auto contacts = AbuseContacts::parse(R"toml([[provider]]
name = "SoftBank"
domains = ["softbank.ne.jp", "i.softbank.jp"]
abuse = "x"
source = "y"

[[provider]]
name = "GMX"
domains = ["gmx.net"]
brands = ["gmx"]
abuse = "abuse@gmx.net"
source = "y"
)toml",
                                       "t.toml");
  ASSERT_TRUE(contacts.has_value());
  EXPECT_EQ(contacts->provider_for("i.softbank.jp")->name, "SoftBank");
  EXPECT_EQ(contacts->provider_for("mail.softbank.ne.jp")->name, "SoftBank");
  EXPECT_EQ(contacts->provider_for("gmx.de")->name, "GMX");
  EXPECT_EQ(contacts->provider_for("softbank.ne.jp.evil.example"), nullptr);
  EXPECT_EQ(contacts->provider_for("notsoftbank.ne.jp"), nullptr);
  EXPECT_EQ(contacts->provider_for("gmx-login.example"), nullptr);
  EXPECT_EQ(contacts->provider_for(""), nullptr);
}

TEST(AbuseContacts, IncompleteOrBrokenFilesAreErrors) {
  EXPECT_FALSE(
      AbuseContacts::parse("[[provider]]\nname = \"x\"\ndomains = [\"a.example\"]\n"
                           "abuse = \"abuse@a.example\"\n",
                           "t.toml"));  // no source
  EXPECT_FALSE(AbuseContacts::parse("[[provider]\n", "t.toml"));
  EXPECT_FALSE(AbuseContacts::parse("", "t.toml"));
  EXPECT_FALSE(AbuseContacts::load("/nonexistent/abuse-contacts.toml"));
}

}  // namespace
}  // namespace emotriage::report
