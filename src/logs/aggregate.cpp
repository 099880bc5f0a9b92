#include "logs/aggregate.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "core/text.hpp"

namespace emotriage::logs {

namespace {

// Bounds on per-account state: far above what one real mailbox produces in a month, low enough
// that a hostile log of forged names cannot exhaust memory.
constexpr std::size_t kMaxAccounts = 200'000;
constexpr std::size_t kMaxIpsPerAccount = 10'000;
constexpr std::size_t kMaxRecipientsPerAccount = 100'000;
constexpr std::size_t kMaxDomainsPerAccount = 20'000;
constexpr std::size_t kMaxSendersPerAccount = 2'000;
// Minutes with mail: 16 bytes each, ten weeks of mail every minute.
constexpr std::size_t kMaxMinutesPerAccount = 100'000;
constexpr std::size_t kFirstCompaction = 4096;  // minutes appended before rows out of order merge
// (hour, IP) pairs: 16 bytes each; a user's two addresses every working hour for ten years.
constexpr std::size_t kMaxIpHoursPerAccount = 100'000;
constexpr std::size_t kMaxFailureKeys = 100'000;
constexpr std::size_t kMaxSamples = 5;
constexpr std::size_t kMaxListed = 20;
constexpr std::size_t kMaxKeyBytes = 320;  // an address is at most 254 bytes (RFC 5321)
constexpr std::size_t kSampleBytes = 200;

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  return value / divisor - (value % divisor < 0 ? 1 : 0);
}

// Whether one more entry fits in a per-account list that is merged now and then (sorted, each
// key once, cut at `bound`). Amortised: after a merge the next waits until the list has doubled,
// and unmerged entries may take it up to twice the bound, so that a list left just under the
// bound is not sorted again on every line. Once a merge leaves it at the bound it is full: the
// account is marked truncated and nothing more is added.
constexpr std::size_t kListFull = std::numeric_limits<std::size_t>::max();
template <class Entry>
bool room_after_merge(Aggregator::Account& account, const std::vector<Entry>& list,
                      std::size_t& merge_at, std::size_t bound,
                      void (*merge)(Aggregator::Account&)) {
  if (merge_at == kListFull) return false;
  if (list.size() < std::min(std::max(merge_at, kFirstCompaction), 2 * bound)) return true;
  merge(account);
  if (list.size() >= bound) {
    merge_at = kListFull;
    account.truncated = true;
    return false;
  }
  merge_at = 2 * list.size();
  return true;
}

void lower_into(std::string_view text, std::string& out) {
  text = text.substr(0, kMaxKeyBytes);
  out.assign(text);
  // Inline rather than a call of core::ascii_lower per character (a tenth of the counting).
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

std::string_view domain_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

std::string_view local_of(std::string_view address) {
  return address.substr(0, address.rfind('@'));
}

std::uint32_t saturated_add(std::uint32_t count, std::uint64_t more) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(count + more, UINT32_MAX));
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Receivers' answers that name a block list (DNSBL/RBL): the phrases of mail-logs.md A.2.1, A.3
// and the known lists. "listed" alone is greylisting or a directory miss ("not listed in Domino
// Directory"), and 5.7.1 is any policy refusal: neither counts without a list named.
bool mentions_block_list(std::string_view text) {
  static constexpr std::string_view kPhrases[] = {
      "dnsbl", "blacklist", "blocklist", "block list", "black list", "spamhaus", "spamcop",
      "barracudacentral", "sorbs.net", "uceprotect", "abuseat.org", "blocked using",
      "barracuda reputation", "surbl", "uribl",
      // Microsoft 365 / Outlook.com: 5.7.606-649 and 5.7.511.
      "banned sending ip", "banned sender"};
  char buffer[512];
  const std::size_t size = std::min(text.size(), sizeof buffer);
  for (std::size_t i = 0; i < size; ++i) {
    const char c = text[i];
    buffer[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  const std::string_view lowered(buffer, size);
  if (std::ranges::any_of(kPhrases, [&](std::string_view phrase) {
        return lowered.find(phrase) != std::string_view::npos;
      })) {
    return true;
  }
  // "RBL" as a word ("listed at RBL", "rejected by RBL").
  for (std::size_t at = lowered.find("rbl"); at != std::string_view::npos;
       at = lowered.find("rbl", at + 1)) {
    if ((at == 0 || !is_alnum(lowered[at - 1])) &&
        (at + 3 == lowered.size() || !is_alnum(lowered[at + 3]))) {
      return true;
    }
  }
  // "listed at/in/on/by <zone>": a list is named by its DNS zone (bl.spamcop.net).
  for (std::size_t at = lowered.find("listed "); at != std::string_view::npos;
       at = lowered.find("listed ", at + 1)) {
    std::string_view rest = lowered.substr(at + 7);
    const bool preposition = rest.starts_with("at ") || rest.starts_with("in ") ||
                             rest.starts_with("on ") || rest.starts_with("by ");
    if (!preposition) continue;
    rest.remove_prefix(3);
    const std::string_view zone = rest.substr(0, rest.find_first_of(" ;,()<>[]\"'"));
    const std::size_t dot = zone.find('.');
    if (dot != std::string_view::npos && dot > 0 && dot + 1 < zone.size() &&
        zone.find('@') == std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// Windows' default host names (DESKTOP-XXXXXXX, WIN-XXXXXXXXXXX, LAPTOP-XXXXXXXX) in a
// Message-ID: mail written by a bot on an infected PC rather than by the mail client.
bool machine_named(std::string_view message_id) {
  const std::string_view host = domain_of(strip_angles(message_id));
  for (std::string_view prefix : {"desktop-", "win-", "laptop-"}) {
    if (core::istarts_with(host, prefix) && host.size() > prefix.size() &&
        host.find('.') == std::string_view::npos) {
      return true;
    }
  }
  return false;
}

bool is_night(std::int64_t wall, const Thresholds& t) {
  const int hour = static_cast<int>(floor_div(wall, 3600) - floor_div(wall, 86400) * 24);
  return t.night_start_hour > t.night_end_hour
             ? hour >= t.night_start_hour || hour < t.night_end_hour
             : hour >= t.night_start_hour && hour < t.night_end_hour;
}

bool bounded_insert(HashSet64& set, std::string_view value, std::size_t cap) {
  const std::uint64_t hash = text_hash(value);
  if (set.contains(hash)) return true;
  if (set.size() >= cap) return false;
  set.add(hash);
  return true;
}

void add_sample(std::vector<std::string>& samples, std::string_view text, std::size_t cap) {
  if (samples.size() >= cap) return;
  std::string sample(core::utf8_prefix(text, kSampleBytes));
  if (std::ranges::find(samples, sample) == samples.end()) samples.push_back(std::move(sample));
}

}  // namespace

std::string_view reason_id(Reason reason) {
  switch (reason) {
    case Reason::burst:
      return "burst";
    case Reason::many_client_ips:
      return "many-client-ips";
    case Reason::envelope_sender_mismatch:
      return "envelope-sender-mismatch";
    case Reason::dnsbl_rejections:
      return "dnsbl-rejections";
    case Reason::new_client_ips:
      return "new-client-ips";
    case Reason::night_time:
      return "night-time";
    case Reason::suspicious_message_ids:
      return "suspicious-message-ids";
    case Reason::failed_logins:
      return "failed-logins";
  }
  return "unknown";
}

bool is_strong(Reason reason) {
  return reason == Reason::burst || reason == Reason::many_client_ips ||
         reason == Reason::envelope_sender_mismatch || reason == Reason::dnsbl_rejections;
}

std::size_t LogReport::flagged_count() const {
  return static_cast<std::size_t>(
      std::ranges::count_if(accounts, [](const AccountSummary& a) { return a.flagged; }));
}

Aggregator::Aggregator(const LogOptions& options) : options_(options) {}

std::string Aggregator::account_key(std::string_view account, std::string_view sender) const {
  std::string key;
  account_key(account, sender, key);
  return key;
}

void Aggregator::account_key(std::string_view account, std::string_view sender,
                             std::string& key) const {
  if (!account.empty()) {
    lower_into(account, key);
    return;
  }
  key.clear();
  if (sender.empty() || domain_of(sender).empty()) return;
  lower_into(sender, key);
  if (options_.matcher != nullptr && !options_.matcher->is_own_domain(domain_of(key))) key.clear();
}

Aggregator::Account* Aggregator::find(std::string_view key) {
  auto it = accounts_.find(key);
  return it == accounts_.end() ? nullptr : &it->second;
}

Aggregator::Account* Aggregator::find_or_add(const std::string& key) {
  auto it = accounts_.find(key);
  if (it != accounts_.end()) return &it->second;
  if (accounts_.size() >= kMaxAccounts) {
    ++accounts_dropped_;
    return nullptr;
  }
  return &accounts_.try_emplace(key).first->second;
}

void Aggregator::note_time(Account& account, Stamp time) {
  if (!account.seen || time.wall < account.first.wall) account.first = time;
  if (!account.seen || time.wall > account.last.wall) account.last = time;
  account.seen = true;
}

void Aggregator::note_ip(Account& account, std::string_view ip, Stamp time) {
  if (ip.empty()) return;
  auto it = account.ips.find(ip);
  if (it == account.ips.end()) {
    if (account.ips.size() < kMaxIpsPerAccount) {
      account.ips.emplace(std::string(ip), time.wall);
    } else {
      account.truncated = true;
    }
  } else if (time.wall < it->second) {
    it->second = time.wall;
  }
  const IpHour pair{floor_div(time.wall, 3600), text_hash(ip)};
  std::vector<IpHour>& pairs = account.ip_hours;
  if (!pairs.empty() && pairs.back() == pair) return;
  if (!room_after_merge(account, pairs, account.ip_hours_compact_at, kMaxIpHoursPerAccount,
                        compact_ip_hours)) {
    return;
  }
  pairs.push_back(pair);
}

void Aggregator::compact_ip_hours(Account& account) {
  std::vector<IpHour>& pairs = account.ip_hours;
  std::ranges::sort(pairs);
  const auto repeated = std::ranges::unique(pairs);
  pairs.erase(repeated.begin(), repeated.end());
  if (pairs.size() > kMaxIpHoursPerAccount) {
    pairs.resize(kMaxIpHoursPerAccount);
    account.truncated = true;
  }
}

void Aggregator::note_sender(Account& account, const std::string& key, std::string_view sender,
                             Stamp time) {
  if (sender.empty()) return;
  lower_into(sender, scratch_);
  const std::uint64_t sender_hash = text_hash(scratch_);
  if (!account.senders.contains(sender_hash)) {
    if (account.senders.size() >= kMaxSendersPerAccount) {
      account.truncated = true;
    } else {
      account.senders.add(sender_hash);
      const std::string_view key_domain = domain_of(key);
      const std::string_view sender_domain = domain_of(scratch_);
      const bool same = key_domain.empty() ? local_of(scratch_) == key : scratch_ == key;
      if (!same) {
        // A login without a domain ("test") is judged against our domains when we know them.
        const bool own_domain =
            key_domain.empty()
                ? options_.matcher == nullptr || options_.matcher->is_own_domain(sender_domain)
                : sender_domain == key_domain;
        ++(own_domain ? account.forged_same_domain : account.forged_other_domain);
        if (time.wall >=
            account.first.wall + std::int64_t{options_.thresholds.baseline_hours} * 3600) {
          ++(own_domain ? account.forged_same_domain_new : account.forged_other_domain_new);
        }
        if (account.forged.size() < kMaxListed) account.forged.push_back(scratch_);
      }
    }
  }
  const bool same = domain_of(key).empty() ? local_of(scratch_) == key : scratch_ == key;
  if (!same) ++account.forged_messages;
}

void Aggregator::note_message_id(Account& account, const MessageEvent& event) {
  if (!event.has_message_id) return;
  const std::string_view id = core::trim(strip_angles(event.message_id));
  if (id.empty()) {
    ++account.empty_ids;
    add_sample(account.id_samples, "<>", 3);
  } else if (machine_named(id)) {
    ++account.machine_ids;
    add_sample(account.id_samples, event.message_id, 3);
  }
}

Aggregator::Account* Aggregator::message(const std::string& key, bool authenticated,
                                         const MessageEvent& event) {
  if (key.empty()) return nullptr;
  Account* account = find_or_add(key);
  if (account == nullptr) return nullptr;
  ++messages_;
  const Stamp time = adjust(event.time);
  account->authenticated = account->authenticated || authenticated;
  ++account->messages;
  account->recipients += event.recipients;
  note_time(*account, time);
  add_minute(*account, time.wall, 1, event.recipients);
  if (is_night(time.wall, options_.thresholds)) ++account->night;
  note_ip(*account, event.client_ip, time);
  note_sender(*account, key, event.sender, time);
  note_message_id(*account, event);
  if (authenticated) absorb_failures(*account, key, event.client_ip);
  return account;
}

void Aggregator::add_minute(Account& account, std::int64_t wall, std::uint32_t messages,
                            std::uint64_t recipients) {
  const std::int64_t minute = floor_div(wall, 60);
  std::vector<MinuteCount>& minutes = account.minutes;
  if (!minutes.empty() && minutes.back().minute == minute) {
    minutes.back().messages = saturated_add(minutes.back().messages, messages);
    minutes.back().recipients = saturated_add(minutes.back().recipients, recipients);
    return;
  }
  if (!minutes.empty() && minute < minutes.back().minute) account.minutes_sorted = false;
  // Rows out of order repeat minutes: merge them now and then, so the list stays one entry per
  // minute with mail.
  if (!room_after_merge(account, minutes, account.compact_at, kMaxMinutesPerAccount,
                        compact_minutes)) {
    return;
  }
  minutes.push_back({minute, saturated_add(0, messages), saturated_add(0, recipients)});
}

void Aggregator::compact_minutes(Account& account) {
  std::vector<MinuteCount>& minutes = account.minutes;
  if (!account.minutes_sorted) {
    std::ranges::stable_sort(minutes, {}, &MinuteCount::minute);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < minutes.size(); ++i) {
      if (kept > 0 && minutes[kept - 1].minute == minutes[i].minute) {
        MinuteCount& into = minutes[kept - 1];
        into.messages = saturated_add(into.messages, minutes[i].messages);
        into.recipients = saturated_add(into.recipients, minutes[i].recipients);
      } else {
        minutes[kept++] = minutes[i];
      }
    }
    minutes.resize(kept);
    account.minutes_sorted = true;
  }
  if (minutes.size() > kMaxMinutesPerAccount) {
    minutes.resize(kMaxMinutesPerAccount);
    account.truncated = true;
  }
}

void Aggregator::delivery(const std::string& key, Stamp time, std::string_view recipient,
                          Delivery result, std::string_view text) {
  if (Account* account = find(key)) delivery(*account, time, recipient, result, text);
}

void Aggregator::delivery(Account& account, Stamp time, std::string_view recipient, Delivery result,
                          std::string_view text) {
  note_time(account, adjust(time));
  lower_into(strip_angles(recipient), scratch_);
  if (!scratch_.empty()) {
    if (!bounded_insert(account.recipients_seen, scratch_, kMaxRecipientsPerAccount) ||
        !bounded_insert(account.domains_seen, domain_of(scratch_), kMaxDomainsPerAccount)) {
      account.truncated = true;
    }
  }
  if (result == Delivery::sent) return;
  ++(result == Delivery::deferred ? account.deferred : account.bounced);
  if (!mentions_block_list(text)) return;
  // qmgr retries a deferred recipient and the receiver refuses it again: one rejection.
  if (!scratch_.empty()) {
    const std::uint64_t refused = text_hash(scratch_);
    if (account.dnsbl_recipients.contains(refused)) return;
    if (account.dnsbl_recipients.size() < kMaxRecipientsPerAccount) {
      account.dnsbl_recipients.add(refused);
    } else {
      account.truncated = true;
    }
  }
  ++account.dnsbl;
  add_sample(account.rejection_samples, text, kMaxSamples);
}

void Aggregator::add_recipient(const std::string& key, Stamp time) {
  auto it = accounts_.find(key);
  if (it == accounts_.end()) return;
  Account& account = it->second;
  const Stamp shifted = adjust(time);
  ++account.recipients;
  add_minute(account, shifted.wall, 0, 1);
}

void Aggregator::login(std::string_view user, std::string_view ip, Stamp time) {
  if (user.empty()) return;
  std::string key;
  lower_into(user, key);
  Account* account = find_or_add(key);
  if (account == nullptr) return;
  const Stamp shifted = adjust(time);
  account->authenticated = true;
  ++account->logins;
  note_time(*account, shifted);
  note_ip(*account, ip, shifted);
  absorb_failures(*account, key, ip);
}

void Aggregator::absorb_failures(Account& account, std::string_view key, std::string_view ip) {
  // A failure naming the user from the same IP is in both tables: the larger count, not the sum.
  std::uint64_t by_ip = 0, by_user = 0;
  if (auto it = failures_by_ip_.find(ip); !ip.empty() && it != failures_by_ip_.end()) {
    by_ip = it->second;
    failures_by_ip_.erase(it);
  }
  if (auto it = failures_by_user_.find(key); it != failures_by_user_.end()) {
    by_user = it->second;
    failures_by_user_.erase(it);
  }
  account.failed_logins += std::max(by_ip, by_user);
}

void Aggregator::failed_login(std::string_view user, std::string_view ip) {
  if (!ip.empty()) {
    auto it = failures_by_ip_.find(ip);
    if (it != failures_by_ip_.end()) {
      ++it->second;
    } else if (failures_by_ip_.size() < kMaxFailureKeys) {
      failures_by_ip_.emplace(std::string(ip), 1);
    }
  }
  if (!user.empty()) {
    lower_into(user, scratch_);
    auto it = failures_by_user_.find(scratch_);
    if (it != failures_by_user_.end()) {
      ++it->second;
    } else if (failures_by_user_.size() < kMaxFailureKeys) {
      failures_by_user_.emplace(scratch_, 1);
    }
  }
}

void Aggregator::summarize_minutes(const Account& state, AccountSummary& summary) const {
  const Thresholds& t = options_.thresholds;
  const std::vector<MinuteCount>& minutes = state.minutes;  // sorted and merged by finish
  // Sums over any 10 and any 60 consecutive minutes (a burst that straddles a clock boundary is
  // not halved as in fixed buckets). The first 10 minutes over the burst limits mark where a
  // burst starts; the peak hour is the first one of the largest sum.
  std::uint64_t messages_10 = 0, recipients_10 = 0, messages_60 = 0;
  std::size_t from_10 = 0, from_60 = 0;
  std::optional<std::int64_t> fast_from;
  std::int64_t peak_hour_end = 0;
  struct Hour {
    std::int64_t hour;
    std::uint64_t messages, recipients;
  };
  std::vector<Hour> hours;
  for (const MinuteCount& m : minutes) {
    messages_10 += m.messages;
    recipients_10 += m.recipients;
    messages_60 += m.messages;
    for (; minutes[from_10].minute <= m.minute - 10; ++from_10) {
      messages_10 -= minutes[from_10].messages;
      recipients_10 -= minutes[from_10].recipients;
    }
    for (; minutes[from_60].minute <= m.minute - 60; ++from_60) {
      messages_60 -= minutes[from_60].messages;
    }
    summary.peak_messages_per_10min = std::max(summary.peak_messages_per_10min, messages_10);
    summary.peak_recipients_per_10min = std::max(summary.peak_recipients_per_10min, recipients_10);
    if (messages_60 > summary.peak_messages_per_hour) {
      summary.peak_messages_per_hour = messages_60;
      peak_hour_end = m.minute;
    }
    if (!fast_from && (messages_10 >= t.burst_messages_per_10min ||
                       recipients_10 >= t.burst_recipients_per_10min)) {
      fast_from = m.minute;
    }
    const std::int64_t hour = floor_div(m.minute, 60);
    if (hours.empty() || hours.back().hour != hour) hours.push_back({hour, 0, 0});
    hours.back().messages += m.messages;
    hours.back().recipients += m.recipients;
  }
  std::uint64_t day_messages = 0, day_recipients = 0;
  for (std::size_t i = 0; i < hours.size(); ++i) {
    if (i > 0 && floor_div(hours[i].hour, 24) != floor_div(hours[i - 1].hour, 24)) {
      day_messages = day_recipients = 0;
    }
    day_messages += hours[i].messages;
    day_recipients += hours[i].recipients;
    summary.peak_messages_per_day = std::max(summary.peak_messages_per_day, day_messages);
    summary.peak_recipients_per_day = std::max(summary.peak_recipients_per_day, day_recipients);
  }
  summary.over_daily_limit = summary.peak_messages_per_day > t.daily_messages ||
                             summary.peak_recipients_per_day > t.daily_recipients;
  // Medians of active hours (with at least one message), chosen by `keep`.
  const auto median_of = [&](auto keep) -> std::optional<std::uint64_t> {
    std::vector<std::uint64_t> counts;
    for (const Hour& h : hours) {
      if (h.messages > 0 && keep(floor_div(h.hour, 24))) counts.push_back(h.messages);
    }
    if (counts.empty()) return std::nullopt;
    std::ranges::nth_element(counts,
                             counts.begin() + static_cast<std::ptrdiff_t>(counts.size() / 2));
    return counts[counts.size() / 2];
  };
  summary.median_messages_per_active_hour =
      median_of([](std::int64_t) { return true; }).value_or(0);
  summary.hours_active = static_cast<std::uint64_t>(
      std::ranges::count_if(hours, [](const Hour& h) { return h.messages > 0; }));
  // The baseline is the account's history before the day its burst started, when the log covers
  // baseline_hours of it; else its days other than the peak's (an account that sends this much
  // every day, such as a newsletter, is fast from its first day); else there is none.
  const std::int64_t start_day = floor_div(fast_from.value_or(peak_hour_end), 1440);
  const std::int64_t peak_day = floor_div(peak_hour_end, 1440);
  const bool covered =
      state.first.wall + std::int64_t{t.baseline_hours} * 3600 <= start_day * 86400;
  summary.baseline_messages_per_hour =
      covered ? median_of([&](std::int64_t day) { return day < start_day; }) : std::nullopt;
  if (!summary.baseline_messages_per_hour) {
    summary.baseline_messages_per_hour =
        median_of([&](std::int64_t day) { return day != peak_day; });
  }
}

AccountSummary Aggregator::summarize(const std::string& key, const Account& state) const {
  const Thresholds& t = options_.thresholds;
  AccountSummary summary;
  summary.account = key;
  summary.authenticated = state.authenticated;
  summary.messages = state.messages;
  summary.recipients = state.recipients;
  summary.distinct_recipients = state.recipients_seen.size();
  summary.recipient_domains = state.domains_seen.size();
  summary.client_ips = state.ips.size();
  if (state.seen) {
    summary.first = format_iso(state.first);
    summary.last = format_iso(state.last);
  }
  const std::int64_t baseline_end = state.first.wall + std::int64_t{t.baseline_hours} * 3600;
  std::vector<std::pair<std::int64_t, std::string>> fresh;
  for (const auto& [ip, first_use] : state.ips) {
    if (first_use >= baseline_end) fresh.emplace_back(first_use, ip);
  }
  std::ranges::sort(fresh);
  summary.new_client_ip_count = fresh.size();
  for (std::size_t i = 0; i < fresh.size() && i < kMaxListed; ++i) {
    summary.new_client_ips.push_back(fresh[i].second);
  }
  summarize_minutes(state, summary);
  // Sorted by hour (finish compacts): the longest run of one hour.
  for (std::size_t i = 0, run = 0; i < state.ip_hours.size(); ++i) {
    run = i > 0 && state.ip_hours[i].hour == state.ip_hours[i - 1].hour ? run + 1 : 1;
    summary.peak_client_ips_per_hour =
        std::max<std::uint64_t>(summary.peak_client_ips_per_hour, run);
  }
  summary.night_messages = state.night;
  summary.envelope_senders = state.senders.size();
  summary.forged_senders = state.forged;
  summary.forged_sender_messages = state.forged_messages;
  summary.empty_message_ids = state.empty_ids;
  summary.machine_message_ids = state.machine_ids;
  summary.message_id_samples = state.id_samples;
  summary.deferred = state.deferred;
  summary.bounced = state.bounced;
  summary.dnsbl_rejections = state.dnsbl;
  summary.rejection_samples = state.rejection_samples;
  summary.logins = state.logins;
  summary.failed_logins = state.failed_logins;
  summary.state_truncated = state.truncated;
  if (options_.matcher != nullptr) {
    std::optional<int> employee = options_.matcher->employee_by_address(key);
    if (!employee && key.find('@') == std::string::npos) {
      for (const auto& domain : options_.matcher->profile().company.domains) {
        if ((employee = options_.matcher->employee_by_address(key + "@" + domain))) break;
      }
    }
    if (employee) {
      const auto& person =
          options_.matcher->profile().employees[static_cast<std::size_t>(*employee)];
      summary.employee = person.names.empty() ? key : person.names.front();
    }
  }
  flag(state, summary);
  return summary;
}

void Aggregator::flag(const Account& state, AccountSummary& summary) const {
  const Thresholds& t = options_.thresholds;
  auto& reasons = summary.reasons;
  // A burst is fast by the policy-daemon limits and unusual for this account: a newsletter that
  // sends this much every hour has a median to match.
  const bool fast = summary.peak_messages_per_10min >= t.burst_messages_per_10min ||
                    summary.peak_recipients_per_10min >= t.burst_recipients_per_10min;
  // Unusual against the account's baseline; without one (the log holds only the burst), over the
  // documented daily limits (150 messages or 10,000 recipients a day).
  const bool unusual =
      summary.baseline_messages_per_hour
          ? static_cast<double>(summary.peak_messages_per_hour) >=
                t.burst_factor * static_cast<double>(*summary.baseline_messages_per_hour)
          : summary.over_daily_limit;
  if (fast && unusual) reasons.push_back(Reason::burst);
  if (summary.peak_client_ips_per_hour >= t.client_ips_per_hour) {
    reasons.push_back(Reason::many_client_ips);
  }
  // Senders the account already used in its baseline are its habit (a service account relaying
  // for hosts); without a baseline every foreign sender counts.
  const bool has_baseline =
      state.last.wall - state.first.wall >= std::int64_t{t.baseline_hours} * 3600;
  const std::uint64_t other_domain =
      has_baseline ? state.forged_other_domain_new : state.forged_other_domain;
  const std::uint64_t same_domain =
      has_baseline ? state.forged_same_domain_new : state.forged_same_domain;
  if (other_domain > 0 || same_domain >= t.forged_same_domain_senders) {
    reasons.push_back(Reason::envelope_sender_mismatch);
  }
  if (summary.dnsbl_rejections >= t.dnsbl_rejections) reasons.push_back(Reason::dnsbl_rejections);
  if (summary.new_client_ip_count >= t.new_client_ips) reasons.push_back(Reason::new_client_ips);
  if (summary.night_messages >= t.night_messages) reasons.push_back(Reason::night_time);
  if (summary.empty_message_ids + summary.machine_message_ids >= t.suspicious_message_ids) {
    reasons.push_back(Reason::suspicious_message_ids);
  }
  if (summary.failed_logins >= t.failed_logins) reasons.push_back(Reason::failed_logins);
  // Without a login and without a profile to tell our senders from others, an envelope sender
  // may be anyone's inbound mail: only outbound symptoms (a burst, block-list rejections) count.
  if (!state.authenticated && options_.matcher == nullptr) {
    std::erase_if(reasons,
                  [](Reason r) { return r != Reason::burst && r != Reason::dnsbl_rejections; });
  }
  const auto strong = std::ranges::count_if(reasons, is_strong);
  summary.flagged = strong > 0 || reasons.size() - static_cast<std::size_t>(strong) >= 2;
}

LogReport Aggregator::finish(std::vector<FileSummary> files, std::uint64_t lines,
                             std::uint64_t evicted) {
  // Failures for a name that also logged in, but after its last success.
  for (const auto& [user, count] : failures_by_user_) {
    auto it = accounts_.find(user);
    if (it != accounts_.end()) it->second.failed_logins += count;
  }
  failures_by_user_.clear();
  LogReport report;
  report.files = std::move(files);
  report.thresholds = options_.thresholds;
  report.lines = lines;
  report.messages = messages_;
  report.evicted_queue_ids = evicted;
  report.unattributed_deliveries = unattributed_;
  report.accounts_dropped = accounts_dropped_;
  report.accounts.reserve(accounts_.size());
  for (auto& [key, state] : accounts_) {
    // Names that only ever failed to log in are not accounts that sent anything.
    if (state.messages == 0 && state.logins == 0) continue;
    compact_minutes(state);
    compact_ip_hours(state);
    report.accounts.push_back(summarize(key, state));
  }
  std::ranges::sort(report.accounts, [](const AccountSummary& a, const AccountSummary& b) {
    if (a.flagged != b.flagged) return a.flagged;
    if (a.reasons.size() != b.reasons.size()) return a.reasons.size() > b.reasons.size();
    if (a.messages != b.messages) return a.messages > b.messages;
    return a.account < b.account;
  });
  return report;
}

}  // namespace emotriage::logs
