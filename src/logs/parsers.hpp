// Line parsers, one per log family. Each keeps only the correlation state its format needs
// (queue ids, SMTP sessions), bounded, and reports messages, deliveries and logins to the
// Aggregator.
#pragma once
#include <cstdint>
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

// Splits a syslog line (classic or RFC 3339 timestamp); false when it is not one.
bool split_syslog(std::string_view line, std::int64_t reference_wall, SyslogLine& out);

class PostfixParser {
 public:
  explicit PostfixParser(Aggregator& aggregator) : aggregator_(aggregator) {}
  // program is "postfix/..." or "postfix-INSTANCE/...".
  LineResult parse(const SyslogLine& line);
  std::uint64_t evicted() const { return evicted_; }

 private:
  struct Pending {
    std::string account;  // key the message is counted under; empty until known
    std::string client_ip;
    std::string message_id;
    bool has_message_id = false;
    bool authenticated = false;
    bool received = false;  // an smtpd/pickup line was seen
    bool counted = false;   // counted once: later qmgr lines are retries or filter hops
    std::int64_t last_seen = 0;
  };
  Pending& pending(std::string_view host, std::string_view queue_id, std::int64_t now);
  Pending* find(std::string_view host, std::string_view queue_id);
  void erase(std::string_view host, std::string_view queue_id);
  void evict(std::int64_t now);
  LineResult recipient_line(const SyslogLine& line, std::string_view queue_id,
                            std::string_view rest);

  Aggregator& aggregator_;
  StringMap<Pending> pending_;
  std::string key_;
  std::uint64_t evicted_ = 0;
};

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
      original_ip_ = -1, message_id_ = -1, event_ = -1, source_ = -1, status_ = -1, direction_ = -1,
      info_ = -1;
  std::vector<std::string> cells_;
  StringSet recent_ids_;  // messages already counted (one row per recipient or per hop)
};

// Splits one CSV line (RFC 4180 quoting, "" inside quotes); at most max_cells cells.
void split_csv(std::string_view line, std::vector<std::string>& cells, std::size_t max_cells);

}  // namespace emotriage::logs
