// Per-account state, fed by every parser, and the flagging at the end. Every container has a
// bound (see the constants in aggregate.cpp), so memory follows the number of accounts, not lines.
#pragma once
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "logs/fields.hpp"
#include "logs/logs.hpp"
#include "logs/timestamp.hpp"

namespace emotriage::logs {

struct MessageEvent {
  Stamp time;
  std::string_view account;  // authenticated id, or empty to fall back to the sender
  std::string_view client_ip;
  std::string_view sender;  // envelope sender, empty for <>
  std::string_view message_id;
  bool has_message_id = false;  // false: not logged (distinct from an empty "<>")
  std::uint64_t recipients = 0;
};

enum class Delivery { sent, deferred, bounced };

class Aggregator {
 private:
  // Messages and recipients of one minute. Peaks, hours and days are computed from these at the
  // end, so the order of the lines does not matter (exports list the newest row first).
  struct MinuteCount {
    std::int64_t minute = 0;  // wall seconds / 60
    std::uint32_t messages = 0;
    std::uint32_t recipients = 0;  // saturating
  };
  // A client IP used in a clock hour. Kept like the minutes (merged now and then, sorted at the
  // end), so distinct IPs per hour do not depend on the order of the lines either: several
  // servers' logs read one after the other, newest-first exports.
  struct IpHour {
    std::int64_t hour = 0;  // wall seconds / 3600
    std::uint64_t ip = 0;   // text_hash of the address
    auto operator<=>(const IpHour&) const = default;
  };

 public:
  // Per-account state; parsers only hold pointers to it.
  struct Account {
    bool authenticated = false;
    bool truncated = false;
    bool seen = false;
    Stamp first, last;
    std::uint64_t messages = 0, recipients = 0, logins = 0, failed_logins = 0;
    std::uint64_t deferred = 0, bounced = 0, dnsbl = 0;
    HashSet64 dnsbl_recipients;  // a block-list answer counts once per recipient, not per retry
    std::uint64_t forged_messages = 0, empty_ids = 0, machine_ids = 0, night = 0;
    std::uint64_t forged_other_domain = 0, forged_same_domain = 0;  // distinct senders
    // ... of them first used after the account's baseline (its first baseline_hours).
    std::uint64_t forged_other_domain_new = 0, forged_same_domain_new = 0;
    // Appended in time order as a rule; rows out of order are merged in by compact_minutes.
    std::vector<MinuteCount> minutes;
    std::size_t compact_at = 0;
    bool minutes_sorted = true;
    std::vector<IpHour> ip_hours;
    std::size_t ip_hours_compact_at = 0;
    StringMap<std::int64_t> ips;  // first use (wall seconds)
    HashSet64 recipients_seen, domains_seen;
    HashSet64 senders;
    std::vector<std::string> forged, id_samples, rejection_samples;
  };

  explicit Aggregator(const LogOptions& options);

  Stamp adjust(Stamp stamp) const { return shift_to(stamp, options_.utc_offset_minutes); }
  // The account key a message is counted under (lower case), or empty when it is not kept
  // (no authentication and a sender outside our domains, or no sender at all).
  std::string account_key(std::string_view account, std::string_view sender) const;
  void account_key(std::string_view account, std::string_view sender, std::string& key) const;
  // Counts a message under key (from account_key); the account's state, which a parser may keep
  // to skip the key lookup of later lines (it lives as long as the Aggregator), or nullptr when
  // the message is not kept.
  Account* message(const std::string& key, bool authenticated, const MessageEvent& event);
  // The state of an account that sent or logged in, or nullptr.
  Account* find(std::string_view key);
  void delivery(const std::string& key, Stamp time, std::string_view recipient, Delivery result,
                std::string_view text);
  void delivery(Account& account, Stamp time, std::string_view recipient, Delivery result,
                std::string_view text);
  // One more recipient for a message already counted (formats that log one line per recipient).
  void add_recipient(const std::string& key, Stamp time);
  void login(std::string_view account, std::string_view ip, Stamp time);
  void failed_login(std::string_view user, std::string_view ip);
  void unattributed_delivery() { ++unattributed_; }

  LogReport finish(std::vector<FileSummary> files, std::uint64_t lines, std::uint64_t evicted);

 private:
  Account* find_or_add(const std::string& key);
  void add_minute(Account& account, std::int64_t wall, std::uint32_t messages,
                  std::uint64_t recipients);
  // Sorts and merges the minutes (same minute once); marks the account truncated at the bound.
  static void compact_minutes(Account& account);
  // Sorts the (hour, IP) pairs, each once; marks the account truncated at the bound.
  static void compact_ip_hours(Account& account);
  // Peaks, hours, days and the baseline from the minutes (sorted and merged).
  void summarize_minutes(const Account& state, AccountSummary& summary) const;
  void note_time(Account& account, Stamp time);
  void note_ip(Account& account, std::string_view ip, Stamp time);
  void note_sender(Account& account, const std::string& key, std::string_view sender, Stamp time);
  void note_message_id(Account& account, const MessageEvent& event);
  void absorb_failures(Account& account, std::string_view key, std::string_view ip);
  void flag(const Account& state, AccountSummary& summary) const;
  AccountSummary summarize(const std::string& key, const Account& state) const;

  const LogOptions& options_;
  StringMap<Account> accounts_;
  std::uint64_t messages_ = 0, unattributed_ = 0, accounts_dropped_ = 0;
  // Failures not yet followed by a success, by client IP and by user name.
  StringMap<std::uint64_t> failures_by_ip_, failures_by_user_;
  std::string scratch_;
};

}  // namespace emotriage::logs
