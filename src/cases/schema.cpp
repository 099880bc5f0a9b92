#include "cases/schema.hpp"

#include <array>

namespace emotriage::cases::schema {

namespace {

// Never edit a migration that has shipped: add the next one.
constexpr std::array<const char*, 4> kMigrations = {
    // 1: cases, compressed originals by hash, analyses, checklist items.
    R"sql(
CREATE TABLE cases(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL);
CREATE TABLE originals(
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  zlib BLOB NOT NULL);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  sha256 TEXT NOT NULL REFERENCES originals(sha256),
  part TEXT NOT NULL DEFAULT '',
  locator TEXT NOT NULL,
  added_at TEXT NOT NULL,
  analysis_ja TEXT NOT NULL,
  analysis_en TEXT NOT NULL,
  campaign_json TEXT NOT NULL,
  UNIQUE(case_id, sha256, part));
CREATE TABLE items(
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  rank INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'todo' CHECK(status IN ('todo', 'done', 'skipped', 'not-needed')),
  who TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  UNIQUE(case_id, key));
)sql",
    // 2: every sighting of a mail (the same bytes from another file or mailbox), and the
    // timeline of item changes and notes. Items already ticked join the timeline.
    R"sql(
CREATE TABLE sightings(
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  locator TEXT NOT NULL,
  seen_at TEXT NOT NULL,
  UNIQUE(message_id, locator));
INSERT INTO sightings(message_id, locator, seen_at) SELECT id, locator, added_at FROM messages;
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK(kind IN ('item', 'note')),
  item_key TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  who TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '');
INSERT INTO events(case_id, at, kind, item_key, status, who, text)
  SELECT case_id, at, 'item', key, status, who, note FROM items WHERE status <> 'todo' ORDER BY id;
)sql",
    // 3: the facts a list or a query needs, as indexed columns beside the JSON.
    R"sql(
ALTER TABLE messages ADD COLUMN scenario TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN score INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN suspicious INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN mail_date TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN from_address TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN subject TEXT NOT NULL DEFAULT '';
UPDATE messages SET
  scenario = coalesce(json_extract(analysis_en, '$.verdict.scenario'), ''),
  score = coalesce(json_extract(analysis_en, '$.verdict.score'), 0),
  suspicious = coalesce(json_extract(analysis_en, '$.verdict.suspicious'), 0),
  mail_date = coalesce(json_extract(analysis_en, '$.date'), ''),
  from_address = coalesce(json_extract(analysis_en, '$.from.address'), ''),
  subject = coalesce(json_extract(analysis_en, '$.subject'), '');
CREATE INDEX messages_case_scenario ON messages(case_id, scenario);
CREATE INDEX messages_case_score ON messages(case_id, score);
CREATE INDEX messages_case_date ON messages(case_id, mail_date);
CREATE INDEX messages_case_from ON messages(case_id, from_address);
CREATE INDEX items_case ON items(case_id, rank, id);
CREATE INDEX events_case ON events(case_id, id);
)sql",
    // 4: accounts mail-server logs flagged as mass-sending (reasons: space-separated ids).
    R"sql(
CREATE TABLE log_accounts(
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  source TEXT NOT NULL,
  account TEXT NOT NULL,
  employee TEXT NOT NULL DEFAULT '',
  messages INTEGER NOT NULL DEFAULT 0,
  reasons TEXT NOT NULL DEFAULT '',
  added_at TEXT NOT NULL,
  UNIQUE(case_id, source, account));
CREATE INDEX log_accounts_case ON log_accounts(case_id, id);
)sql",
};

core::Result<int> user_version(sqlite3* db) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr) != SQLITE_OK) {
    return core::fail(core::ErrorCode::io, std::string("schema version: ") + sqlite3_errmsg(db));
  }
  int version = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int(statement, 0) : -1;
  sqlite3_finalize(statement);
  if (version < 0) return core::fail(core::ErrorCode::io, "schema version: unreadable");
  return version;
}

}  // namespace

int current_version() {
  return static_cast<int>(kMigrations.size());
}

core::Result<void> exec(sqlite3* db, const char* sql, const std::string& what) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return {};
  std::string detail = what + ": " + (message != nullptr ? message : sqlite3_errmsg(db));
  sqlite3_free(message);
  return core::fail(core::ErrorCode::io, detail);
}

core::Result<void> migrate(sqlite3* db, int target) {
  if (target < 0 || target > current_version())
    return core::fail(core::ErrorCode::invalid_argument,
                      "no schema version " + std::to_string(target));
  // IMMEDIATE: a second process opening the ledger waits here and then sees the new version.
  if (auto begun = exec(db, "BEGIN IMMEDIATE", "migration"); !begun) return begun;
  auto version = user_version(db);
  if (!version) {
    (void)exec(db, "ROLLBACK", "migration");
    return std::unexpected(version.error());
  }
  if (*version > current_version()) {
    (void)exec(db, "ROLLBACK", "migration");
    return core::fail(core::ErrorCode::unsupported,
                      "the case ledger is from a newer emotriage (schema version " +
                          std::to_string(*version) + ")");
  }
  for (int next = *version + 1; next <= target; ++next) {
    std::string sql = std::string(kMigrations[static_cast<std::size_t>(next - 1)]) +
                      "PRAGMA user_version = " + std::to_string(next) + ";";
    if (auto applied = exec(db, sql.c_str(), "migration " + std::to_string(next)); !applied) {
      (void)exec(db, "ROLLBACK", "migration");
      return applied;
    }
  }
  return exec(db, "COMMIT", "migration");
}

}  // namespace emotriage::cases::schema
