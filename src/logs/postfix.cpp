// Postfix: smtpd (client, SASL user) -> cleanup (Message-ID) -> qmgr (from, nrcpt) -> smtp/lmtp/
// local/error (one line per recipient and attempt), all on one queue id; a content filter
// (amavis on 127.0.0.1:10024) hands the mail back under a new id ("queued as NEWID").
#include "logs/parsers.hpp"

#include <cstring>

namespace emotriage::logs {

namespace {

// Queue ids in flight. Postfix keeps a message at most 5 days (maximal_queue_lifetime); a
// hostile or truncated log must not grow the table without end.
constexpr std::size_t kMaxPending = 200'000;
constexpr std::int64_t kPendingSeconds = 6 * 86400;
constexpr std::size_t kMaxMessageIdBytes = 256;
constexpr std::size_t kMaxWarnedIps = 100'000;
constexpr std::uint64_t kMaxSessionFailures = 100;

std::string_view daemon_of(std::string_view program) {
  const std::size_t slash = program.rfind('/');
  return slash == std::string_view::npos ? program : program.substr(slash + 1);
}

}  // namespace

std::optional<Stamp> SyslogSplitter::stamp(std::string_view line, std::size_t& used) {
  const bool iso = line[0] >= '0' && line[0] <= '9';
  if (iso && (line.size() <= 10 || line[10] != 'T')) return std::nullopt;
  if (cache_valid_ && line.size() >= kKeyBytes &&
      same_text(line.substr(0, kKeyBytes), std::string_view(cached_key_, kKeyBytes))) {
    if (!iso) {
      used = cached_used_;
      return cached_;
    }
    const std::size_t zone_at = skip_fraction(line, kKeyBytes);
    if (zone_bytes_ > 0 && line.size() - zone_at >= zone_bytes_ &&
        same_text(line.substr(zone_at, zone_bytes_), std::string_view(cached_zone_, zone_bytes_))) {
      used = zone_at + zone_bytes_;
      return Stamp{cached_.wall, zone_offset_};
    }
    std::optional<Stamp> parsed = parse_rfc3339_after_clock(line, cached_.wall, used);
    if (parsed) remember_zone(line, used, parsed->offset);
    return parsed;
  }
  std::optional<Stamp> parsed =
      iso ? parse_rfc3339(line, used) : parse_classic_syslog(line, reference_wall_, used);
  // A classic stamp ("Jan  5 09:12:00", 15 bytes) is reused only when the key covers all of it;
  // an RFC 3339 key is exactly its date and clock.
  cache_valid_ = parsed && line.size() >= kKeyBytes && (iso || used <= kKeyBytes);
  if (cache_valid_) {
    std::memcpy(cached_key_, line.data(), kKeyBytes);
    cached_ = *parsed;
    cached_used_ = used;
    if (iso) remember_zone(line, used, parsed->offset);
  }
  return parsed;
}

void SyslogSplitter::remember_zone(std::string_view line, std::size_t used, int offset) {
  const std::size_t zone_at = skip_fraction(line, kKeyBytes);
  zone_bytes_ = used > zone_at && used - zone_at <= sizeof cached_zone_ ? used - zone_at : 0;
  std::memcpy(cached_zone_, line.data() + zone_at, zone_bytes_);
  zone_offset_ = offset;
}

bool SyslogSplitter::split(std::string_view line, SyslogLine& out) {
  if (line.empty()) return false;
  std::size_t used = 0;
  const std::optional<Stamp> time = stamp(line, used);
  if (!time || used >= line.size() || line[used] != ' ') return false;
  std::string_view rest = line.substr(used + 1);
  // The host is a few bytes: a loop is cheaper than a call of memchr.
  std::size_t host_end = 0;
  while (host_end < rest.size() && rest[host_end] != ' ') ++host_end;
  if (host_end == rest.size()) host_end = std::string_view::npos;
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

std::size_t PostfixParser::PendingTable::bucket_of(std::string_view host, std::string_view queue_id,
                                                   std::uint64_t hash) const {
  if (buckets_.empty()) return std::string_view::npos;
  const std::size_t mask = buckets_.size() - 1;
  const auto tag = static_cast<std::uint32_t>(hash);
  for (std::size_t i = tag & mask; buckets_[i].entry != 0; i = (i + 1) & mask) {
    if (buckets_[i].hash != tag) continue;
    const std::string_view key = entries_[buckets_[i].entry - 1].key;
    if (key.size() == host.size() + 1 + queue_id.size() &&
        same_text(key.substr(host.size() + 1), queue_id) &&
        same_text(key.substr(0, host.size()), host)) {
      return i;
    }
  }
  return std::string_view::npos;
}

void PostfixParser::PendingTable::place(std::uint32_t entry, std::uint64_t hash) {
  const std::size_t mask = buckets_.size() - 1;
  const auto tag = static_cast<std::uint32_t>(hash);
  std::size_t i = tag & mask;
  while (buckets_[i].entry != 0) i = (i + 1) & mask;
  buckets_[i] = Bucket{entry + 1, tag};
}

void PostfixParser::PendingTable::rebuild(std::size_t buckets) {
  buckets_.assign(buckets, Bucket{});
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].live) place(static_cast<std::uint32_t>(i), entries_[i].hash);
  }
}

PostfixParser::Pending* PostfixParser::PendingTable::find(std::string_view host,
                                                          std::string_view queue_id,
                                                          std::uint64_t hash) {
  const std::size_t bucket = bucket_of(host, queue_id, hash);
  return bucket == std::string_view::npos ? nullptr : &entries_[buckets_[bucket].entry - 1];
}

PostfixParser::Pending& PostfixParser::PendingTable::add(std::string_view host,
                                                         std::string_view queue_id,
                                                         std::uint64_t hash) {
  if ((live_ + 1) * 2 > buckets_.size()) rebuild(std::max<std::size_t>(1024, buckets_.size() * 2));
  std::uint32_t index = 0;
  if (free_.empty()) {
    index = static_cast<std::uint32_t>(entries_.size());
    entries_.emplace_back();
  } else {
    index = free_.back();
    free_.pop_back();
  }
  Pending& entry = entries_[index];
  // assign() and clear() keep the recycled strings' capacity
  entry.key.assign(host).append(1, ' ').append(queue_id);
  entry.hash = hash;
  entry.account.clear();
  entry.state = nullptr;
  entry.client_ip.clear();
  entry.message_id.clear();
  entry.has_message_id = entry.authenticated = entry.received = entry.counted = false;
  entry.last_seen = 0;
  entry.live = true;
  place(index, hash);
  ++live_;
  return entry;
}

void PostfixParser::PendingTable::erase(std::string_view host, std::string_view queue_id,
                                        std::uint64_t hash) {
  std::size_t hole = bucket_of(host, queue_id, hash);
  if (hole == std::string_view::npos) return;
  const std::uint32_t index = buckets_[hole].entry - 1;
  entries_[index].live = false;
  free_.push_back(index);
  --live_;
  // Backward-shift deletion: later buckets of the probe run move up into the hole unless their
  // home bucket lies cyclically in (hole, i].
  const std::size_t mask = buckets_.size() - 1;
  buckets_[hole] = Bucket{};
  for (std::size_t i = (hole + 1) & mask; buckets_[i].entry != 0; i = (i + 1) & mask) {
    const std::size_t home = buckets_[i].hash & mask;
    const bool stays = hole <= i ? hole < home && home <= i : hole < home || home <= i;
    if (stays) continue;
    buckets_[hole] = buckets_[i];
    buckets_[i] = Bucket{};
    hole = i;
  }
}

template <class Predicate>
std::size_t PostfixParser::PendingTable::erase_if(Predicate matches) {
  std::size_t erased = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    Pending& entry = entries_[i];
    if (!entry.live || !matches(entry)) continue;
    entry.live = false;
    free_.push_back(static_cast<std::uint32_t>(i));
    ++erased;
  }
  live_ -= erased;
  if (erased > 0) rebuild(buckets_.size());
  return erased;
}

std::uint64_t PostfixParser::key_hash(std::string_view host, std::string_view queue_id) {
  return text_hash(queue_id) ^ text_hash(host);
}

PostfixParser::Pending* PostfixParser::find(std::string_view host, std::string_view queue_id) {
  return pending_.find(host, queue_id, key_hash(host, queue_id));
}

PostfixParser::Pending& PostfixParser::pending(std::string_view host, std::string_view queue_id,
                                               std::int64_t now) {
  const std::uint64_t hash = key_hash(host, queue_id);
  Pending* entry = pending_.find(host, queue_id, hash);
  if (entry == nullptr) {
    if (pending_.size() >= kMaxPending) evict(now);
    entry = &pending_.add(host, queue_id, hash);
  }
  entry->last_seen = now;
  return *entry;
}

void PostfixParser::erase(std::string_view host, std::string_view queue_id) {
  pending_.erase(host, queue_id, key_hash(host, queue_id));
}

void PostfixParser::evict(std::int64_t now) {
  // Oldest first: ids idle past the queue lifetime, then ever shorter idle times until a quarter
  // of the table is free.
  for (std::int64_t idle = kPendingSeconds; pending_.size() > kMaxPending * 3 / 4; idle /= 2) {
    evicted_ += pending_.erase_if(
        [&](const Pending& entry) { return idle == 0 || entry.last_seen < now - idle; });
  }
}

PostfixLine extract_postfix(const SyslogLine& line) {
  PostfixLine out;
  const std::string_view message = line.message;
  // "warning: unknown[192.0.2.152]: SASL LOGIN authentication failed: ..., sasl_username=admin"
  if (message.starts_with("warning: ")) {
    if (find_text(message, "authentication failed") == std::string_view::npos) return out;
    const std::string_view client = message.substr(9);
    out.kind = PostfixLine::Kind::failed_login;
    out.user = value_after(message, "sasl_username=");
    out.ip = bracketed_ip(client.substr(0, find_text(client, ": ")));
    return out;
  }
  // "disconnect from unknown[192.0.2.1] helo=1 auth=0/1 quit=1 commands=2/3": AUTH commands
  // succeeded/sent; some servers log no warning line for a failure.
  if (message.starts_with("disconnect from ")) {
    const std::string_view auth = value_after(message, "auth=", ' ');
    const std::size_t slash = auth.find('/');
    if (slash == std::string_view::npos) return out;
    const std::uint64_t succeeded = number(auth.substr(0, slash));
    const std::uint64_t sent = number(auth.substr(slash + 1));
    if (sent <= succeeded) return out;
    out.kind = PostfixLine::Kind::disconnect;
    out.ip = bracketed_ip(message.substr(16, message.find(' ', 16) - 16));
    out.recipients = sent - succeeded;
    return out;
  }
  const std::size_t id_length = queue_id_length(message);
  if (id_length == 0) return out;
  out.queue_id = message.substr(0, id_length);
  const std::string_view rest = message.substr(id_length + 2);
  if (rest.starts_with("client=")) {
    out.kind = PostfixLine::Kind::client;
    out.ip = bracketed_ip(value_after(rest, "client="));
    out.user = value_after(rest, "sasl_username=");
  } else if (rest.starts_with("uid=")) {
    if (daemon_of(line.program) == "pickup") out.kind = PostfixLine::Kind::pickup;
  } else if (rest.starts_with("message-id=")) {
    out.kind = PostfixLine::Kind::message_id;
    out.value = rest.substr(11, kMaxMessageIdBytes);
  } else if (rest.starts_with("from=<")) {
    out.kind = PostfixLine::Kind::from;
    out.value = strip_angles(value_after(rest, "from="));
    out.recipients = number(value_after(rest, "nrcpt=", ' '));
  } else if (rest.starts_with("to=<")) {
    out.kind = PostfixLine::Kind::to;
    out.value = strip_angles(value_after(rest, "to="));
    out.status = value_after(rest, "status=", ' ');
    const std::size_t status_at = find_text(rest, " status=");
    if (status_at != std::string_view::npos) {
      const std::size_t open = find_text(rest, " (", status_at);
      if (open != std::string_view::npos) out.text = rest.substr(open + 2);
      if (out.text.ends_with(')')) out.text.remove_suffix(1);
    }
    const std::size_t queued_as = find_text(out.text, "queued as ");
    if (out.status == "sent" && queued_as != std::string_view::npos &&
        is_loopback(bracketed_ip(value_after(rest, "relay=")))) {
      // Content-filter hop: the filter re-queued the mail as NEXT_ID.
      std::string_view next_id = out.text.substr(queued_as + 10);
      std::size_t length = 0;
      while (length < next_id.size() && length < 32 && is_id_char(next_id[length])) ++length;
      out.next_id = next_id.substr(0, length);
      out.kind = PostfixLine::Kind::filter_hop;
    }
  } else if (rest == "removed") {
    out.kind = PostfixLine::Kind::removed;
  }
  return out;
}

LineResult PostfixParser::parse(const SyslogLine& line) {
  return apply(line, extract_postfix(line));
}

LineResult PostfixParser::apply(const SyslogLine& line, const PostfixLine& fields) {
  const std::string_view queue_id = fields.queue_id;
  const std::int64_t now = line.time.wall;
  switch (fields.kind) {
    case PostfixLine::Kind::ignored:
      return LineResult::ignored;
    case PostfixLine::Kind::failed_login:
      aggregator_.failed_login(fields.user, fields.ip);
      if (!fields.ip.empty()) {
        if (auto it = warned_.find(fields.ip); it != warned_.end()) {
          ++it->second;
        } else if (warned_.size() < kMaxWarnedIps) {
          warned_.emplace(std::string(fields.ip), 1);
        }
      }
      return LineResult::used;
    case PostfixLine::Kind::disconnect: {
      std::uint64_t uncounted = fields.recipients;
      if (auto it = warned_.find(fields.ip); it != warned_.end()) {
        uncounted -= std::min<std::uint64_t>(uncounted, it->second);
        warned_.erase(it);
      }
      // AUTH commands of one session are few; a hostile count is cut.
      for (std::uint64_t i = 0; i < uncounted && i < kMaxSessionFailures; ++i) {
        aggregator_.failed_login({}, fields.ip);
      }
      return LineResult::used;
    }
    case PostfixLine::Kind::client: {
      Pending& entry = pending(line.host, queue_id, now);
      if (entry.received) return LineResult::used;
      entry.received = true;
      entry.client_ip = fields.ip;
      if (!fields.user.empty()) {
        entry.authenticated = true;
        aggregator_.account_key(fields.user, {}, entry.account);
        entry.state = nullptr;
      } else if (is_loopback(entry.client_ip)) {
        // A content filter handing the mail back: it was counted under its first queue id.
        entry.counted = true;
      }
      return LineResult::used;
    }
    case PostfixLine::Kind::pickup:
      pending(line.host, queue_id, now).received = true;
      return LineResult::used;
    case PostfixLine::Kind::message_id: {
      Pending& entry = pending(line.host, queue_id, now);
      entry.message_id.assign(fields.value);
      entry.has_message_id = true;
      return LineResult::used;
    }
    case PostfixLine::Kind::from: {
      Pending* entry = find(line.host, queue_id);
      // Not seen arriving: arrived before the log starts, or a bounce Postfix wrote itself.
      if (entry == nullptr || !entry->received) return LineResult::ignored;
      entry->last_seen = now;
      // qmgr logs from= again on every retry of a deferred message: count it once.
      if (entry->counted) return LineResult::used;
      entry->counted = true;
      if (!entry->authenticated) aggregator_.account_key({}, fields.value, entry->account);
      MessageEvent event;
      event.time = line.time;
      event.client_ip = entry->client_ip;
      event.sender = fields.value;
      event.message_id = entry->message_id;
      event.has_message_id = entry->has_message_id;
      event.recipients = fields.recipients;
      entry->state = aggregator_.message(entry->account, entry->authenticated, event);
      return LineResult::used;
    }
    case PostfixLine::Kind::filter_hop: {
      // Its deliveries under NEXT_ID are this message's.
      Pending* entry = find(line.host, queue_id);
      if (entry != nullptr && !entry->account.empty() && fields.next_id.size() >= 5) {
        // Copied first: adding the next id may evict this one.
        hop_account_.assign(entry->account);
        Aggregator::Account* const state = entry->state;
        const bool authenticated = entry->authenticated;
        Pending& next = pending(line.host, fields.next_id, now);
        next.account.assign(hop_account_);
        next.state = state;
        next.authenticated = authenticated;
        next.received = true;
        next.counted = true;
      }
      return LineResult::used;
    }
    case PostfixLine::Kind::to: {
      Pending* entry = find(line.host, queue_id);
      if (entry == nullptr || entry->account.empty()) {
        aggregator_.unattributed_delivery();
        return LineResult::used;
      }
      entry->last_seen = now;
      const Delivery result = fields.status == "sent"      ? Delivery::sent
                              : fields.status == "bounced" ? Delivery::bounced
                                                           : Delivery::deferred;
      // Looked up until the account exists (its message may be counted under another id).
      if (entry->state == nullptr) entry->state = aggregator_.find(entry->account);
      if (entry->state != nullptr) {
        aggregator_.delivery(*entry->state, line.time, fields.value, result, fields.text);
      }
      return LineResult::used;
    }
    case PostfixLine::Kind::removed:
      erase(line.host, queue_id);
      return LineResult::used;
  }
  return LineResult::ignored;
}

}  // namespace emotriage::logs
