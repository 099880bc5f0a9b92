// Line parsers, one per log family. Each keeps only the correlation state its format needs
// (queue ids, SMTP sessions), bounded, and reports messages, deliveries and logins to the
// Aggregator.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logs/aggregate.hpp"
#include "logs/fields.hpp"
#include "logs/timestamp.hpp"

namespace emotriage::logs {

// "TIMESTAMP HOST PROGRAM[PID]: MESSAGE"
struct SyslogLine {
  Stamp time;
  std::string_view host, program, pid, message;
};

// Splits syslog lines (classic or RFC 3339 timestamp) of one file. Consecutive lines mostly
// share their second, so the date and clock of the previous line are reused when the text
// matches (a third of the parsing time otherwise).
class SyslogSplitter {
 public:
  explicit SyslogSplitter(std::int64_t reference_wall) : reference_wall_(reference_wall) {}
  // False when the line is not a syslog line.
  bool split(std::string_view line, SyslogLine& out);

 private:
  std::optional<Stamp> stamp(std::string_view line, std::size_t& used);
  // Keeps the zone of an RFC 3339 stamp that ended at `used`.
  void remember_zone(std::string_view line, std::size_t used, int offset);

  std::int64_t reference_wall_;
  static constexpr std::size_t kKeyBytes = 19;  // "2026-01-05T09:12:00" / "Jan  5 09:12:00"
  char cached_key_[kKeyBytes] = {};
  std::size_t cached_used_ = 0;  // for classic stamps: where the stamp ended
  Stamp cached_{};
  bool cache_valid_ = false;
  // The fraction of RFC 3339 stamps changes line to line, their zone seldom: its text is kept.
  char cached_zone_[8] = {};
  std::size_t zone_bytes_ = 0;  // 0: none kept
  int zone_offset_ = kNoZone;
};

// What a Postfix line says, read without any state (so reader threads can do it).
struct PostfixLine {
  enum class Kind : std::uint8_t {
    ignored,
    failed_login,  // user, ip
    client,        // smtpd: ip, user (SASL) — the message arrives
    pickup,        // local submission
    message_id,    // value
    from,          // qmgr: value (sender), recipients
    to,            // a delivery attempt: value (recipient), status, text
    filter_hop,    // delivered to a content filter that re-queued it as next_id
    removed,
    disconnect,  // smtpd session end with failed AUTH commands: ip, recipients = their number
  };
  Kind kind = Kind::ignored;
  std::string_view queue_id, user, ip, value, status, text, next_id;
  std::uint64_t recipients = 0;
};
// program is "postfix/..." or "postfix-INSTANCE/...".
PostfixLine extract_postfix(const SyslogLine& line);

class PostfixParser {
 public:
  explicit PostfixParser(Aggregator& aggregator) : aggregator_(aggregator) {}
  LineResult parse(const SyslogLine& line);
  // A line whose fields were extracted ahead (extract_postfix).
  LineResult apply(const SyslogLine& line, const PostfixLine& fields);
  std::uint64_t evicted() const { return evicted_; }

 private:
  struct Pending {
    std::string key;  // host + ' ' + queue id
    std::uint64_t hash = 0;
    std::string account;                   // key the message is counted under; empty until known
    Aggregator::Account* state = nullptr;  // the account's, once counted (skips its lookup)
    std::string client_ip;
    std::string message_id;
    bool has_message_id = false;
    bool authenticated = false;
    bool received = false;  // an smtpd/pickup line was seen
    bool counted = false;   // counted once: later qmgr lines are retries or filter hops
    std::int64_t last_seen = 0;
    bool live = false;
  };
  // Queue ids in flight: open addressing (linear probing) over entries that are recycled through
  // a free list, so that their strings keep their capacity and a message in steady state
  // allocates nothing.
  class PendingTable {
   public:
    // Keys are a host and a queue id; `hash` is key_hash's.
    Pending* find(std::string_view host, std::string_view queue_id, std::uint64_t hash);
    // An entry for a key not in the table yet, with every field reset.
    Pending& add(std::string_view host, std::string_view queue_id, std::uint64_t hash);
    void erase(std::string_view host, std::string_view queue_id, std::uint64_t hash);
    std::size_t size() const { return live_; }
    // Frees the entries that match; their number.
    template <class Predicate>
    std::size_t erase_if(Predicate matches);

   private:
    struct Bucket {
      std::uint32_t entry = 0;  // index + 1; 0: empty
      std::uint32_t hash = 0;   // low bits of the key's hash: the home bucket
    };
    // or npos
    std::size_t bucket_of(std::string_view host, std::string_view queue_id,
                          std::uint64_t hash) const;
    void place(std::uint32_t entry, std::uint64_t hash);
    void rebuild(std::size_t buckets);

    std::deque<Pending> entries_;  // a deque: entries stay put as it grows
    std::vector<std::uint32_t> free_;
    std::vector<Bucket> buckets_;
    std::size_t live_ = 0;
  };
  static std::uint64_t key_hash(std::string_view host, std::string_view queue_id);
  Pending& pending(std::string_view host, std::string_view queue_id, std::int64_t now);
  Pending* find(std::string_view host, std::string_view queue_id);
  void erase(std::string_view host, std::string_view queue_id);
  void evict(std::int64_t now);

  Aggregator& aggregator_;
  PendingTable pending_;
  std::string hop_account_;
  std::uint64_t evicted_ = 0;
  // Failures a warning line already counted, by client IP, until its session's disconnect line
  // (whose auth=S/T counts them again).
  StringMap<std::uint32_t> warned_;
};

// A line as the reader threads hand it over: cut to the line bound and split ahead of the
// (single-threaded) correlation, so that the parsing runs beside it.
struct PreparsedLine {
  std::string_view text;
  bool overlong = false;
  bool syslog = false;   // `parsed` is valid
  bool postfix = false;  // `postfix_fields` is valid
  SyslogLine parsed;
  PostfixLine postfix_fields;
};
// Fills everything after `text` and `overlong`.
void preparse(PreparsedLine& line, SyslogSplitter& splitter);

class SendmailParser {
 public:
  explicit SendmailParser(Aggregator& aggregator) : aggregator_(aggregator) {}
  LineResult parse(const SyslogLine& line);

 private:
  struct Session {
    std::string account, ip;
  };
  Aggregator& aggregator_;
  StringMap<Session> sessions_;   // host + pid -> AUTH of the SMTP session
  StringMap<std::string> queue_;  // host + queue id -> account key
  std::string key_;
};

// Dovecot login processes: "imap-login: Login: user=<u>, method=PLAIN, rip=IP, ...".
LineResult parse_dovecot(const SyslogLine& line, Aggregator& aggregator);

class EximParser {
 public:
  explicit EximParser(Aggregator& aggregator) : aggregator_(aggregator) {}
  // A main-log line ("2016-03-25 15:06:04 [pid] ID <= ..."), or the message of an exim syslog
  // line with its time.
  LineResult parse_mainlog(std::string_view line);
  LineResult parse_message(Stamp time, std::string_view message);

 private:
  struct Message {
    std::string account;
    bool recipients_listed = false;  // "for a b c" on the <= line; else counted per delivery
  };
  LineResult arrival(Stamp time, std::string_view id, std::string_view rest);

  Aggregator& aggregator_;
  StringMap<Message> messages_;  // exim id -> message in flight
};

// Exchange message tracking (W3C "#Fields:" header) and Microsoft 365 message trace CSV.
class CsvParser {
 public:
  explicit CsvParser(Aggregator& aggregator) : aggregator_(aggregator) {}
  // Recognises a header line; false when the line is not one.
  bool header(std::string_view line);
  LineResult row(std::string_view line);
  bool exchange() const { return exchange_; }

 private:
  Aggregator& aggregator_;
  bool exchange_ = false;
  int time_ = -1, sender_ = -1, recipients_ = -1, recipient_count_ = -1, client_ip_ = -1,
      original_ip_ = -1, message_id_ = -1, event_ = -1, source_ = -1, status_ = -1, direction_ = -1;
  std::vector<std::string> cells_;
  StringSet recent_ids_;  // messages already counted (one row per recipient or per hop)
};

// Splits one CSV line (RFC 4180 quoting, "" inside quotes); at most max_cells cells.
void split_csv(std::string_view line, std::vector<std::string>& cells, std::size_t max_cells);

}  // namespace emotriage::logs
