// The checklist derived from real analyses of examples/incidents: the accounts to reset (two
// items each), the outside senders to contact, the PCs, the notice; stored twice, nothing doubles.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "app/pipeline.hpp"
#include "cases/checklist.hpp"
#include "cases/render.hpp"
#include "profile/matcher.hpp"

namespace emotriage::cases {
namespace {

std::vector<NewMail> analyse_incidents() {
  auto company = profile::load_profile(EMOTRIAGE_SOURCE_DIR "/examples/profile.toml");
  EXPECT_TRUE(company);
  profile::Matcher matcher(std::move(*company));
  app::AnalysisContext context;
  context.matcher = &matcher;
  app::BatchOptions options;
  options.analysis = &context;
  options.keep_raw = true;
  options.jobs = 2;
  std::vector<NewMail> mails;
  app::BatchEvents events{.message = {},
                          .analysis =
                              [&](verdict::Analysis&& a) {
                                mails.push_back(mail_from_analysis(a, &matcher.profile()));
                              },
                          .error = {},
                          .skipped = {},
                          .progress = {}};
  app::run_batch({EMOTRIAGE_SOURCE_DIR "/examples/incidents"}, options, events);
  return mails;
}

bool has(const std::vector<ItemSpec>& items, const std::string& key) {
  return std::ranges::any_of(items, [&](const ItemSpec& i) { return i.key == key; });
}

TEST(Checklist, ItemsFollowFromTheAnalyses) {
  auto mails = analyse_incidents();
  ASSERT_EQ(mails.size(), 14u);
  const NewMail& own = mails[0];  // 01-own-account-compromised
  ASSERT_FALSE(own.raw.empty());
  EXPECT_EQ(own.analyses.size(), 1u);
  EXPECT_EQ(own.analyses[0].scenario, "own-account-compromised");
  EXPECT_TRUE(has(own.items, "collect"));
  EXPECT_TRUE(has(own.items, "reset-mailbox:t.yamada@sample-shoji.example"));
  EXPECT_TRUE(has(own.items, "reset-smtp-auth:t.yamada@sample-shoji.example"));
  EXPECT_TRUE(has(own.items, "notice"));
  EXPECT_TRUE(has(own.items, "check-logs"));

  // A freemail sender using our employee's name: contact its owner, advise the quoted partner.
  const NewMail& misused = mails[2];
  EXPECT_EQ(misused.analyses[0].scenario, "identity-misused-external");
  EXPECT_TRUE(has(misused.items, "contact:yamada.taro.1978@gmail.com"));
  EXPECT_TRUE(has(misused.items, "advise-partner:取引先株式会社"));
  EXPECT_TRUE(has(misused.items, "check-pc:t.yamada@sample-shoji.example"));

  // Nothing suspicious: nothing to do beyond collecting it.
  const NewMail& clean = mails[9];
  EXPECT_EQ(clean.analyses[0].scenario, "not-suspicious");
  EXPECT_EQ(clean.items.size(), 2u);

  // The forward to IT carries the suspicious mail as an analysis of its own, part "#part=2".
  const NewMail& forward = mails[12];
  ASSERT_EQ(forward.analyses.size(), 2u);
  EXPECT_EQ(forward.analyses[1].part, "#part=2");
  EXPECT_EQ(forward.analyses[1].scenario, "identity-misused-external");
}

TEST(Checklist, StoringTheSameMailsAgainChangesNothing) {
  auto mails = analyse_incidents();
  auto dir =
      std::filesystem::temp_directory_path() / ("emotriage_checklist_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = open_sqlite_store((dir / "cases.db").string()).value();
  ASSERT_TRUE(store->open_case("incident", base_items(), "2026-01-05T10:00:00+09:00"));
  for (const auto& mail : mails)
    ASSERT_EQ(store->add_mail("incident", mail, "2026-01-05T10:01:00+09:00").value(),
              Added::stored);
  auto before = store->load_case("incident").value();
  ASSERT_TRUE(store->set_item("incident", "notice", Status::done, "Sato", std::nullopt,
                              "2026-01-05T11:00:00+09:00"));
  for (const auto& mail : mails)
    ASSERT_EQ(store->add_mail("incident", mail, "2026-01-05T12:00:00+09:00").value(),
              Added::seen_again);
  auto after = store->load_case("incident").value();
  EXPECT_EQ(after.messages.size(), before.messages.size());
  EXPECT_EQ(after.messages.size(), 15u);  // 14 mails and the mail attached to 13
  ASSERT_EQ(after.items.size(), before.items.size());
  for (std::size_t i = 0; i < after.items.size(); ++i)
    EXPECT_EQ(after.items[i].key, before.items[i].key);
  int notice = find_item(after.items, "notice");
  ASSERT_GE(notice, 0);
  EXPECT_EQ(after.items[static_cast<std::size_t>(notice)].status, Status::done);
  EXPECT_EQ(find_item(after.items, std::to_string(notice + 1)), notice);
  EXPECT_EQ(find_item(after.items, "0"), -1);
  EXPECT_EQ(find_item(after.items, "99"), -1);
  // The procedure's order: ① ② first, "closed" last.
  EXPECT_EQ(after.items.front().kind, "collect");
  EXPECT_EQ(after.items.back().kind, "close");
  std::filesystem::remove_all(dir);
}

TEST(Render, HostileTextStaysText) {
  CaseData data{"<b>x</b>|#", "2026-01-05T10:00:00Z", {}, {}, {}, {}};
  StoredMessage m;
  m.sha256 = std::string(64, 'a');
  m.subject =
      "<script>alert(1)</script> {{x}} | *b* \xe2\x80\xae"
      "cod.exe\r\nInjected: yes";
  m.from_address = "a@b.example";
  m.suspicious = true;
  m.added_at = "2026-01-05T10:00:00Z";
  data.messages.push_back(m);
  data.items.push_back(
      {"contact:<img src=x>", "contact", "<img src=x>", 6, Status::todo, "", "", ""});
  std::string html = report_html(data, report::Lang::en);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("\\u202e"), std::string::npos);
  EXPECT_EQ(html.find("\xe2\x80\xae"), std::string::npos);
  std::string md = report_markdown(data, report::Lang::ja);
  EXPECT_EQ(md.find("<script"), std::string::npos);
  EXPECT_EQ(md.find("\nInjected"), std::string::npos);
  EXPECT_NE(md.find("\\| \\*b\\*"), std::string::npos);
  std::string text = case_text(data, report::Lang::en);
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

}  // namespace
}  // namespace emotriage::cases
