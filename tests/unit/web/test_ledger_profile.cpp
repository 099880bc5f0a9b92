// The case ledger and the profile of the web UI without HTTP: names the routes accept, the
// ledger round trip (upload, tick, campaign, logs), notices, the profile's atomic save.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "web/analyzer.hpp"
#include "web/case_api.hpp"
#include "web/profile_api.hpp"

namespace emotriage::web {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const fs::path kSource = EMOTRIAGE_SOURCE_DIR;
const std::string kOwnAccount = "t.yamada@sample-shoji.example";

fs::path fresh_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("emotriage_web_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

Analyzer example_analyzer() {
  AnalyzerSetup setup;
  setup.profile = profile::load_profile((kSource / "examples/profile.toml").string()).value();
  return Analyzer(std::move(setup));
}

TEST(CaseNames, OnlyNamesAPathCanCarry) {
  for (const char* good : {"incident-20260105", "<img src=x onerror=alert(1)>", "案件 1", "a.b"})
    EXPECT_TRUE(valid_case_name(good)) << good;
  for (std::string bad :
       {std::string(), std::string("a/b"), std::string("a\\b"), std::string("a\nb"),
        std::string("a\0b", 3), std::string(".."), std::string("."), std::string(101, 'x')})
    EXPECT_FALSE(valid_case_name(bad)) << bad;
}

TEST(NoticeNames, OnlyNamesRenderNoticesMakes) {
  EXPECT_TRUE(valid_notice_name("staff-alert.ja.txt"));
  EXPECT_TRUE(valid_notice_name("sender-letter-1-example.com.en.eml"));
  for (const char* bad : {"", ".hidden", "../x", "a/b", "A.txt", "x\".txt", "x;y"})
    EXPECT_FALSE(valid_notice_name(bad)) << bad;
}

TEST(NoticeTitles, EveryKindHasATitleInBothLanguages) {
  for (const auto& kind : notice::notice_kinds()) {
    const std::string ja = notice_title(kind, report::Lang::ja);
    const std::string en = notice_title(kind, report::Lang::en);
    EXPECT_NE(ja, kind);
    EXPECT_NE(en, kind);
    EXPECT_NE(ja, en) << kind;
    // A numbered notice keeps what tells it apart from the others of its kind.
    EXPECT_EQ(notice_title(kind + "-01-example.com", report::Lang::en), en + " (01-example.com)");
  }
}

TEST(CaseApi, UploadTickCampaignNoticesAndLogs) {
  setenv("EMOTRIAGE_NOW", "2026-01-05T09:12:00Z", 1);
  const fs::path dir = fresh_dir("ledger");
  CaseApi api((dir / "cases.db").string());
  ASSERT_TRUE(api.open_ledger());
  const Analyzer analyzer = example_analyzer();
  const std::string mail =
      read_file(kSource / "examples/incidents/01-own-account-compromised-zip-password.eml");

  Answer stored = api.upload("case", {{"01.eml", mail}}, analyzer, report::Lang::en);
  ASSERT_EQ(stored.status, 200);
  EXPECT_EQ(stored.body["stored"], 1);
  EXPECT_EQ(
      api.upload("case", {{"again.eml", mail}}, analyzer, report::Lang::en).body["seen_again"], 1);

  Answer page = api.page("case", analyzer, report::Lang::en);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body["campaign"]["accounts_to_reset"][0]["target"], kOwnAccount);
  const std::size_t done = page.body["progress"]["done"];

  const std::string key = "reset-mailbox:" + kOwnAccount;
  Answer ticked = api.set_item(
      "case", {{"key", key}, {"status", "done"}, {"who", "Sato"}, {"note", "<b>n</b>"}});
  ASSERT_EQ(ticked.status, 200) << ticked.body.dump();
  EXPECT_EQ(ticked.body["at"], "2026-01-05T09:12:00Z");
  page = api.page("case", analyzer, report::Lang::ja);
  EXPECT_EQ(page.body["progress"]["done"], done + 1);
  // Without a note the item keeps its note; a note that is no string is refused.
  EXPECT_EQ(
      api.set_item("case", {{"key", key}, {"status", "done"}, {"who", "Suzuki"}}).body["note"],
      "<b>n</b>");
  EXPECT_EQ(
      api.set_item("case", {{"key", key}, {"status", "done"}, {"who", "x"}, {"note", 5}}).status,
      400);
  EXPECT_EQ(api.set_item("case", {{"key", key}, {"status", "done"}}).status, 400);
  EXPECT_EQ(api.set_item("case", {{"key", "nope"}, {"status", "done"}, {"who", "x"}}).status, 404);
  EXPECT_EQ(api.set_item("missing", {{"key", key}, {"status", "done"}, {"who", "x"}}).status, 404);

  Answer notices = api.notices("case", analyzer, report::Lang::en);
  ASSERT_EQ(notices.status, 200);
  bool staff = false;
  for (const auto& notice : notices.body["notices"]) {
    staff = staff || notice["name"] == "staff-alert.en.txt";
    EXPECT_FALSE(notice["body"].get<std::string>().empty());
  }
  EXPECT_TRUE(staff);
  Answer refused;
  auto file = api.notice_file("case", "staff-alert.ja.eml", analyzer, refused);
  ASSERT_TRUE(file);
  EXPECT_NE(file->bytes.find("Subject:"), std::string::npos);
  EXPECT_FALSE(api.notice_file("case", "../cases.db", analyzer, refused));
  EXPECT_EQ(refused.status, 404);

  // A log flagging another account of ours: it joins the case's campaign and checklist.
  std::string log;
  for (int i = 0; i < 400; ++i) {
    std::string id = std::to_string(100000 + i);
    log += "Jan  5 03:" + std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60) +
           ":00 mx postfix/submission/smtpd[1]: Q" + id + ": client=unknown[203.0.113." +
           std::to_string(i % 50) +
           "], sasl_method=LOGIN, sasl_username=k.sato@sample-shoji.example\n";
    log += "Jan  5 03:" + std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60) +
           ":01 mx postfix/qmgr[2]: Q" + id +
           ": from=<k.sato@sample-shoji.example>, size=1000, nrcpt=20 (queue active)\n";
  }
  Answer logs = api.logs("case", {{"mail.log", log}}, analyzer, report::Lang::en);
  ASSERT_EQ(logs.status, 200) << logs.body.dump();
  ASSERT_EQ(logs.body["flagged"].size(), 1u) << logs.body["text"];
  EXPECT_EQ(logs.body["flagged"][0]["account"], "k.sato@sample-shoji.example");
  page = api.page("case", analyzer, report::Lang::en);
  bool item = false;
  for (const auto& entry : page.body["items"])
    item = item || entry["key"] == "reset-mailbox:k.sato@sample-shoji.example";
  EXPECT_TRUE(item);
  EXPECT_EQ(page.body["campaign"]["mass_sending_accounts"][0]["account"],
            "k.sato@sample-shoji.example");
  EXPECT_EQ(page.body["log_accounts"][0]["source"], "mail.log");
  const auto flagged_messages = page.body["campaign"]["mass_sending_accounts"][0]["messages"];

  // The same log again replaces its figures (found in review: they doubled); a second file of a
  // rotated set adds to the one account.
  ASSERT_EQ(api.logs("case", {{"mail.log", log}}, analyzer, report::Lang::en).status, 200);
  page = api.page("case", analyzer, report::Lang::en);
  EXPECT_EQ(page.body["log_accounts"].size(), 1u);
  ASSERT_EQ(page.body["campaign"]["mass_sending_accounts"].size(), 1u);
  EXPECT_EQ(page.body["campaign"]["mass_sending_accounts"][0]["messages"], flagged_messages);
  ASSERT_EQ(api.logs("case", {{"mail.log.1", log}}, analyzer, report::Lang::en).status, 200);
  page = api.page("case", analyzer, report::Lang::en);
  EXPECT_EQ(page.body["log_accounts"].size(), 2u);
  ASSERT_EQ(page.body["campaign"]["mass_sending_accounts"].size(), 1u);
  EXPECT_EQ(page.body["campaign"]["mass_sending_accounts"][0]["messages"].get<int>(),
            2 * flagged_messages.get<int>());
  unsetenv("EMOTRIAGE_NOW");
  fs::remove_all(dir);
}

TEST(ProfileApi, SavesOnlyWhatProfileCheckAcceptsAndAtomically) {
  const fs::path dir = fresh_dir("profile");
  const fs::path path = dir / "profile.toml";
  const std::string original = read_file(kSource / "examples/profile.toml");
  std::ofstream(path, std::ios::binary) << original;
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  ProfileApi api(path.string());

  auto refused = api.save("[company]\ndomains = [\"bad domain\"]\n");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().status, 422);
  bool located = false;
  for (const auto& error : refused.error().body["errors"]) located = located || error["line"] == 2;
  EXPECT_TRUE(located) << refused.error().body.dump();
  EXPECT_EQ(read_file(path), original);

  std::string changed = original;
  const std::string domains = "domains = [\"sample-shoji.example\"]";
  ASSERT_NE(changed.find(domains), std::string::npos);
  changed.replace(changed.find(domains), domains.size(), "domains = [\"other-firm.example\"]");
  auto saved = api.save(changed);
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->company.domains.front(), "other-firm.example");
  EXPECT_EQ(read_file(path), changed);
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) files += entry.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1u);  // no temporary file left

  // The form: data written by profile_to_toml, then the same check and save.
  auto form = profile_json(*saved);
  form["partners"].push_back({{"name", "新規"}, {"domains", {"new-partner.example"}}});
  auto from_form = api.save_form(form);
  ASSERT_TRUE(from_form);
  EXPECT_EQ(from_form->partners.back().domains.front(), "new-partner.example");
  EXPECT_TRUE(profile::parse_profile(read_file(path), "profile.toml"));
  EXPECT_EQ(api.save_form({{"company", {{"domains", "not a list"}}}}).error().status, 400);
  EXPECT_EQ(api.save_form(nlohmann::json::array()).error().status, 400);
  form["company"]["domains"] = {"bad domain"};
  EXPECT_EQ(api.save_form(form).error().status, 422);
  changed = read_file(path);

  Answer imported = api.import_users(read_file(kSource / "tests/data/profile/m365.csv"), original);
  ASSERT_EQ(imported.status, 200);
  EXPECT_GE(imported.body["added"].get<int>(), 1);
  EXPECT_EQ(read_file(path), changed);  // an import is not a save

  EXPECT_EQ(ProfileApi("").save(original).error().status, 409);
  EXPECT_FALSE(ProfileApi("").view().body["editable"]);

  // Through a symlink the profile it points to is edited; the link stays a link (review).
  const fs::path link = dir / "link.toml";
  fs::create_symlink(path.filename(), link);
  ASSERT_TRUE(ProfileApi(link.string()).save(original));
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(read_file(path), original);
  fs::remove_all(dir);
}

TEST(Analyzer, ANewProfileMakesANewAnalyzer) {
  const Analyzer analyzer = example_analyzer();
  profile::Profile other = analyzer.profile();
  other.company.domains = {"other-firm.example"};
  auto next = analyzer.with_profile(other);
  EXPECT_NE(next->id(), analyzer.id());
  const std::string mail =
      read_file(kSource / "examples/incidents/01-own-account-compromised-zip-password.eml");
  EXPECT_EQ(
      analyzer.analyze({{"01.eml", mail}}, report::Lang::en)["messages"][0]["verdict"]["scenario"],
      "own-account-compromised");
  EXPECT_NE(
      next->analyze({{"01.eml", mail}}, report::Lang::en)["messages"][0]["verdict"]["scenario"],
      "own-account-compromised");
}

}  // namespace
}  // namespace emotriage::web
