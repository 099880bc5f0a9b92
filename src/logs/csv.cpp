// Exchange message tracking logs (W3C header "#Fields: date-time,client-ip,...", one row per
// event) and Microsoft 365 message trace exports (one row per recipient); columns by name.
#include "core/text.hpp"
#include "logs/parsers.hpp"

namespace emotriage::logs {

namespace {

constexpr std::size_t kMaxCells = 64;           // Exchange 2019 has 29 columns
constexpr std::size_t kMaxRecentIds = 100'000;  // messages whose rows may still follow

std::string column_name(std::string_view name) {
  std::string out;
  for (char c : core::trim(name)) {
    if (c != '"' && c != ' ') out.push_back(core::ascii_lower(c));
  }
  return out;
}

int index_of(const std::vector<std::string>& names, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == key) return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

void split_csv(std::string_view line, std::vector<std::string>& cells, std::size_t max_cells) {
  cells.clear();
  std::size_t pos = 0;
  while (cells.size() < max_cells) {
    std::string& cell = cells.emplace_back();
    if (pos < line.size() && line[pos] == '"') {
      ++pos;
      while (pos < line.size()) {
        if (line[pos] == '"') {
          if (pos + 1 < line.size() && line[pos + 1] == '"') {
            cell.push_back('"');
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        cell.push_back(line[pos++]);
      }
    }
    const std::size_t comma = line.find(',', pos);
    cell.append(
        line.substr(pos, comma == std::string_view::npos ? line.size() - pos : comma - pos));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
}

bool CsvParser::header(std::string_view line) {
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  const bool fields = line.starts_with("#Fields:");
  if (fields) line.remove_prefix(8);
  split_csv(line, cells_, kMaxCells);
  std::vector<std::string> names;
  for (const auto& cell : cells_) names.push_back(column_name(cell));
  // "Sender": Get-MessageTrackingLog | Export-Csv (the tracking fields without hyphens).
  const int sender =
      index_of(names, {"sender-address", "senderaddress", "sender_address", "sender"});
  if (!fields && sender < 0) return false;
  event_ = index_of(names, {"event-id", "eventid"});
  // Tracking events (RECEIVE, SEND, ...) from the log itself or exported by PowerShell.
  exchange_ = fields || event_ >= 0;
  sender_ = sender;
  time_ = index_of(names,
                   {"date-time", "received", "origin_timestamp_utc", "date_time_utc", "timestamp"});
  recipients_ = index_of(names, {"recipient-address", "recipientaddress", "recipient_address",
                                 "recipient_status", "recipients"});
  recipient_count_ = index_of(names, {"recipient-count", "recipientcount"});
  client_ip_ = index_of(names, {"client-ip", "fromip", "clientip"});
  original_ip_ = index_of(names, {"original-client-ip", "original_client_ip", "originalclientip"});
  message_id_ = index_of(names, {"message-id", "messageid", "message_id"});
  source_ = index_of(names, {"source"});
  status_ = index_of(names, {"recipient-status", "status", "recipientstatus"});
  direction_ = index_of(names, {"directionality", "direction"});
  return true;
}

LineResult CsvParser::row(std::string_view line) {
  if (line.starts_with('#')) {
    if (line.starts_with("#Fields:")) header(line);
    return LineResult::ignored;
  }
  if (sender_ < 0 || time_ < 0) return LineResult::unknown;
  split_csv(line, cells_, kMaxCells);
  auto cell = [&](int index) -> std::string_view {
    return index >= 0 && static_cast<std::size_t>(index) < cells_.size()
               ? std::string_view(cells_[static_cast<std::size_t>(index)])
               : std::string_view{};
  };
  std::optional<Stamp> time = parse_csv_time(cell(time_));
  if (!time) return LineResult::unknown;
  // Message trace times are UTC ("Received"; origin_timestamp_utc), so --utc-offset applies to
  // them. Get-MessageTrackingLog writes the server's local time: its zone stays unknown.
  if (!exchange_ && time->offset == kNoZone) time->offset = 0;
  const std::string_view sender = strip_angles(core::trim(cell(sender_)));
  const std::string_view direction = cell(direction_);
  if (direction == "1" || core::iequals(direction, "Inbound") ||
      core::iequals(direction, "Incoming")) {
    return LineResult::ignored;
  }
  const std::string_view event_id = cell(event_);
  const std::string_view source = cell(source_);
  // The account is the sending mailbox: Exchange authenticated it (mailbox submission, or an
  // outbound/originating message of the tenant).
  const bool authenticated =
      exchange_ ? source == "STOREDRIVER" || core::iequals(direction, "Originating")
                : direction == "2" || core::iequals(direction, "Outbound") ||
                      core::iequals(direction, "Originating");
  const std::string key =
      aggregator_.account_key(authenticated ? sender : std::string_view{}, sender);
  const std::string_view message_id = cell(message_id_);
  const std::string_view status = cell(status_);
  const std::string_view recipients = cell(recipients_);
  // Both exports count a message once per Message-ID (hops and per-recipient rows repeat it).
  const auto count_message = [&](std::uint64_t recipient_count) {
    if (recent_ids_.size() >= kMaxRecentIds) recent_ids_.clear();
    if (!message_id.empty()) recent_ids_.emplace(message_id);
    MessageEvent event;
    event.time = *time;
    event.client_ip = cell(original_ip_).empty() ? cell(client_ip_) : cell(original_ip_);
    event.sender = sender;
    event.message_id = message_id;
    event.has_message_id = message_id_ >= 0;
    event.recipients = recipient_count;
    aggregator_.message(key, authenticated, event);
  };
  if (exchange_) {
    if (event_id == "RECEIVE" && (source == "SMTP" || source == "STOREDRIVER")) {
      // The same message is received again on each hop: count it once.
      if (!message_id.empty() && recent_ids_.contains(message_id)) return LineResult::used;
      count_message(recipient_count_ >= 0
                        ? number(cell(recipient_count_))
                        : 1 + static_cast<std::uint64_t>(std::ranges::count(recipients, ';')));
      return LineResult::used;
    }
    const bool sent = event_id == "SEND" || event_id == "DELIVER";
    if (!sent && event_id != "FAIL" && event_id != "DEFER") return LineResult::ignored;
    const Delivery result = sent                 ? Delivery::sent
                            : event_id == "FAIL" ? Delivery::bounced
                                                 : Delivery::deferred;
    std::string_view rest = recipients;
    for (int i = 0; i < 1000 && !rest.empty(); ++i) {
      const std::size_t semicolon = rest.find(';');
      aggregator_.delivery(key, *time, rest.substr(0, semicolon), result, status);
      rest = semicolon == std::string_view::npos ? std::string_view{} : rest.substr(semicolon + 1);
    }
    return LineResult::used;
  }
  // Microsoft 365: one row per recipient ("addr##RECEIVE, SEND" in the extended report).
  std::string_view recipient = recipients.substr(0, recipients.find("##"));
  if (message_id.empty() || !recent_ids_.contains(message_id)) {
    count_message(1);
  } else {
    aggregator_.add_recipient(key, *time);
  }
  const Delivery result =
      core::iequals(status, "Failed") || core::iequals(status, "FilteredAsSpam") ||
              core::iequals(status, "Quarantined")
          ? Delivery::bounced
      : core::iequals(status, "Pending") || core::iequals(status, "Deferred") ? Delivery::deferred
                                                                              : Delivery::sent;
  aggregator_.delivery(key, *time, recipient, result, status);
  return LineResult::used;
}

}  // namespace emotriage::logs
