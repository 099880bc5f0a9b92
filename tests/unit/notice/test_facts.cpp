#include <gtest/gtest.h>

#include <algorithm>

#include <fstream>

#include "notice/facts.hpp"
#include "profile/profile.hpp"

namespace emotriage::notice {
namespace {

using Json = nlohmann::ordered_json;

profile::Profile example_profile() {
  auto loaded = profile::load_profile(EMOTRIAGE_SOURCE_DIR "/examples/profile.toml");
  EXPECT_TRUE(loaded.has_value());
  return loaded ? *loaded : profile::Profile{};
}

Json fixture(const std::string& name) {
  std::ifstream in(EMOTRIAGE_SOURCE_DIR "/tests/data/notice/" + name);
  return Json::parse(in);
}

TEST(NoticeFacts, CampaignExtensionIsUsed) {
  Json facts = build_facts(fixture("campaign-extension.json"), example_profile(), report::Lang::ja);
  ASSERT_EQ(facts["sender_groups"].size(), 2u);
  const Json& gmail = facts["sender_groups"][0];
  EXPECT_EQ(gmail["provider"], "Gmail (Google)");
  EXPECT_EQ(gmail["abuse_form"], "https://support.google.com/mail/contact/abuse");
  EXPECT_EQ(gmail["abuse_address"], "");
  EXPECT_EQ(gmail["evidence"].size(), 1u);
  EXPECT_EQ(gmail["evidence"][0]["authentication"], "Authentication-Results: mx; dkim=fail");
  EXPECT_EQ(facts["freemail_providers"].size(), 1u);
  EXPECT_EQ(facts["partners_in_threads"][0]["contact"], "it@partner.example");
  EXPECT_EQ(facts["our_addresses"].size(), 2u);
  EXPECT_EQ(facts["accounts_to_reset"][0]["certainty"], "confirmed");
  EXPECT_EQ(facts["employees_impersonated"][0]["where"], "display-name, quoted-thread");
  // Internal signals are not shown to readers outside.
  ASSERT_EQ(facts["techniques"].size(), 1u);
  EXPECT_EQ(facts["techniques"][0]["label"], "マクロ付きの Office 文書 (Word/Excel)");
  EXPECT_EQ(facts["period"]["first_date"], "2022-03-05");
  EXPECT_TRUE(facts["has_forged_senders"].get<bool>());
}

TEST(NoticeFacts, LookalikeAndPretendingSenders) {
  Json analysis = fixture("campaign-extension.json");
  // An outside sender under a partner's name does not pretend to be us: not in the list.
  analysis["campaign"]["forged_senders"].push_back(
      {{"address", "x@malspam.example"}, {"display_name", "取引先株式会社 中村"}, {"messages", 1}});
  analysis["campaign"]["forged_senders"].push_back({{"address", "y@malspam.example"},
                                                    {"display_name", "株式会社サンプル商事"},
                                                    {"messages", 1}});
  Json facts = build_facts(analysis, example_profile(), report::Lang::en);
  std::vector<std::string> forged;
  for (const auto& entry : facts["forged_senders"]) forged.push_back(entry["address"]);
  std::sort(forged.begin(), forged.end());
  EXPECT_EQ(forged, (std::vector<std::string>{"k.sato@sarnple-shoji.example", "y@malspam.example",
                                              "yamada.taro.1978@gmail.com"}));
  const Json& lookalike = facts["sender_groups"][1];
  EXPECT_EQ(lookalike["imitates"], "sample-shoji.example");
  EXPECT_TRUE(lookalike["imitates_ours"].get<bool>());
  EXPECT_TRUE(lookalike["impersonates_us"].get<bool>());
  EXPECT_EQ(facts["sender_groups"][0]["imitates"], "");
  EXPECT_TRUE(facts["identity_involved"].get<bool>());
}

TEST(NoticeFacts, OutsideMalspamOnlyDoesNotInvolveOurIdentity) {
  Json analysis = fixture("campaign-extension.json");
  analysis["campaign"]["scenarios"] = {{"external-malspam", 2}, {"not-suspicious", 1}};
  EXPECT_FALSE(
      build_facts(analysis, example_profile(), report::Lang::en)["identity_involved"].get<bool>());
}

TEST(NoticeFacts, DerivedFromMessagesWithoutTheExtension) {
  Json analysis = fixture("campaign-extension.json");
  Json& campaign = analysis["campaign"];
  for (auto key : {"sender_groups", "partners_in_threads", "forged_senders", "our_addresses",
                   "techniques", "employees_impersonated", "first_seen", "last_seen"}) {
    campaign.erase(key);
  }
  Json facts = build_facts(analysis, example_profile(), report::Lang::en);
  ASSERT_EQ(facts["sender_groups"].size(), 2u);
  EXPECT_EQ(facts["sender_groups"][0]["kind"], "freemail");
  EXPECT_EQ(facts["sender_groups"][0]["abuse_address"], "abuse@gmail.com");
  EXPECT_EQ(facts["sender_groups"][1]["abuse_address"], "abuse@sarnple-shoji.example");
  EXPECT_EQ(facts["forged_senders"].size(), 2u);
  EXPECT_EQ(facts["period"]["first_seen"], "2022-03-05T09:55:10+09:00");
  EXPECT_EQ(facts["period"]["last_seen"], "2022-03-06T10:00:00+09:00");
  EXPECT_EQ(facts["company"]["name"], "Sample Shoji Co., Ltd.");
}

void expect_one_line(const Json& value) {
  if (value.is_string()) {
    for (char c : value.get<std::string>()) {
      EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 || c == '\t') << value;
    }
    EXPECT_EQ(value.get<std::string>().find("\u202e"), std::string::npos);
  }
  if (value.is_structured()) {
    for (const auto& item : value) expect_one_line(item);
  }
}

TEST(NoticeFacts, HostileValuesAreInert) {
  Json facts = build_facts(fixture("hostile.json"), example_profile(), report::Lang::ja);
  expect_one_line(facts);
  std::string dumped = facts.dump();
  EXPECT_NE(dumped.find("\\\\u202e"), std::string::npos);
  EXPECT_NE(dumped.find("{{company.name}}"), std::string::npos);  // kept as data
}

TEST(NoticeFacts, AnythingInNothingThrown) {
  auto company = example_profile();
  for (const char* text :
       {"null", "[]", "{}", "{\"messages\":5}", "{\"messages\":[1,\"x\",{}]}",
        "{\"messages\":[{\"verdict\":{\"suspicious\":true},\"from\":{\"address\":7}}],"
        "\"campaign\":{\"sender_groups\":[{\"domain\":\"\"},{\"domain\":\"x\",\"addresses\":[1]}],"
        "\"forged_senders\":\"no\",\"techniques\":[{\"target\":5}],\"messages\":-1}}"}) {
    EXPECT_NO_THROW(build_facts(Json::parse(text), company, report::Lang::en)) << text;
  }
}

TEST(NoticeFacts, CleanValueBoundsAndEscapes) {
  EXPECT_EQ(clean_value("a\r\nb"), "a\\r\\nb");
  EXPECT_EQ(clean_value(std::string("\xff\xfe", 2)), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_LE(clean_value(std::string(10000, 'x')).size(), kMaxValueBytes + 3);
}

}  // namespace
}  // namespace emotriage::notice
