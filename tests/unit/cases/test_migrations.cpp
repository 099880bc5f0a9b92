// Every earlier schema version, holding data written the way that version wrote it, opens as the
// current version with the data kept.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>

#include "cases/schema.hpp"
#include "cases/store.hpp"
#include "core/hash.hpp"

namespace emotriage::cases {
namespace {

const std::string kOriginal =
    "From: t.yamada@sample-shoji.example\r\nSubject: RE: 請求書\r\n\r\nbody\r\n";
const std::string kAnalysis =
    R"({"subject":"RE: 請求書","date":"2026-01-05T09:12:00+09:00",)"
    R"("from":{"display_name":"山田 太郎","address":"t.yamada@sample-shoji.example"},)"
    R"("verdict":{"scenario":"own-account-compromised","score":88,"suspicious":true}})";

std::string compressed(const std::string& bytes) {
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  std::string out(size, '\0');
  compress(reinterpret_cast<Bytef*>(out.data()), &size,
           reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uLong>(bytes.size()));
  out.resize(size);
  return out;
}

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error != nullptr ? error : "") << "\n"
      << sql;
}

// What a ledger of `version` held: a case with one mail, two items (one ticked) and, from
// version 2 on, a sighting and a note.
void write_fixture(sqlite3* db, int version) {
  if (version < 1) return;
  const std::string sha = core::sha256_hex(kOriginal);
  exec(db, "INSERT INTO cases(id, name, created_at) VALUES (1, 'old', '2025-12-01T00:00:00Z')");
  sqlite3_stmt* insert = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "INSERT INTO originals(sha256, size, zlib) VALUES (?, ?, ?)", -1,
                               &insert, nullptr),
            SQLITE_OK);
  std::string blob = compressed(kOriginal);
  sqlite3_bind_text(insert, 1, sha.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(insert, 2, static_cast<sqlite3_int64>(kOriginal.size()));
  sqlite3_bind_blob(insert, 3, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
  sqlite3_finalize(insert);
  exec(
      db,
      "INSERT INTO messages(id, case_id, sha256, part, locator, added_at, analysis_ja, analysis_en,"
      " campaign_json) VALUES (1, 1, '" +
          sha + "', '', 'old.eml', '2025-12-01T00:01:00Z', '" + kAnalysis + "', '" + kAnalysis +
          "', '{}')");
  exec(db,
       "INSERT INTO items(case_id, key, kind, target, rank, status, who, at, note) VALUES"
       " (1, 'reset-mailbox:t.yamada@sample-shoji.example', 'reset-mailbox',"
       "  't.yamada@sample-shoji.example', 5, 'done', 'Sato', '2025-12-01T05:05:00Z', 'changed'),"
       " (1, 'close', 'close', '', 10, 'todo', '', '', '')");
  if (version >= 3) {
    // A version-3 writer fills the indexed columns itself.
    exec(db,
         "UPDATE messages SET scenario = 'own-account-compromised', score = 88, suspicious = 1,"
         " mail_date = '2026-01-05T09:12:00+09:00', from_address = 't.yamada@sample-shoji.example',"
         " subject = 'RE: 請求書'");
  }
  if (version < 2) return;
  exec(db,
       "INSERT INTO sightings(message_id, locator, seen_at) VALUES"
       " (1, 'old.eml', '2025-12-01T00:01:00Z'), (1, 'again.mbox#0', '2025-12-02T00:00:00Z');"
       "INSERT INTO events(case_id, at, kind, item_key, status, who, text) VALUES"
       " (1, '2025-12-01T05:05:00Z', 'item', 'reset-mailbox:t.yamada@sample-shoji.example',"
       "  'done', 'Sato', 'changed'),"
       " (1, '2025-12-02T01:00:00Z', 'note', '', '', 'Sato', 'called the partner')");
}

TEST(Migrations, EveryEarlierVersionUpgradesWithItsData) {
  ASSERT_GE(schema::current_version(), 3);
  for (int version = 0; version < schema::current_version(); ++version) {
    SCOPED_TRACE("from version " + std::to_string(version));
    auto dir = std::filesystem::temp_directory_path() /
               ("emotriage_migrations_" + std::to_string(getpid()) + "_" + std::to_string(version));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "cases.db").string();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_TRUE(schema::migrate(db, version));
    write_fixture(db, version);
    sqlite3_close(db);

    auto store = open_sqlite_store(path);
    ASSERT_TRUE(store) << store.error().detail;
    auto cases = (*store)->list_cases().value();
    if (version == 0) {
      EXPECT_TRUE(cases.empty());
      continue;
    }
    auto data = (*store)->load_case("old").value();
    ASSERT_EQ(data.messages.size(), 1u);
    const auto& message = data.messages[0];
    EXPECT_EQ(message.scenario, "own-account-compromised");
    EXPECT_EQ(message.score, 88);
    EXPECT_TRUE(message.suspicious);
    EXPECT_EQ(message.from_address, "t.yamada@sample-shoji.example");
    EXPECT_EQ(message.date, "2026-01-05T09:12:00+09:00");
    EXPECT_EQ(message.subject, "RE: 請求書");
    EXPECT_EQ((*store)->original(message.sha256).value(), kOriginal);
    ASSERT_FALSE(message.sightings.empty());
    EXPECT_EQ(message.sightings[0].locator, "old.eml");
    EXPECT_EQ(message.sightings.size(), version >= 2 ? 2u : 1u);
    ASSERT_EQ(data.items.size(), 2u);
    EXPECT_EQ(data.items[0].status, Status::done);
    EXPECT_EQ(data.items[0].note, "changed");
    // The ticked item is on the timeline, however old the ledger.
    ASSERT_FALSE(data.events.empty());
    EXPECT_EQ(data.events[0].item_key, "reset-mailbox:t.yamada@sample-shoji.example");
    EXPECT_EQ(data.events[0].who, "Sato");
    if (version >= 2) {
      EXPECT_EQ(data.events.back().text, "called the partner");
    }
    // And the upgraded ledger takes new writes, accounts flagged in logs included.
    EXPECT_TRUE((*store)->add_note("old", "Sato", "upgraded", "2026-01-01T00:00:00Z"));
    EXPECT_TRUE((*store)->add_log_accounts(
        "old", {{"mail.log", "a@sample-shoji.example", "", 3, {"burst", "night-time"}, ""}}, {},
        "2026-01-02T00:00:00Z"));
    auto logs = (*store)->load_case("old").value().log_accounts;
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_EQ(logs[0].reasons, (std::vector<std::string>{"burst", "night-time"}));
    EXPECT_EQ(logs[0].added_at, "2026-01-02T00:00:00Z");
  }
}

TEST(Migrations, ANewerLedgerIsRefused) {
  auto path = std::filesystem::temp_directory_path() /
              ("emotriage_migrations_newer_" + std::to_string(getpid()) + ".db");
  std::filesystem::remove(path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db, "PRAGMA user_version = " + std::to_string(schema::current_version() + 1));
  sqlite3_close(db);
  auto store = open_sqlite_store(path.string());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, core::ErrorCode::unsupported);
}

}  // namespace
}  // namespace emotriage::cases
