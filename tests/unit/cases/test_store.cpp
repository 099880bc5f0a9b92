// The SQLite ledger: originals stored once per content, sightings, items created idempotently and
// never reset by new mail, and concurrent writers (threads and processes) losing nothing.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "cases/store.hpp"
#include "core/hash.hpp"

namespace emotriage::cases {
namespace {

// Each test runs in its own process, in parallel under ctest -j: one ledger per test.
std::string fresh_db() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = std::filesystem::temp_directory_path() /
             ("emotriage_cases_" + std::string(test->name()) + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "cases.db").string();
}

std::unique_ptr<Store> open(const std::string& path) {
  auto store = open_sqlite_store(path);
  EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().detail);
  return store ? std::move(*store) : nullptr;
}

NewMail mail(const std::string& body, const std::string& locator,
             std::vector<ItemSpec> items = {}) {
  NewMail m;
  m.raw = "From: a@example.jp\r\nSubject: " + body + "\r\n\r\n" + std::string(2000, 'x') + body;
  m.sha256 = core::sha256_hex(m.raw);
  NewAnalysis analysis;
  analysis.locator = locator;
  analysis.analysis_ja = analysis.analysis_en = R"({"subject":")" + body + R"("})";
  analysis.campaign_json = "{}";
  analysis.scenario = "external-malspam";
  analysis.subject = body;
  analysis.suspicious = true;
  analysis.score = 70;
  m.analyses.push_back(analysis);
  m.items = std::move(items);
  return m;
}

ItemSpec item(const std::string& key, int rank) {
  return {key, key, "", rank, Status::todo, {}};
}

TEST(Store, SameBytesAreStoredOnceAndEverySightingRecorded) {
  auto store = open(fresh_db());
  ASSERT_TRUE(store->open_case("c", {}, "2026-01-05T09:00:00Z"));
  NewMail first = mail("one", "a.eml");
  EXPECT_EQ(store->add_mail("c", first, "2026-01-05T09:01:00Z").value(), Added::stored);
  EXPECT_EQ(store->add_mail("c", mail("one", "b.mbox#0"), "2026-01-05T09:02:00Z").value(),
            Added::seen_again);
  // The same file imported again (a re-run) is not a new sighting.
  EXPECT_EQ(store->add_mail("c", mail("one", "a.eml"), "2026-01-05T09:03:00Z").value(),
            Added::seen_again);
  auto data = store->load_case("c").value();
  ASSERT_EQ(data.messages.size(), 1u);
  ASSERT_EQ(data.messages[0].sightings.size(), 2u);
  EXPECT_EQ(data.messages[0].sightings[1].locator, "b.mbox#0");
  EXPECT_EQ(data.messages[0].size, first.raw.size());
  EXPECT_EQ(store->original(first.sha256).value(), first.raw);
  // Another case holding the same mail has its own row, the bytes stay stored once.
  ASSERT_TRUE(store->open_case("d", {}, "2026-01-05T09:00:00Z"));
  EXPECT_EQ(store->add_mail("d", first, "2026-01-05T09:04:00Z").value(), Added::stored);
  EXPECT_EQ(store->load_case("d")->messages.size(), 1u);
}

TEST(Store, RejectsAMailWhoseHashDoesNotMatch) {
  auto store = open(fresh_db());
  ASSERT_TRUE(store->open_case("c", {}, "2026-01-05T09:00:00Z"));
  NewMail bad = mail("one", "a.eml");
  bad.raw += "tampered";
  EXPECT_FALSE(store->add_mail("c", bad, "2026-01-05T09:01:00Z"));
  EXPECT_FALSE(store->add_mail("missing", mail("one", "a.eml"), "2026-01-05T09:01:00Z"));
  EXPECT_TRUE(store->load_case("c")->messages.empty());
}

TEST(Store, ItemsAreCreatedOnceAndKeepTheirStatus) {
  auto store = open(fresh_db());
  ASSERT_TRUE(store->open_case("c", {item("close", 10), item("identify-people", 4)}, "T1"));
  ASSERT_TRUE(store->open_case("c", {item("close", 10)}, "T1"));
  ItemSpec collected{"collect", "collect", "", 1, Status::done, "emotriage"};
  ASSERT_TRUE(store->add_mail("c", mail("one", "a.eml", {collected, item("reset-mailbox:x", 5)}),
                              "2026-01-05T09:01:00Z"));
  ASSERT_TRUE(store->set_item("c", "reset-mailbox:x", Status::done, "Sato", "changed 14:05",
                              "2026-01-05T14:05:00+09:00"));
  // A later mail calling for the same items changes nothing of them.
  ASSERT_TRUE(store->add_mail("c", mail("two", "b.eml", {collected, item("reset-mailbox:x", 5)}),
                              "2026-01-05T15:00:00Z"));
  // Without a new note the item keeps its note.
  ASSERT_TRUE(store->set_item("c", "close", Status::todo, "Sato", std::nullopt, "T2"));
  ASSERT_TRUE(store->set_item("c", "close", Status::skipped, "Sato", std::nullopt, "T3"));
  EXPECT_EQ(store->set_item("c", "nope", Status::done, "Sato", std::nullopt, "T3").error().code,
            core::ErrorCode::not_found);

  auto data = store->load_case("c").value();
  std::vector<std::string> keys;
  for (const auto& i : data.items) keys.push_back(i.key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"collect", "identify-people", "reset-mailbox:x", "close"}));
  EXPECT_EQ(data.items[0].status, Status::done);
  EXPECT_EQ(data.items[0].who, "emotriage");
  EXPECT_EQ(data.items[2].status, Status::done);
  EXPECT_EQ(data.items[2].note, "changed 14:05");
  EXPECT_EQ(data.items[3].status, Status::skipped);
  // Timeline: collect (created done), the reset, close twice.
  ASSERT_EQ(data.events.size(), 4u);
  EXPECT_EQ(data.events[0].item_key, "collect");
  EXPECT_EQ(data.events[1].who, "Sato");
  EXPECT_EQ(data.events[1].at, "2026-01-05T14:05:00+09:00");
}

TEST(Store, AnItemKeepsItsNoteUnlessGivenOne) {
  auto store = open(fresh_db());
  ASSERT_TRUE(store->open_case("c", {item("close", 10)}, "T0"));
  auto note = [&] { return store->load_case("c").value().items.at(0).note; };
  ASSERT_TRUE(store->set_item("c", "close", Status::done, "Sato", "called back", "T1"));
  ASSERT_TRUE(store->set_item("c", "close", Status::done, "Suzuki", std::nullopt, "T2"));
  EXPECT_EQ(note(), "called back");
  ASSERT_TRUE(store->set_item("c", "close", Status::done, "Suzuki", "", "T3"));
  EXPECT_EQ(note(), "");
}

TEST(Store, NotesJoinTheTimeline) {
  auto store = open(fresh_db());
  ASSERT_TRUE(store->open_case("c", {}, "T0"));
  ASSERT_TRUE(store->add_note("c", "Sato", "called partner <script>", "T1"));
  EXPECT_FALSE(store->add_note("missing", "Sato", "x", "T1"));
  auto data = store->load_case("c").value();
  ASSERT_EQ(data.events.size(), 1u);
  EXPECT_EQ(data.events[0].kind, "note");
  EXPECT_EQ(data.events[0].text, "called partner <script>");
  auto cases = store->list_cases().value();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].name, "c");
}

TEST(Store, LedgerIsPrivateToItsOwner) {
  std::string path = fresh_db();
  open(path);
  auto permissions = std::filesystem::status(path).permissions();
  EXPECT_EQ(permissions & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
}

// Several writers on one case: every mail, note and item change arrives.
void write_many(const std::string& path, const std::string& who, int count) {
  auto store = open_sqlite_store(path);
  ASSERT_TRUE(store);
  for (int i = 0; i < count; ++i) {
    std::string tag = who + "-" + std::to_string(i);
    ASSERT_TRUE((*store)->open_case("shared", {item("close", 10)}, "T0"));
    ASSERT_TRUE(
        (*store)->add_mail("shared", mail(tag, tag + ".eml", {item("item-" + tag, 5)}), "T1"));
    ASSERT_TRUE((*store)->add_note("shared", who, tag, "T2"));
    ASSERT_TRUE((*store)->set_item("shared", "item-" + tag, Status::done, who, std::nullopt, "T3"));
  }
}

void expect_complete(const std::string& path, std::size_t writers, std::size_t count) {
  auto data = open(path)->load_case("shared").value();
  EXPECT_EQ(data.messages.size(), writers * count);
  EXPECT_EQ(data.items.size(), writers * count + 1);
  EXPECT_EQ(data.events.size(), 2 * writers * count);
  for (const auto& i : data.items) {
    if (i.key != "close") {
      EXPECT_EQ(i.status, Status::done) << i.key;
    }
  }
}

TEST(Store, ConcurrentThreadsLoseNothing) {
  std::string path = fresh_db();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back(write_many, path, "thread" + std::to_string(t), 20);
  for (auto& thread : threads) thread.join();
  expect_complete(path, 4, 20);
}

TEST(Store, ConcurrentProcessesLoseNothing) {
  std::string path = fresh_db();
  std::vector<pid_t> children;
  for (int p = 0; p < 3; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      write_many(path, "process" + std::to_string(p), 20);
      _exit(::testing::Test::HasFailure() ? 1 : 0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  expect_complete(path, 3, 20);
}

}  // namespace
}  // namespace emotriage::cases
