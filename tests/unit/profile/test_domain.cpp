// Registrable domains, IDN, lookalike techniques and free-mail providers.
#include <gtest/gtest.h>

#include "profile/domain.hpp"
#include "profile/matcher.hpp"
#include "profile/net.hpp"

namespace emotriage::profile {
namespace {

Profile sample_profile() {
  Profile profile;
  profile.company.name = "株式会社サンプル商事";
  profile.company.name_en = "Sample Shoji Co., Ltd.";
  profile.company.domains = {"sample-shoji.example", "sample-shoji.co.jp"};
  profile.company.mail_servers = {"mail.sample-shoji.example", "192.0.2.25", "198.51.100.0/28",
                                  "2001:db8:25::/48"};
  profile.partners.push_back({"取引先株式会社", {"partner.example"}, "it@partner.example"});
  profile.partners.push_back({"株式会社ミナト物流", {"minato-logi.example"}, ""});
  return profile;
}

TEST(RegistrableDomain, UsesThePublicSuffixList) {
  EXPECT_EQ(registrable_domain("sample-shoji.example"), "sample-shoji.example");
  EXPECT_EQ(registrable_domain("mail.sample-shoji.example"), "sample-shoji.example");
  EXPECT_EQ(registrable_domain("www.foo.co.jp"), "foo.co.jp");
  EXPECT_EQ(registrable_domain("A.B.Example.COM."), "example.com");
  EXPECT_EQ(registrable_domain("co.jp"), "co.jp");
  EXPECT_EQ(registrable_domain("メール.例え.jp"), "xn--r8jz45g.jp");
}

TEST(AddressDomain, LowerCaseAndIdn) {
  EXPECT_EQ(address_domain("T.Yamada@Sample-Shoji.Example"), "sample-shoji.example");
  EXPECT_EQ(address_domain("<x@例え.jp>"), "xn--r8jz45g.jp");
  EXPECT_EQ(address_domain("no-at-sign"), "");
}

struct LookalikeCase {
  std::string_view domain;
  DomainKind kind;
  std::string_view technique;  // prefix of the expected technique; empty for no lookalike
};

class Classify : public ::testing::TestWithParam<LookalikeCase> {};

TEST_P(Classify, Domain) {
  static const Matcher matcher(sample_profile());
  DomainMatch match = matcher.classify_domain(GetParam().domain);
  EXPECT_EQ(match.kind, GetParam().kind) << GetParam().domain << " technique " << match.technique;
  EXPECT_TRUE(match.technique.starts_with(GetParam().technique))
      << GetParam().domain << ": " << match.technique;
}

INSTANTIATE_TEST_SUITE_P(
    OwnPartnerLookalike, Classify,
    ::testing::Values(
        LookalikeCase{"sample-shoji.example", DomainKind::own, ""},
        LookalikeCase{"MAIL.Sample-Shoji.Example.", DomainKind::own, ""},
        LookalikeCase{"partner.example", DomainKind::partner, ""},
        LookalikeCase{"smtp.partner.example", DomainKind::partner, ""},
        LookalikeCase{"partner.exarnple", DomainKind::lookalike_partner, "homoglyph rn/m"},
        LookalikeCase{"sarnple-shoji.example", DomainKind::lookalike_own, "homoglyph rn/m"},
        LookalikeCase{"samp1e-shoji.example", DomainKind::lookalike_own, "homoglyph l/1/i"},
        LookalikeCase{"sample-sh0ji.example", DomainKind::lookalike_own, "homoglyph 0/o"},
        LookalikeCase{"sampleshoji.example", DomainKind::lookalike_own, "hyphen"},
        LookalikeCase{"sample.shoji.example", DomainKind::lookalike_own, "hyphen"},
        LookalikeCase{"sample-shoji.com", DomainKind::lookalike_own, "tld-swap"},
        LookalikeCase{"sample-shoji.jp", DomainKind::lookalike_own, "tld-swap"},
        LookalikeCase{"sample-shoij.example", DomainKind::lookalike_own, "edit-distance-1"},
        LookalikeCase{"sample-shoj.example", DomainKind::lookalike_own, "edit-distance-1"},
        LookalikeCase{"sanple-shoi.example", DomainKind::lookalike_own, "edit-distance-2"},
        LookalikeCase{"minato-iogi.example", DomainKind::lookalike_partner, "homoglyph"},
        // Cyrillic а and о in place of Latin a and o.
        LookalikeCase{"s\xD0\xB0mple-sh\xD0\xBEji.example", DomainKind::lookalike_own,
                      "homoglyph idn"},
        // Our whole domain at the front of someone else's: registered by whoever owns
        // example.com, shown to the reader as ours.
        LookalikeCase{"sample-shoji.example.com", DomainKind::lookalike_own, "embedded-name"},
        LookalikeCase{"sample-shoji-secure.com", DomainKind::lookalike_own, "embedded-name"},
        LookalikeCase{"gmail.com", DomainKind::freemail, ""},
        LookalikeCase{"i.softbank.jp", DomainKind::freemail, ""},
        LookalikeCase{"gmx.de", DomainKind::freemail, ""},
        LookalikeCase{"yahoo.co.jp", DomainKind::freemail, ""},
        LookalikeCase{"abc.jp", DomainKind::other, ""},
        LookalikeCase{"example.com", DomainKind::other, ""},
        LookalikeCase{"shoji.example", DomainKind::other, ""},
        LookalikeCase{"partners-network.org", DomainKind::other, ""},
        LookalikeCase{"bigcorp.co.jp", DomainKind::other, ""}));

TEST(Classify, ShortLabelsNeedMoreThanOneEdit) {
  Profile profile;
  profile.company.domains = {"abc.jp"};
  Matcher matcher(profile);
  EXPECT_EQ(matcher.classify_domain("abd.jp").kind, DomainKind::other);
  EXPECT_EQ(matcher.classify_domain("abc.jp").kind, DomainKind::own);
}

TEST(Classify, MalformedInputIsOther) {
  Matcher matcher(sample_profile());
  EXPECT_EQ(matcher.classify_domain("").kind, DomainKind::other);
  EXPECT_EQ(matcher.classify_domain("a..b").kind, DomainKind::other);
  EXPECT_EQ(matcher.classify_domain(std::string(1000, 'a')).kind, DomainKind::other);
}

TEST(DamerauDistance, CountsTranspositionAsOne) {
  EXPECT_EQ(damerau_distance("shoji", "shjoi", 2), 1);
  EXPECT_EQ(damerau_distance("shoji", "hsoij", 2), 2);
  EXPECT_EQ(damerau_distance("shoji", "shoji", 2), 0);
  EXPECT_EQ(damerau_distance("abc", "abcdef", 2), 3);  // over the bound: bound + 1
}

TEST(OwnServer, NamesAddressesAndRanges) {
  Matcher matcher(sample_profile());
  EXPECT_TRUE(matcher.is_own_server("mail.sample-shoji.example"));
  EXPECT_TRUE(matcher.is_own_server("MAIL.sample-shoji.example."));
  EXPECT_FALSE(matcher.is_own_server("mail2.sample-shoji.example"));
  EXPECT_TRUE(matcher.is_own_server("192.0.2.25"));
  EXPECT_TRUE(matcher.is_own_server("[192.0.2.25]"));
  EXPECT_TRUE(matcher.is_own_server("::ffff:192.0.2.25"));
  EXPECT_FALSE(matcher.is_own_server("192.0.2.26"));
  EXPECT_TRUE(matcher.is_own_server("198.51.100.15"));
  EXPECT_FALSE(matcher.is_own_server("198.51.100.16"));
  EXPECT_TRUE(matcher.is_own_server("[IPv6:2001:db8:25::1]"));
  EXPECT_TRUE(matcher.is_own_server("2001:DB8:25:ffff::9"));
  EXPECT_FALSE(matcher.is_own_server("2001:db8:26::1"));
  EXPECT_FALSE(matcher.is_own_server(""));
}

TEST(Cidr, RejectsHostBitsAndBadPrefixes) {
  EXPECT_TRUE(parse_cidr("198.51.100.0/28").has_value());
  EXPECT_FALSE(parse_cidr("198.51.100.1/28").has_value());
  EXPECT_FALSE(parse_cidr("198.51.100.0/33").has_value());
  EXPECT_FALSE(parse_cidr("198.51.100.0/").has_value());
  EXPECT_TRUE(parse_cidr("2001:db8::/32").has_value());
  EXPECT_TRUE(parse_cidr("0.0.0.0/0").has_value());
}

TEST(Freemail, StaticCheck) {
  EXPECT_TRUE(Matcher::is_freemail("Gmail.com"));
  EXPECT_TRUE(Matcher::is_freemail("docomo.ne.jp"));
  EXPECT_FALSE(Matcher::is_freemail("softbank.jp"));
  EXPECT_FALSE(Matcher::is_freemail("sample-shoji.example"));
}

}  // namespace
}  // namespace emotriage::profile
