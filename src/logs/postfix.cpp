// Postfix: smtpd (client, SASL user) -> cleanup (Message-ID) -> qmgr (from, nrcpt) -> smtp/lmtp/
// local/error (one line per recipient and attempt), all on one queue id; a content filter
// (amavis on 127.0.0.1:10024) hands the mail back under a new id ("queued as NEWID").
#include "logs/parsers.hpp"

namespace emotriage::logs {

namespace {

// Queue ids in flight. Postfix keeps a message at most 5 days (maximal_queue_lifetime); a
// hostile or truncated log must not grow the table without end.
constexpr std::size_t kMaxPending = 200'000;
constexpr std::int64_t kPendingSeconds = 6 * 86400;
constexpr std::size_t kMaxMessageIdBytes = 256;

std::string_view daemon_of(std::string_view program) {
  const std::size_t slash = program.rfind('/');
  return slash == std::string_view::npos ? program : program.substr(slash + 1);
}

}  // namespace

bool split_syslog(std::string_view line, std::int64_t reference_wall, SyslogLine& out) {
  std::size_t used = 0;
  std::optional<Stamp> time;
  if (!line.empty() && line[0] >= '0' && line[0] <= '9') {
    if (line.size() > 10 && line[10] == 'T') time = parse_rfc3339(line, used);
  } else {
    time = parse_classic_syslog(line, reference_wall, used);
  }
  if (!time || used >= line.size() || line[used] != ' ') return false;
  std::string_view rest = line.substr(used + 1);
  const std::size_t host_end = rest.find(' ');
  if (host_end == std::string_view::npos || host_end == 0) return false;
  out.host = rest.substr(0, host_end);
  rest.remove_prefix(host_end + 1);
  std::size_t tag_end = rest.find(' ');
  if (tag_end == std::string_view::npos) {
    if (!rest.ends_with(':')) return false;
    tag_end = rest.size();
  }
  if (tag_end == 0 || rest[tag_end - 1] != ':') return false;
  const std::string_view tag = rest.substr(0, tag_end - 1);
  out.message = tag_end < rest.size() ? rest.substr(tag_end + 1) : std::string_view{};
  const std::size_t open = tag.find('[');
  out.program = tag.substr(0, open);
  out.pid = open == std::string_view::npos ? std::string_view{}
                                           : tag.substr(open + 1, tag.size() - open - 2);
  out.time = *time;
  return !out.program.empty();
}

PostfixParser::Pending* PostfixParser::find(std::string_view host, std::string_view queue_id) {
  key_.assign(host).append(1, ' ').append(queue_id);
  auto it = pending_.find(key_);
  return it == pending_.end() ? nullptr : &it->second;
}

PostfixParser::Pending& PostfixParser::pending(std::string_view host, std::string_view queue_id,
                                               std::int64_t now) {
  if (Pending* found = find(host, queue_id)) {
    found->last_seen = now;
    return *found;
  }
  if (pending_.size() >= kMaxPending) {
    evict(now);
    key_.assign(host).append(1, ' ').append(queue_id);
  }
  Pending& added = pending_.try_emplace(key_).first->second;
  added.last_seen = now;
  return added;
}

void PostfixParser::erase(std::string_view host, std::string_view queue_id) {
  key_.assign(host).append(1, ' ').append(queue_id);
  pending_.erase(key_);
}

void PostfixParser::evict(std::int64_t now) {
  // Oldest first: ids idle past the queue lifetime, then ever shorter idle times until a quarter
  // of the table is free.
  for (std::int64_t idle = kPendingSeconds; pending_.size() > kMaxPending * 3 / 4; idle /= 2) {
    std::erase_if(pending_, [&](const auto& entry) {
      const bool old = entry.second.last_seen < now - idle;
      evicted_ += old ? 1 : 0;
      return old;
    });
    if (idle == 0) {
      evicted_ += pending_.size();
      pending_.clear();
    }
  }
}

LineResult PostfixParser::parse(const SyslogLine& line) {
  const std::string_view message = line.message;
  const std::string_view daemon = daemon_of(line.program);
  // "warning: unknown[192.0.2.152]: SASL LOGIN authentication failed: ..., sasl_username=admin"
  if (message.starts_with("warning: ")) {
    if (message.find("authentication failed") == std::string_view::npos) return LineResult::ignored;
    const std::string_view client = message.substr(9);
    aggregator_.failed_login(value_after(message, "sasl_username="),
                             bracketed_ip(client.substr(0, client.find(": "))));
    return LineResult::used;
  }
  const std::size_t id_length = queue_id_length(message);
  if (id_length == 0) return LineResult::ignored;
  const std::string_view queue_id = message.substr(0, id_length);
  const std::string_view rest = message.substr(id_length + 2);
  const std::int64_t now = line.time.wall;
  if (rest.starts_with("client=")) {
    Pending& entry = pending(line.host, queue_id, now);
    if (entry.received) return LineResult::used;
    entry.received = true;
    entry.client_ip = bracketed_ip(value_after(rest, "client="));
    const std::string_view user = value_after(rest, "sasl_username=");
    if (!user.empty()) {
      entry.authenticated = true;
      entry.account = aggregator_.account_key(user, {});
    } else if (is_loopback(entry.client_ip)) {
      // A content filter handing the mail back: it was counted under its first queue id.
      entry.counted = true;
    }
    return LineResult::used;
  }
  if (daemon == "pickup" && rest.starts_with("uid=")) {
    pending(line.host, queue_id, now).received = true;
    return LineResult::used;
  }
  if (rest.starts_with("message-id=")) {
    Pending& entry = pending(line.host, queue_id, now);
    entry.message_id.assign(rest.substr(11, kMaxMessageIdBytes));
    entry.has_message_id = true;
    return LineResult::used;
  }
  if (rest.starts_with("from=<")) {
    Pending* entry = find(line.host, queue_id);
    // Not seen arriving: arrived before the log starts, or a bounce Postfix wrote itself.
    if (entry == nullptr || !entry->received) return LineResult::ignored;
    entry->last_seen = now;
    // qmgr logs from= again on every retry of a deferred message: count it once.
    if (entry->counted) return LineResult::used;
    entry->counted = true;
    const std::string_view sender = strip_angles(value_after(rest, "from="));
    if (!entry->authenticated) entry->account = aggregator_.account_key({}, sender);
    MessageEvent event;
    event.time = line.time;
    event.client_ip = entry->client_ip;
    event.sender = sender;
    event.message_id = entry->message_id;
    event.has_message_id = entry->has_message_id;
    event.recipients = number(value_after(rest, "nrcpt=", ' '));
    aggregator_.message(entry->account, entry->authenticated, event);
    return LineResult::used;
  }
  if (rest.starts_with("to=<")) return recipient_line(line, queue_id, rest);
  if (rest == "removed") {
    erase(line.host, queue_id);
    return LineResult::used;
  }
  return LineResult::ignored;
}

LineResult PostfixParser::recipient_line(const SyslogLine& line, std::string_view queue_id,
                                         std::string_view rest) {
  const std::string_view recipient = strip_angles(value_after(rest, "to="));
  const std::string_view relay = value_after(rest, "relay=");
  const std::string_view status = value_after(rest, "status=", ' ');
  std::string_view text;
  const std::size_t status_at = rest.find(" status=");
  if (status_at != std::string_view::npos) {
    const std::size_t open = rest.find(" (", status_at);
    if (open != std::string_view::npos) text = rest.substr(open + 2);
    if (text.ends_with(')')) text.remove_suffix(1);
  }
  Pending* entry = find(line.host, queue_id);
  const std::size_t queued_as = text.find("queued as ");
  if (status == "sent" && queued_as != std::string_view::npos && is_loopback(bracketed_ip(relay))) {
    // Content-filter hop: the filter re-queued the mail as NEWID; its deliveries are this one's.
    std::string_view next_id = text.substr(queued_as + 10);
    std::size_t length = 0;
    while (length < next_id.size() && length < 32 && is_id_char(next_id[length])) ++length;
    next_id = next_id.substr(0, length);
    if (entry != nullptr && !entry->account.empty() && length >= 5) {
      const std::string account = entry->account;
      const bool authenticated = entry->authenticated;
      Pending& next = pending(line.host, next_id, line.time.wall);
      next.account = account;
      next.authenticated = authenticated;
      next.received = true;
      next.counted = true;
    }
    return LineResult::used;
  }
  if (entry == nullptr || entry->account.empty()) {
    aggregator_.unattributed_delivery();
    return LineResult::used;
  }
  entry->last_seen = line.time.wall;
  const Delivery result = status == "sent"      ? Delivery::sent
                          : status == "bounced" ? Delivery::bounced
                                                : Delivery::deferred;
  aggregator_.delivery(entry->account, line.time, recipient, result, text);
  return LineResult::used;
}

}  // namespace emotriage::logs
