// Mail-server logs (DESIGN.md "Mail-server logs"): finds the accounts that mass-send through our
// own servers. Postfix, Exim, Sendmail, Dovecot, Exchange message tracking and Microsoft 365
// message trace; plain or gzip; streamed in bounded memory; keyed by the authenticated account.
#pragma once
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "profile/matcher.hpp"

namespace emotriage::logs {

// Defaults and their sources are in docs/logs.md (and ../shared/reference/mail-logs.md A.9).
struct Thresholds {
  // policyd-rate-limit's default 10 mails/min, held over a 10-minute window.
  std::uint32_t burst_messages_per_10min = 100;
  // postfix-ratelimiter / the analyser's 100 recipients/min, over 10 minutes.
  std::uint32_t burst_recipients_per_10min = 1000;
  // A burst is also this many times the account's own median active hour; an account that always
  // sends this much (a newsletter) is not bursting.
  double burst_factor = 5.0;
  // policyd-rate-limit 150 mails/day; Microsoft 365 10,000 recipients/day. Volume alone is
  // reported (over_daily_limit), never a reason by itself.
  std::uint32_t daily_messages = 150;
  std::uint32_t daily_recipients = 10000;
  // Distinct client IPs of one account within one clock hour (botnets rotate addresses).
  std::uint32_t client_ips_per_hour = 5;
  // Client IPs first used after the account's first baseline_hours of history.
  std::uint32_t new_client_ips = 2;
  std::uint32_t baseline_hours = 24;
  // Local wall-clock night [night_start_hour, night_end_hour).
  int night_start_hour = 22;
  int night_end_hour = 6;
  std::uint32_t night_messages = 3;
  // Envelope senders other than the account: any in another domain, or this many in its own
  // domain (shared mailboxes such as info@ are normal).
  std::uint32_t forged_same_domain_senders = 3;
  std::uint32_t dnsbl_rejections = 3;
  // Messages with an empty Message-ID or one naming a Windows host (`@DESKTOP-…`).
  std::uint32_t suspicious_message_ids = 3;
  std::uint32_t failed_logins = 5;
};

// How far analyze_logs is. Bytes are those of the files as stored: for a .gz the compressed
// bytes read so far, against its compressed size.
struct LogProgress {
  std::uint64_t lines = 0;
  std::uint64_t bytes_read = 0;
  std::optional<std::uint64_t> total_bytes;  // the files' sizes before reading; unknown for stdin
};

struct LogOptions {
  Thresholds thresholds;
  // With a profile: accounts map to employees, and accounts keyed by an unauthenticated envelope
  // sender are kept only when the sender is in one of our domains.
  const profile::Matcher* matcher = nullptr;
  // Year inference for syslog timestamps without a year: each file's modification time, or this
  // (Unix seconds) when set, and for stdin the current time.
  std::optional<std::int64_t> reference_time;
  // Shown wall clock for timestamps that carry a zone (RFC 3339, CSV in UTC), in minutes east
  // of UTC; unset keeps each timestamp's own offset. Night-time is judged on this clock.
  std::optional<int> utc_offset_minutes;
  // Called after each read of a file (about 1 MiB of text), on the calling thread.
  std::function<void(const LogProgress&)> progress;
};

// Why an account was flagged; the strings are stable ids (docs/logs.md).
enum class Reason {
  burst,
  many_client_ips,
  envelope_sender_mismatch,
  dnsbl_rejections,
  new_client_ips,
  night_time,
  suspicious_message_ids,
  failed_logins,
};
std::string_view reason_id(Reason reason);
// A reason id (reason_id) in words for a person; an unknown id as it is.
std::string_view reason_label(std::string_view id, bool japanese);
// A strong reason flags on its own; weak ones flag in pairs.
bool is_strong(Reason reason);

struct AccountSummary {
  std::string account;         // SASL user / A= id / authid, or envelope sender (lower case)
  bool authenticated = false;  // false: keyed by envelope sender, no login was logged
  std::string employee;        // with --profile: the employee's first name, else empty
  std::uint64_t messages = 0;
  std::uint64_t recipients = 0;  // sum of nrcpt / recipient counts
  std::uint64_t distinct_recipients = 0;
  std::uint64_t recipient_domains = 0;
  std::uint64_t client_ips = 0;
  std::vector<std::string> new_client_ips;  // first used after the baseline (up to 20 shown)
  std::uint64_t new_client_ip_count = 0;
  std::string first, last;  // ISO 8601 wall clock, with offset when known
  std::uint64_t hours_active = 0;
  std::uint64_t median_messages_per_active_hour = 0;
  // Median messages of the active hours before the burst (docs/logs.md "Flagging"); none when
  // the log holds no history of the account before it.
  std::optional<std::uint64_t> baseline_messages_per_hour;
  std::uint64_t peak_messages_per_hour = 0;
  std::uint64_t peak_messages_per_10min = 0;
  std::uint64_t peak_recipients_per_10min = 0;
  std::uint64_t peak_client_ips_per_hour = 0;
  std::uint64_t peak_messages_per_day = 0;
  std::uint64_t peak_recipients_per_day = 0;
  std::uint64_t night_messages = 0;
  std::uint64_t envelope_senders = 0;
  std::vector<std::string> forged_senders;  // envelope senders other than the account (up to 20)
  std::uint64_t forged_sender_messages = 0;
  std::uint64_t empty_message_ids = 0;
  std::uint64_t machine_message_ids = 0;
  std::vector<std::string> message_id_samples;
  std::uint64_t deferred = 0;  // delivery attempts
  std::uint64_t bounced = 0;
  std::uint64_t dnsbl_rejections = 0;
  std::vector<std::string> rejection_samples;  // receivers' answers (up to 5, shortened)
  std::uint64_t logins = 0;                    // successful logins (SMTP AUTH, IMAP/POP)
  std::uint64_t failed_logins = 0;  // failures for this name or from its IPs before a success
  bool over_daily_limit = false;
  bool state_truncated = false;  // a per-account bound was hit: distinct counts are lower bounds
  bool flagged = false;
  std::vector<Reason> reasons;
};

// FileSummary::error of a gzip file that ends before its end marker (a copy cut short).
inline constexpr std::string_view kTruncatedInput = "truncated: the gzip data ends unexpectedly";

struct FileSummary {
  std::string path;
  std::string format;  // "syslog" (Postfix, Sendmail, Dovecot, Exim via syslog), "exim",
                       // "exchange-tracking", "m365-trace"
  std::uint64_t lines = 0;
  std::uint64_t used = 0;      // contributed to the analysis
  std::uint64_t ignored = 0;   // recognised, nothing to count (connects, TLS, comments, ...)
  std::uint64_t unknown = 0;   // not recognised
  std::uint64_t overlong = 0;  // longer than the line bound; cut
  std::vector<std::string> unknown_samples;  // up to 3
  std::string error;  // reading stopped early (a damaged gzip stream); what was read is used
};

struct LogReport {
  std::vector<FileSummary> files;
  std::vector<AccountSummary> accounts;  // flagged first, then by messages
  Thresholds thresholds;
  std::uint64_t lines = 0;
  std::uint64_t messages = 0;
  // Queue ids forgotten because the pending table was full (their later lines are unattributed).
  std::uint64_t evicted_queue_ids = 0;
  std::uint64_t unattributed_deliveries = 0;
  // New accounts ignored because the account table was full (a hostile log of forged names).
  std::uint64_t accounts_dropped = 0;
  std::size_t flagged_count() const;
};

// Reads the files (a rotated set in time order: mail.log.2.gz, mail.log.1, mail.log; "-" is
// stdin) and analyses them. An unreadable file is an Error; bad lines never are.
std::expected<LogReport, core::Error> analyze_logs(const std::vector<std::string>& files,
                                                   const LogOptions& options);

// Orders a rotated set oldest first; other names keep their order. Exposed for tests.
std::vector<std::string> order_rotated(const std::vector<std::string>& files);

struct PreparsedLine;  // logs/parsers.hpp

// Cuts a line to the line bound (setting overlong) and drops a trailing CR.
std::string_view bounded_line(std::string_view line, bool& overlong);

// The streaming core behind analyze_logs, for callers that have lines in memory (tests, fuzzing).
class LogAnalyzer {
 public:
  explicit LogAnalyzer(const LogOptions& options);
  ~LogAnalyzer();
  LogAnalyzer(const LogAnalyzer&) = delete;
  LogAnalyzer& operator=(const LogAnalyzer&) = delete;

  // Starts a file; reference_time (Unix seconds) infers years of syslog timestamps.
  void begin_file(std::string path, std::int64_t reference_time);
  // One line without its end-of-line.
  void feed_line(std::string_view line);
  // A line from bounded_line, split ahead by a reader thread (after begin_file).
  void feed_preparsed(const PreparsedLine& line);
  LogReport finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// `--format json`: {"accounts": [...], "files": [...], "thresholds": {...}, ...}.
nlohmann::ordered_json report_to_json(const LogReport& report);
// For a person: flagged accounts first with reasons in plain words and the step-⑤ action.
std::string report_to_text(const LogReport& report, bool japanese);

}  // namespace emotriage::logs
