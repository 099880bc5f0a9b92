// Internal to the SQLite store (and its tests): the schema as ordered migrations. The database's
// `PRAGMA user_version` says how many have been applied; opening a ledger applies the rest, each
// in the same transaction as its version bump.
#pragma once
#include <sqlite3.h>

#include <string>

#include "core/error.hpp"

namespace emotriage::cases::schema {

// Number of migrations, i.e. the version of a fresh or fully upgraded ledger.
int current_version();

// Applies the migrations after the database's version up to `target` (tests create each earlier
// version with it). Safe against another process migrating at the same time.
[[nodiscard]] core::Result<void> migrate(sqlite3* db, int target);

// Runs SQL without results; an error names `what`.
[[nodiscard]] core::Result<void> exec(sqlite3* db, const char* sql, const std::string& what);

}  // namespace emotriage::cases::schema
