// The SQLite implementation of the ledger. One connection per Store; a Store is used by one thread
// at a time (each thread or process opens its own). WAL lets readers go on while one writer
// writes; every write takes the write lock up front (BEGIN IMMEDIATE) and waits for it up to
// kBusyTimeoutMs, so concurrent writers queue instead of failing or losing a write.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>
#include <utility>

#include "cases/schema.hpp"
#include "cases/store.hpp"
#include "core/hash.hpp"

namespace emotriage::cases {

namespace {

constexpr int kBusyTimeoutMs = 60'000;
constexpr std::chrono::milliseconds kMaxOpenPause{100};
// Originals are stored as read (ingest bounds them); a larger stored size is a damaged ledger.
constexpr std::uint64_t kMaxOriginalBytes = 1ull << 30;

core::Error db_error(sqlite3* db, const std::string& what) {
  return core::Error{core::ErrorCode::io, what + ": " + sqlite3_errmsg(db)};
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK) statement_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return statement_ != nullptr; }
  Statement& bind(int index, std::string_view text) {
    // An empty view may have no data pointer, which SQLite would bind as NULL.
    sqlite3_bind_text(statement_, index, text.empty() ? "" : text.data(),
                      static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int index, std::int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
    return *this;
  }
  Statement& bind_blob(int index, std::string_view bytes) {
    sqlite3_bind_blob64(statement_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return statement_ == nullptr ? SQLITE_MISUSE : sqlite3_step(statement_); }
  std::string text(int column) const {
    const auto* bytes = sqlite3_column_text(statement_, column);
    return bytes == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(bytes),
                             static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
  }
  std::string blob(int column) const {
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement_, column));
    return bytes == nullptr
               ? std::string()
               : std::string(bytes,
                             static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }
  // Calls `row` for each result row; false when the query failed.
  template <class Row>
  bool each_row(Row&& row) {
    int status = SQLITE_DONE;
    while ((status = step()) == SQLITE_ROW) row();
    return status == SQLITE_DONE;
  }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

core::Result<std::string> compress(std::string_view bytes) {
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uLong>(bytes.size()),
                Z_DEFAULT_COMPRESSION) != Z_OK) {
    return core::fail(core::ErrorCode::internal, "zlib: cannot compress the original");
  }
  out.resize(size);
  return out;
}

core::Result<std::string> decompress(std::string_view packed, std::uint64_t size) {
  if (size > kMaxOriginalBytes)
    return core::fail(core::ErrorCode::io, "stored original larger than any mail");
  std::string out(size, '\0');
  uLongf out_size = static_cast<uLongf>(size);
  int status =
      uncompress(reinterpret_cast<Bytef*>(out.data()), &out_size,
                 reinterpret_cast<const Bytef*>(packed.data()), static_cast<uLong>(packed.size()));
  if (status != Z_OK || out_size != size)
    return core::fail(core::ErrorCode::io, "stored original is damaged (zlib)");
  return out;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  core::Result<void> open_case(const std::string& name, const std::vector<ItemSpec>& items,
                               const std::string& at) override {
    return write([&]() -> core::Result<void> {
      Statement insert(db_, "INSERT OR IGNORE INTO cases(name, created_at) VALUES (?, ?)");
      if (insert.bind(1, name).bind(2, at).step() != SQLITE_DONE)
        return std::unexpected(db_error(db_, "create case"));
      auto id = case_id(name);
      if (!id) return std::unexpected(id.error());
      return ensure_items(*id, items, at);
    });
  }

  core::Result<Added> add_mail(const std::string& name, const NewMail& mail,
                               const std::string& at) override {
    if (mail.analyses.empty() || core::sha256_hex(mail.raw) != mail.sha256)
      return core::fail(core::ErrorCode::invalid_argument, "mail without analysis or hash");
    auto packed = compress(mail.raw);
    if (!packed) return std::unexpected(packed.error());
    return write([&]() -> core::Result<Added> {
      auto id = case_id(name);
      if (!id) return std::unexpected(id.error());
      Statement existing(db_,
                         "SELECT id FROM messages WHERE case_id = ? AND sha256 = ? AND part = ''");
      if (existing.bind(1, *id).bind(2, mail.sha256).step() == SQLITE_ROW) {
        if (auto seen = add_sighting(existing.integer(0), mail.analyses.front().locator, at); !seen)
          return std::unexpected(seen.error());
        return Added::seen_again;
      }
      Statement original(db_,
                         "INSERT OR IGNORE INTO originals(sha256, size, zlib) VALUES (?, ?, ?)");
      original.bind(1, mail.sha256)
          .bind(2, static_cast<std::int64_t>(mail.raw.size()))
          .bind_blob(3, *packed);
      if (original.step() != SQLITE_DONE) return std::unexpected(db_error(db_, "store original"));
      for (const auto& analysis : mail.analyses) {
        if (auto stored = insert_analysis(*id, mail.sha256, analysis, at); !stored)
          return std::unexpected(stored.error());
      }
      if (auto created = ensure_items(*id, mail.items, at); !created)
        return std::unexpected(created.error());
      return Added::stored;
    });
  }

  core::Result<void> set_item(const std::string& name, const std::string& key, Status status,
                              const std::string& who, const std::optional<std::string>& note,
                              const std::string& at) override {
    return write([&]() -> core::Result<void> {
      auto id = case_id(name);
      if (!id) return std::unexpected(id.error());
      // Without a note (nullopt) the item keeps the one it has.
      Statement update(db_,
                       "UPDATE items SET status = ?, who = ?, at = ?, "
                       "note = CASE WHEN ? THEN note ELSE ? END "
                       "WHERE case_id = ? AND key = ?");
      update.bind(1, to_string(status)).bind(2, who).bind(3, at);
      update.bind(4, std::int64_t{!note}).bind(5, note.value_or(""));
      if (update.bind(6, *id).bind(7, key).step() != SQLITE_DONE)
        return std::unexpected(db_error(db_, "update item"));
      if (sqlite3_changes(db_) == 0) return core::fail(core::ErrorCode::not_found, key);
      return add_event(*id, at, "item", key, to_string(status), who, note.value_or(""));
    });
  }

  core::Result<void> add_note(const std::string& name, const std::string& who,
                              const std::string& text, const std::string& at) override {
    return write([&]() -> core::Result<void> {
      auto id = case_id(name);
      if (!id) return std::unexpected(id.error());
      return add_event(*id, at, "note", "", "", who, text);
    });
  }

  core::Result<void> add_log_accounts(const std::string& name,
                                      const std::vector<LogAccount>& accounts,
                                      const std::vector<ItemSpec>& items,
                                      const std::string& at) override {
    return write([&]() -> core::Result<void> {
      auto id = case_id(name);
      if (!id) return std::unexpected(id.error());
      for (const auto& account : accounts) {
        std::string reasons;
        for (const auto& reason : account.reasons) reasons += (reasons.empty() ? "" : " ") + reason;
        Statement insert(db_,
                         "INSERT INTO log_accounts(case_id, source, account, employee, messages,"
                         " reasons, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                         // The same log uploaded again replaces its figures, never adds to them.
                         " ON CONFLICT(case_id, source, account) DO UPDATE SET"
                         " employee = excluded.employee, messages = excluded.messages,"
                         " reasons = excluded.reasons, added_at = excluded.added_at");
        insert.bind(1, *id).bind(2, account.source).bind(3, account.account);
        insert.bind(4, account.employee).bind(5, static_cast<std::int64_t>(account.messages));
        if (insert.bind(6, reasons).bind(7, at).step() != SQLITE_DONE)
          return std::unexpected(db_error(db_, "store log account"));
      }
      return ensure_items(*id, items, at);
    });
  }

  core::Result<std::vector<CaseSummary>> list_cases() override {
    Statement query(db_,
                    "SELECT name, created_at,"
                    " (SELECT count(*) FROM messages m WHERE m.case_id = c.id AND m.part = ''),"
                    " (SELECT count(*) FROM messages m WHERE m.case_id = c.id),"
                    " (SELECT count(*) FROM messages m WHERE m.case_id = c.id AND m.suspicious),"
                    " (SELECT count(*) FROM items i WHERE i.case_id = c.id),"
                    " (SELECT count(*) FROM items i WHERE i.case_id = c.id AND i.status = 'todo')"
                    " FROM cases c ORDER BY name");
    std::vector<CaseSummary> cases;
    auto count = [&](int column) { return static_cast<std::uint64_t>(query.integer(column)); };
    bool read = query.each_row([&] {
      cases.push_back(
          {query.text(0), query.text(1), count(2), count(3), count(4), count(5), count(6)});
    });
    if (!read) return std::unexpected(db_error(db_, "list cases"));
    return cases;
  }

  core::Result<CaseData> load_case(const std::string& name) override {
    // One read transaction: a consistent snapshot while writers go on.
    if (auto begun = schema::exec(db_, "BEGIN", "read case"); !begun)
      return std::unexpected(begun.error());
    auto loaded = read_case(name);
    (void)schema::exec(db_, "COMMIT", "read case");
    return loaded;
  }

  core::Result<std::string> original(const std::string& sha256) override {
    Statement query(db_, "SELECT size, zlib FROM originals WHERE sha256 = ?");
    if (query.bind(1, sha256).step() != SQLITE_ROW)
      return core::fail(core::ErrorCode::not_found, sha256);
    auto bytes = decompress(query.blob(1), static_cast<std::uint64_t>(query.integer(0)));
    if (!bytes) return bytes;
    if (core::sha256_hex(*bytes) != sha256)
      return core::fail(core::ErrorCode::io, "stored original does not match its hash " + sha256);
    return bytes;
  }

 private:
  // Runs `body` in a write transaction, committed when it succeeds.
  template <class Body>
  auto write(Body&& body) -> decltype(body()) {
    if (auto begun = schema::exec(db_, "BEGIN IMMEDIATE", "write"); !begun)
      return std::unexpected(begun.error());
    auto result = body();
    if (!result) {
      (void)schema::exec(db_, "ROLLBACK", "write");
      return result;
    }
    if (auto committed = schema::exec(db_, "COMMIT", "write"); !committed) {
      (void)schema::exec(db_, "ROLLBACK", "write");
      return std::unexpected(committed.error());
    }
    return result;
  }

  core::Result<std::int64_t> case_id(const std::string& name) {
    Statement query(db_, "SELECT id FROM cases WHERE name = ?");
    int status = query.bind(1, name).step();
    if (status == SQLITE_ROW) return query.integer(0);
    if (status == SQLITE_DONE) return core::fail(core::ErrorCode::not_found, name);
    return std::unexpected(db_error(db_, "find case"));
  }

  core::Result<void> add_sighting(std::int64_t message, const std::string& locator,
                                  const std::string& at) {
    Statement insert(
        db_, "INSERT OR IGNORE INTO sightings(message_id, locator, seen_at) VALUES (?, ?, ?)");
    if (insert.bind(1, message).bind(2, locator).bind(3, at).step() != SQLITE_DONE)
      return std::unexpected(db_error(db_, "record sighting"));
    return {};
  }

  core::Result<void> insert_analysis(std::int64_t id, const std::string& sha256,
                                     const NewAnalysis& analysis, const std::string& at) {
    Statement insert(db_,
                     "INSERT INTO messages(case_id, sha256, part, locator, added_at, analysis_ja,"
                     " analysis_en, campaign_json, scenario, score, suspicious, mail_date,"
                     " from_address, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, id).bind(2, sha256).bind(3, analysis.part).bind(4, analysis.locator);
    insert.bind(5, at).bind(6, analysis.analysis_ja).bind(7, analysis.analysis_en);
    insert.bind(8, analysis.campaign_json).bind(9, analysis.scenario);
    insert.bind(10, static_cast<std::int64_t>(analysis.score))
        .bind(11, static_cast<std::int64_t>(analysis.suspicious ? 1 : 0));
    insert.bind(12, analysis.date).bind(13, analysis.from_address).bind(14, analysis.subject);
    if (insert.step() != SQLITE_DONE) return std::unexpected(db_error(db_, "store analysis"));
    return add_sighting(sqlite3_last_insert_rowid(db_), analysis.locator, at);
  }

  core::Result<void> ensure_items(std::int64_t id, const std::vector<ItemSpec>& items,
                                  const std::string& at) {
    for (const auto& item : items) {
      Statement insert(
          db_,
          "INSERT OR IGNORE INTO items(case_id, key, kind, target, rank, status, who, at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      bool ticked = item.status != Status::todo;
      insert.bind(1, id).bind(2, item.key).bind(3, item.kind).bind(4, item.target);
      insert.bind(5, static_cast<std::int64_t>(item.rank)).bind(6, to_string(item.status));
      insert.bind(7, item.who).bind(8, ticked ? std::string_view(at) : std::string_view());
      if (insert.step() != SQLITE_DONE) return std::unexpected(db_error(db_, "create item"));
      if (ticked && sqlite3_changes(db_) == 1) {
        auto event = add_event(id, at, "item", item.key, to_string(item.status), item.who, "");
        if (!event) return event;
      }
    }
    return {};
  }

  core::Result<void> add_event(std::int64_t id, std::string_view at, std::string_view kind,
                               std::string_view key, std::string_view status, std::string_view who,
                               std::string_view text) {
    Statement insert(db_,
                     "INSERT INTO events(case_id, at, kind, item_key, status, who, text)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, id).bind(2, at).bind(3, kind).bind(4, key).bind(5, status).bind(6, who);
    if (insert.bind(7, text).step() != SQLITE_DONE)
      return std::unexpected(db_error(db_, "record event"));
    return {};
  }

  core::Result<CaseData> read_case(const std::string& name) {
    Statement head(db_, "SELECT id, created_at FROM cases WHERE name = ?");
    if (head.bind(1, name).step() != SQLITE_ROW)
      return core::fail(core::ErrorCode::not_found, name);
    const std::int64_t id = head.integer(0);
    CaseData data{name, head.text(1), {}, {}, {}, {}};

    Statement messages(
        db_,
        "SELECT m.id, m.sha256, m.part, m.added_at, m.scenario, m.mail_date,"
        " m.from_address, m.subject, o.size, m.score, m.suspicious, m.analysis_ja,"
        " m.analysis_en, m.campaign_json FROM messages m"
        " JOIN originals o ON o.sha256 = m.sha256 WHERE m.case_id = ? ORDER BY m.id");
    messages.bind(1, id);
    bool sightings_read = true;
    bool read = messages.each_row([&] {
      StoredMessage m{messages.text(1),
                      messages.text(2),
                      messages.text(3),
                      messages.text(4),
                      messages.text(5),
                      messages.text(6),
                      messages.text(7),
                      static_cast<std::uint64_t>(messages.integer(8)),
                      static_cast<int>(messages.integer(9)),
                      messages.integer(10) != 0,
                      messages.text(11),
                      messages.text(12),
                      messages.text(13),
                      {}};
      Statement sightings(
          db_, "SELECT locator, seen_at FROM sightings WHERE message_id = ? ORDER BY id");
      sightings_read = sightings.bind(1, messages.integer(0)).each_row([&] {
        m.sightings.push_back({sightings.text(0), sightings.text(1)});
      }) && sightings_read;
      data.messages.push_back(std::move(m));
    });
    if (!read || !sightings_read) return std::unexpected(db_error(db_, "read messages"));

    Statement items(db_,
                    "SELECT key, kind, target, rank, status, who, at, note FROM items"
                    " WHERE case_id = ? ORDER BY rank, id");
    read = items.bind(1, id).each_row([&] {
      data.items.push_back({items.text(0), items.text(1), items.text(2),
                            static_cast<int>(items.integer(3)),
                            status_from(items.text(4)).value_or(Status::todo), items.text(5),
                            items.text(6), items.text(7)});
    });
    if (!read) return std::unexpected(db_error(db_, "read items"));

    Statement events(db_,
                     "SELECT at, kind, item_key, status, who, text FROM events WHERE case_id = ?"
                     " ORDER BY id");
    read = events.bind(1, id).each_row([&] {
      data.events.push_back({events.text(0), events.text(1), events.text(2), events.text(3),
                             events.text(4), events.text(5)});
    });
    if (!read) return std::unexpected(db_error(db_, "read events"));

    Statement logs(db_,
                   "SELECT source, account, employee, messages, reasons, added_at"
                   " FROM log_accounts WHERE case_id = ? ORDER BY id");
    read = logs.bind(1, id).each_row([&] {
      LogAccount account{logs.text(0), logs.text(1),
                         logs.text(2), static_cast<std::uint64_t>(logs.integer(3)),
                         {},           logs.text(5)};
      std::string reasons = logs.text(4);
      for (std::size_t start = 0; start < reasons.size();) {
        std::size_t end = std::min(reasons.find(' ', start), reasons.size());
        account.reasons.push_back(reasons.substr(start, end - start));
        start = end + 1;
      }
      data.log_accounts.push_back(std::move(account));
    });
    if (!read) return std::unexpected(db_error(db_, "read log accounts"));
    return data;
  }

  sqlite3* db_;
};

}  // namespace

std::string_view to_string(Status status) {
  switch (status) {
    case Status::todo:
      return "todo";
    case Status::done:
      return "done";
    case Status::skipped:
      return "skipped";
    case Status::not_needed:
      return "not-needed";
  }
  return "todo";
}

std::optional<Status> status_from(std::string_view text) {
  for (Status status : {Status::todo, Status::done, Status::skipped, Status::not_needed}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

core::Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
  // The ledger holds evidence: only its owner may read it (SQLite gives its -wal and -shm files
  // the database file's permissions).
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return core::fail(core::ErrorCode::io, "cannot open " + path);
  ::close(fd);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    core::Error error = db_error(db, "cannot open " + path);
    sqlite3_close_v2(db);
    return std::unexpected(error);
  }
  auto store = std::make_unique<SqliteStore>(db);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  // synchronous=NORMAL: in WAL mode a committed write survives a killed process; a power loss may
  // drop the last few commits, which re-running the import restores (its originals are the input).
  // FULL cost a third more time per imported mail.
  // Two processes opening a new ledger at once race to switch it to WAL; SQLite answers the loser
  // SQLITE_BUSY at once, without its busy handler (waiting could deadlock), so the loser retries.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (auto pause = std::chrono::milliseconds(1);; pause = std::min(pause * 2, kMaxOpenPause)) {
    auto set = schema::exec(db,
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                            " PRAGMA foreign_keys = ON;",
                            path);
    if (set) break;
    if ((sqlite3_errcode(db) & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline)
      return std::unexpected(set.error());
    std::this_thread::sleep_for(pause);
  }
  if (auto migrated = schema::migrate(db, schema::current_version()); !migrated)
    return std::unexpected(migrated.error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace emotriage::cases
