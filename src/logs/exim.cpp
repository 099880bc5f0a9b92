// Exim main log: "DATE TIME [pid] ID <= sender H=host [ip]:port P=esmtpa A=auth:id S=size
// id=msgid T="subject" for rcpt..."; deliveries "=>", "->", "*>", failures "**", deferrals "==".
#include <charconv>

#include "logs/parsers.hpp"

namespace emotriage::logs {

namespace {

// Messages in flight between "<=" and "Completed".
constexpr std::size_t kMaxMessages = 200'000;

// Old ids "1ajLoq-0001wC-Pk", Exim 4.97 ids "1ajLoq-000000001wC-Pkxx".
bool is_exim_id(std::string_view token) {
  if (token.size() < 16 || token.size() > 23 || token[6] != '-') return false;
  for (char c : token) {
    if (!is_id_char(c) && c != '-') return false;
  }
  return true;
}

// Next space-separated token; a KEY="..." value keeps its quoted spaces.
std::string_view next_token(std::string_view& text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  std::size_t end = 0;
  bool quoted = false;
  while (end < text.size() && (quoted || text[end] != ' ')) {
    if (text[end] == '\\' && quoted) {
      ++end;
    } else if (text[end] == '"') {
      quoted = !quoted;
    }
    ++end;
  }
  end = std::min(end, text.size());
  const std::string_view token = text.substr(0, end);
  text.remove_prefix(end);
  return token;
}

}  // namespace

LineResult EximParser::parse_mainlog(std::string_view line) {
  std::size_t used = 0;
  const std::optional<Stamp> time = parse_exim_time(line, used);
  if (!time) return LineResult::unknown;
  std::string_view rest = line.substr(used);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.starts_with('[')) {
    const std::size_t close = rest.find("] ");
    if (close != std::string_view::npos) rest.remove_prefix(close + 2);
  }
  return parse_message(*time, rest);
}

LineResult EximParser::parse_message(Stamp time, std::string_view message) {
  std::string_view rest = message;
  const std::string_view id = next_token(rest);
  if (!is_exim_id(id)) {
    // "dovecot_login authenticator failed for host (helo) [ip]: 535 ... (set_id=user)"
    const std::size_t failed = message.find("authenticator failed for ");
    if (failed == std::string_view::npos) return LineResult::ignored;
    std::string_view user = value_after(message, "(set_id=", ')');
    aggregator_.failed_login(user, bracketed_ip(message.substr(failed)));
    return LineResult::used;
  }
  std::string_view flag_rest = rest;
  const std::string_view flag = next_token(flag_rest);
  if (flag == "<=") return arrival(time, id, flag_rest);
  if (flag == "Completed") {
    if (auto found = messages_.find(id); found != messages_.end()) messages_.erase(found);
    return LineResult::used;
  }
  const bool sent = flag == "=>" || flag == "->" || flag == "*>";
  if (!sent && flag != "**" && flag != "==") return LineResult::ignored;
  auto found = messages_.find(id);
  if (found == messages_.end() || found->second.account.empty()) {
    aggregator_.unattributed_delivery();
    return LineResult::used;
  }
  const std::string_view recipient = next_token(flag_rest);
  if (!found->second.recipients_listed && flag != "==") {
    aggregator_.add_recipient(found->second.account, time);
  }
  const Delivery result = sent           ? Delivery::sent
                          : flag == "**" ? Delivery::bounced
                                         : Delivery::deferred;
  aggregator_.delivery(found->second.account, time, recipient, result, flag_rest);
  return LineResult::used;
}

LineResult EximParser::arrival(Stamp time, std::string_view id, std::string_view rest) {
  std::string_view sender = next_token(rest);
  if (sender == "<>") sender = {};
  std::string_view ip, authenticated_id, message_id;
  bool has_message_id = false;
  std::uint64_t listed = 0;
  bool recipients_listed = false;
  while (!rest.empty()) {
    const std::string_view token = next_token(rest);
    if (token.empty()) break;
    if (recipients_listed) {
      ++listed;
    } else if (token == "for") {
      recipients_listed = true;
    } else if (token.starts_with('[') && ip.empty()) {
      ip = bracketed_ip(token);
    } else if (token.starts_with("H=[") && ip.empty()) {
      // A client without a reverse name: "H=[198.18.1.1]:50000".
      ip = bracketed_ip(token.substr(2));
    } else if (token.starts_with("A=")) {
      authenticated_id = token.substr(2);
      const std::size_t colon = authenticated_id.find(':');
      if (colon != std::string_view::npos) authenticated_id.remove_prefix(colon + 1);
    } else if (token.starts_with("id=")) {
      message_id = token.substr(3);
      has_message_id = true;
    }
  }
  Message entry;
  entry.account = aggregator_.account_key(authenticated_id, sender);
  entry.recipients_listed = recipients_listed;
  MessageEvent event;
  event.time = time;
  event.client_ip = ip;
  event.sender = sender;
  event.message_id = message_id;
  event.has_message_id = has_message_id;
  event.recipients = listed;
  aggregator_.message(entry.account, !authenticated_id.empty(), event);
  if (messages_.size() >= kMaxMessages) messages_.clear();
  messages_.insert_or_assign(std::string(id), std::move(entry));
  return LineResult::used;
}

}  // namespace emotriage::logs
