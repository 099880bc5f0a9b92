// Sendmail (the AUTH line has no queue id: it is joined to the message by the sm-mta[pid] of the
// SMTP session) and Dovecot login processes.
#include "logs/parsers.hpp"

namespace emotriage::logs {

namespace {

// Open SMTP sessions and queue ids; Sendmail logs no "removed" line, so the tables are cleared
// when full (a message rarely waits longer than the tables take to fill).
constexpr std::size_t kMaxSessions = 50'000;
constexpr std::size_t kMaxQueue = 200'000;

}  // namespace

LineResult SendmailParser::parse(const SyslogLine& line) {
  const std::string_view message = line.message;
  if (message.starts_with("AUTH=server")) {
    // "AUTH=server, relay=host [127.0.0.1], authid=augie, mech=PLAIN, bits=0"
    const std::string_view user = value_after(message, "authid=");
    const std::string_view ip = bracketed_ip(value_after(message, "relay="));
    if (sessions_.size() >= kMaxSessions) sessions_.clear();
    key_.assign(line.host).append(1, ' ').append(line.pid);
    sessions_.insert_or_assign(key_, Session{aggregator_.account_key(user, {}), std::string(ip)});
    aggregator_.login(user, ip, line.time);
    return LineResult::used;
  }
  // "AUTH failure (LOGIN): ..., user=U, relay=host [IP]", with or without a queue id before it.
  if (message.find("AUTH failure") != std::string_view::npos) {
    aggregator_.failed_login(value_after(message, "user="),
                             bracketed_ip(value_after(message, "relay=")));
    return LineResult::used;
  }
  const std::size_t id_length = queue_id_length(message);
  if (id_length == 0) return LineResult::ignored;
  const std::string_view queue_id = message.substr(0, id_length);
  const std::string_view rest = message.substr(id_length + 2);
  if (rest.find("possible SMTP attack: command=AUTH") != std::string_view::npos) {
    aggregator_.failed_login({}, bracketed_ip(rest));
    return LineResult::used;
  }
  if (rest.starts_with("from=")) {
    const std::string_view sender = strip_angles(value_after(rest, "from="));
    const std::string_view ip = bracketed_ip(value_after(rest, "relay="));
    key_.assign(line.host).append(1, ' ').append(line.pid);
    auto session = sessions_.find(key_);
    // A pid is reused by later sessions: the AUTH must come from the same client.
    const bool authenticated =
        session != sessions_.end() && !session->second.account.empty() && session->second.ip == ip;
    // An unauthenticated hop from this host (the submission program, a milter re-queue) is
    // counted where the mail entered.
    if (!authenticated && is_loopback(ip)) return LineResult::used;
    std::string account =
        authenticated ? session->second.account : aggregator_.account_key({}, sender);
    MessageEvent event;
    event.time = line.time;
    event.client_ip = ip;
    event.sender = sender;
    event.message_id = value_after(rest, "msgid=");
    event.has_message_id = rest.find("msgid=") != std::string_view::npos;
    event.recipients = number(value_after(rest, "nrcpts="));
    aggregator_.message(account, authenticated, event);
    if (queue_.size() >= kMaxQueue) queue_.clear();
    key_.assign(line.host).append(1, ' ').append(queue_id);
    queue_.insert_or_assign(key_, std::move(account));
    return LineResult::used;
  }
  if (rest.starts_with("to=")) {
    key_.assign(line.host).append(1, ' ').append(queue_id);
    auto found = queue_.find(key_);
    if (found == queue_.end() || found->second.empty()) {
      aggregator_.unattributed_delivery();
      return LineResult::used;
    }
    const std::size_t stat_at = rest.find("stat=");
    const std::string_view stat =
        stat_at == std::string_view::npos ? std::string_view{} : rest.substr(stat_at + 5);
    const Delivery result = stat.starts_with("Sent")       ? Delivery::sent
                            : stat.starts_with("Deferred") ? Delivery::deferred
                                                           : Delivery::bounced;
    aggregator_.delivery(found->second, line.time, strip_angles(value_after(rest, "to=")), result,
                         stat);
    return LineResult::used;
  }
  return LineResult::ignored;
}

LineResult parse_dovecot(const SyslogLine& line, Aggregator& aggregator) {
  std::string_view message = line.message;
  // "dovecot: imap-login: ..." or "imap-login: ..." as the program; "Info: " in newer versions.
  const std::size_t service_end = message.find(": ");
  if (service_end != std::string_view::npos && message.substr(0, service_end).ends_with("-login")) {
    message.remove_prefix(service_end + 2);
  }
  if (message.starts_with("Info: ")) message.remove_prefix(6);
  const std::string_view user = strip_angles(value_after(message, "user="));
  const std::string_view ip = value_after(message, "rip=");
  if (message.starts_with("Login: ")) {
    aggregator.login(user, ip, line.time);
    return LineResult::used;
  }
  if (message.find("auth failed") != std::string_view::npos) {
    aggregator.failed_login(user, ip);
    return LineResult::used;
  }
  // "auth: passwd-file(user,192.0.2.1): Password mismatch", "auth-worker(9): pam(u,ip,<s>): ..."
  if (message.starts_with("auth")) {
    const std::size_t open = message.find("(", message.find(": "));
    const std::size_t close = message.find(')', open);
    if (open != std::string_view::npos && close != std::string_view::npos &&
        (message.find("mismatch", close) != std::string_view::npos ||
         message.find("unknown user", close) != std::string_view::npos ||
         message.find("failed", close) != std::string_view::npos)) {
      const std::string_view inside = message.substr(open + 1, close - open - 1);
      const std::size_t comma = inside.find(',');
      const std::string_view failed_user = inside.substr(0, comma);
      std::string_view failed_ip =
          comma == std::string_view::npos ? std::string_view{} : inside.substr(comma + 1);
      failed_ip = failed_ip.substr(0, failed_ip.find(','));
      aggregator.failed_login(failed_user, failed_ip);
      return LineResult::used;
    }
  }
  return LineResult::ignored;
}

}  // namespace emotriage::logs
