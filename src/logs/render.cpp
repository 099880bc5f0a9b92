// Output: JSON (DESIGN.md "Mail-server logs" contract plus added fields) and text for a person.
#include <cstdio>

#include "core/text.hpp"
#include "logs/logs.hpp"

namespace emotriage::logs {

namespace {

constexpr std::size_t kTextOthers = 10;     // unflagged accounts listed in the text output
constexpr std::size_t kAccountFields = 40;  // in an account's JSON object, at most

std::string joined(const std::vector<std::string>& items, std::size_t most) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < most; ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  if (items.size() > most) out += ", …";
  return out;
}

// What the log shows for a reason (after its label).
std::string detail(Reason reason, const AccountSummary& a, bool ja) {
  switch (reason) {
    case Reason::burst:
      return ja ? "10 分間に最大 " + core::grouped_digits(a.peak_messages_per_10min) +
                      " 通 (宛先 " + core::grouped_digits(a.peak_recipients_per_10min) +
                      " 件)、1 時間に最大 " + core::grouped_digits(a.peak_messages_per_hour) +
                      " 通。" +
                      (a.baseline_messages_per_hour
                           ? "普段は 1 時間あたり " +
                                 core::grouped_digits(*a.baseline_messages_per_hour) + " 通です。"
                           : "ログにそれ以前の送信履歴はなく、1 日の上限を超えています。")
                : "up to " + core::grouped_digits(a.peak_messages_per_10min) + " messages (" +
                      core::grouped_digits(a.peak_recipients_per_10min) +
                      " recipients) in 10 minutes, " +
                      core::grouped_digits(a.peak_messages_per_hour) + " in one hour; " +
                      (a.baseline_messages_per_hour
                           ? "its usual hour has " +
                                 core::grouped_digits(*a.baseline_messages_per_hour) + "."
                           : "no earlier history in the log, and over the daily limits.");
    case Reason::many_client_ips:
      return ja ? "1 時間のうちに最大 " + core::grouped_digits(a.peak_client_ips_per_hour) +
                      " 個の異なる IP アドレスから送信しています (ボットネットの特徴)。"
                : "up to " + core::grouped_digits(a.peak_client_ips_per_hour) +
                      " different IP addresses within one hour (typical of a botnet).";
    case Reason::envelope_sender_mismatch:
      return ja ? "ログインしたアカウントと異なる差出人アドレスで " +
                      core::grouped_digits(a.forged_sender_messages) + " 通送信 (" +
                      joined(a.forged_senders, 5) + ")。"
                : "" + core::grouped_digits(a.forged_sender_messages) +
                      " messages sent as someone other than the logged-in account (" +
                      joined(a.forged_senders, 5) + ").";
    case Reason::dnsbl_rejections:
      return ja ? "受信側サーバーに " + core::grouped_digits(a.dnsbl_rejections) +
                      " 回拒否されました (当社ドメイン/IP がブラックリストに載った恐れ)。"
                : "receivers refused " + core::grouped_digits(a.dnsbl_rejections) +
                      " deliveries (our domain or IP may be on a block list).";
    case Reason::new_client_ips:
      return ja ? "これまで使われていなかった IP アドレス " +
                      core::grouped_digits(a.new_client_ip_count) + " 個 (" +
                      joined(a.new_client_ips, 5) + ")。"
                : "" + core::grouped_digits(a.new_client_ip_count) +
                      " IP addresses not used before (" + joined(a.new_client_ips, 5) + ").";
    case Reason::night_time:
      return ja ? "夜間に " + core::grouped_digits(a.night_messages) + " 通送信しています。"
                : "" + core::grouped_digits(a.night_messages) + " messages sent at night.";
    case Reason::suspicious_message_ids:
      return ja ? "空、または Windows 端末名 (DESKTOP-… など) を含むものが " +
                      core::grouped_digits(a.empty_message_ids + a.machine_message_ids) +
                      " 通 (通常のメールソフトではなくマルウェアが送った疑い)。"
                : "" + core::grouped_digits(a.empty_message_ids + a.machine_message_ids) +
                      " empty or naming a Windows host (DESKTOP-…), as malware rather than a mail "
                      "program writes them.";
    case Reason::failed_logins:
      return ja ? "" + core::grouped_digits(a.failed_logins) +
                      " 回の認証失敗があります (パスワードの総当たり・使い回しの疑い)。"
                : "" + core::grouped_digits(a.failed_logins) +
                      " authentication failures (password guessing or reuse).";
  }
  return {};
}

std::string explain(Reason reason, const AccountSummary& a, bool ja) {
  return std::string(reason_label(reason_id(reason), ja)) + ": " + detail(reason, a, ja);
}

}  // namespace

std::string_view reason_label(std::string_view id, bool japanese) {
  struct Label {
    Reason reason;
    std::string_view ja, en;
  };
  static constexpr Label kLabels[] = {
      {Reason::burst, "短時間の大量送信", "burst"},
      {Reason::many_client_ips, "多数の接続元", "many client addresses"},
      {Reason::envelope_sender_mismatch, "差出人の偽装", "envelope sender mismatch"},
      {Reason::dnsbl_rejections, "ブラックリストによる拒否", "block-list rejections"},
      {Reason::new_client_ips, "新しい接続元", "new client addresses"},
      {Reason::night_time, "深夜の送信", "night-time sending"},
      {Reason::suspicious_message_ids, "不審な Message-ID", "suspicious Message-IDs"},
      {Reason::failed_logins, "ログイン失敗", "failed logins"},
  };
  for (const Label& label : kLabels) {
    if (reason_id(label.reason) == id) return japanese ? label.ja : label.en;
  }
  return id;
}

nlohmann::ordered_json report_to_json(const LogReport& report) {
  using json = nlohmann::ordered_json;
  json accounts = json::array();
  for (const auto& a : report.accounts) {
    json reasons = json::array();
    for (Reason reason : a.reasons) reasons.push_back(reason_id(reason));
    // Fields appended in place: the initializer list deep-copies every value, which for a few
    // thousand accounts cost as much as reading a hundred thousand lines.
    json::object_t fields;
    fields.reserve(kAccountFields);
    const auto put = [&fields](const char* key, json value) {
      fields.emplace_back(key, std::move(value));
    };
    put("account", a.account);
    put("authenticated", a.authenticated);
    put("messages", a.messages);
    put("recipients", a.recipients);
    put("distinct_recipients", a.distinct_recipients);
    put("recipient_domains", a.recipient_domains);
    put("client_ips", a.client_ips);
    put("first", a.first);
    put("last", a.last);
    put("peak_messages_per_hour", a.peak_messages_per_hour);
    put("flagged", a.flagged);
    put("reasons", std::move(reasons));
    put("new_client_ips", a.new_client_ips);
    put("new_client_ip_count", a.new_client_ip_count);
    put("hours_active", a.hours_active);
    put("median_messages_per_active_hour", a.median_messages_per_active_hour);
    put("baseline_messages_per_hour",
        a.baseline_messages_per_hour ? json(*a.baseline_messages_per_hour) : json(nullptr));
    put("peak_messages_per_10min", a.peak_messages_per_10min);
    put("peak_recipients_per_10min", a.peak_recipients_per_10min);
    put("peak_client_ips_per_hour", a.peak_client_ips_per_hour);
    put("peak_messages_per_day", a.peak_messages_per_day);
    put("peak_recipients_per_day", a.peak_recipients_per_day);
    put("over_daily_limit", a.over_daily_limit);
    put("night_messages", a.night_messages);
    put("envelope_senders", a.envelope_senders);
    put("forged_senders", a.forged_senders);
    put("forged_sender_messages", a.forged_sender_messages);
    put("empty_message_ids", a.empty_message_ids);
    put("machine_message_ids", a.machine_message_ids);
    put("message_id_samples", a.message_id_samples);
    put("deferred", a.deferred);
    put("bounced", a.bounced);
    put("dnsbl_rejections", a.dnsbl_rejections);
    put("rejection_samples", a.rejection_samples);
    put("logins", a.logins);
    put("failed_logins", a.failed_logins);
    put("state_truncated", a.state_truncated);
    if (!a.employee.empty()) put("employee", a.employee);
    if (a.flagged) {
      json action = {{"step", 5}, {"kind", "reset-password"}, {"target", a.account}};
      if (!a.employee.empty()) action["employee"] = a.employee;
      put("actions", json::array({action}));
    }
    accounts.emplace_back(std::move(fields));
  }
  json files = json::array();
  for (const auto& f : report.files) {
    json entry = {{"path", f.path},         {"format", f.format},
                  {"lines", f.lines},       {"used", f.used},
                  {"ignored", f.ignored},   {"unknown", f.unknown},
                  {"overlong", f.overlong}, {"unknown_samples", f.unknown_samples}};
    if (!f.error.empty()) entry["error"] = f.error;
    files.push_back(std::move(entry));
  }
  const Thresholds& t = report.thresholds;
  return json{{"accounts", std::move(accounts)},
              {"summary",
               {{"lines", report.lines},
                {"messages", report.messages},
                {"accounts", report.accounts.size()},
                {"flagged", report.flagged_count()},
                {"evicted_queue_ids", report.evicted_queue_ids},
                {"unattributed_deliveries", report.unattributed_deliveries},
                {"accounts_dropped", report.accounts_dropped}}},
              {"files", std::move(files)},
              {"thresholds",
               {{"burst_messages_per_10min", t.burst_messages_per_10min},
                {"burst_recipients_per_10min", t.burst_recipients_per_10min},
                {"burst_factor", t.burst_factor},
                {"daily_messages", t.daily_messages},
                {"daily_recipients", t.daily_recipients},
                {"client_ips_per_hour", t.client_ips_per_hour},
                {"new_client_ips", t.new_client_ips},
                {"baseline_hours", t.baseline_hours},
                {"night_start_hour", t.night_start_hour},
                {"night_end_hour", t.night_end_hour},
                {"night_messages", t.night_messages},
                {"forged_same_domain_senders", t.forged_same_domain_senders},
                {"dnsbl_rejections", t.dnsbl_rejections},
                {"suspicious_message_ids", t.suspicious_message_ids},
                {"failed_logins", t.failed_logins}}}};
}

std::string report_to_text(const LogReport& report, bool ja) {
  std::string out;
  std::uint64_t unknown = 0;
  for (const auto& f : report.files) unknown += f.unknown;
  const std::size_t flagged = report.flagged_count();
  out += ja ? "メールサーバーのログ: " + core::grouped_digits(report.files.size()) + " ファイル、" +
                  core::grouped_digits(report.lines) + " 行 (読めなかった行 " +
                  core::grouped_digits(unknown) + ")、メール " +
                  core::grouped_digits(report.messages) + " 通、アカウント " +
                  core::grouped_digits(report.accounts.size()) + "\n"
            : "Mail-server logs: " + core::grouped_digits(report.files.size()) + " files, " +
                  core::grouped_digits(report.lines) + " lines (" + core::grouped_digits(unknown) +
                  " not recognised), " + core::grouped_digits(report.messages) + " messages, " +
                  core::grouped_digits(report.accounts.size()) + " accounts\n";
  for (const auto& f : report.files) {
    if (!f.error.empty()) {
      out += (ja ? "  注意: " : "  warning: ") + f.path +
             (ja ? " は途中までしか読めませんでした: " : " was read only in part: ") +
             (ja && f.error == kTruncatedInput
                  ? "ファイルが途中で切れています (gzip の終端がありません)"
                  : f.error) +
             "\n";
    }
  }
  out += flagged == 0 ? (ja ? "大量送信の兆候があるアカウントはありません。\n"
                            : "No account shows signs of mass sending.\n")
                      : (ja ? "要対応のアカウント: " + core::grouped_digits(flagged) + "\n"
                            : "Accounts that need action: " + core::grouped_digits(flagged) + "\n");
  std::size_t others = 0;
  for (const auto& a : report.accounts) {
    const std::string who = a.employee.empty() ? a.account : a.account + " (" + a.employee + ")";
    if (!a.flagged) {
      if (others == 0) out += ja ? "\nその他の送信の多いアカウント:\n" : "\nOther busy accounts:\n";
      if (++others > kTextOthers) break;
      out += "  " + who + ": " + core::grouped_digits(a.messages) +
             (ja ? " 通、宛先 " : " messages, ") + core::grouped_digits(a.recipients) +
             (ja ? " 件、接続元 " : " recipients, ") + core::grouped_digits(a.client_ips) +
             (ja ? " 個" : " client IPs") + "\n";
      continue;
    }
    out += "\n■ " + who + (ja ? "  要対応\n" : "  NEEDS ACTION\n");
    out += ja ? "  送信 " + core::grouped_digits(a.messages) + " 通、宛先 " +
                    core::grouped_digits(a.recipients) + " 件 (異なる宛先 " +
                    core::grouped_digits(a.distinct_recipients) + "、ドメイン " +
                    core::grouped_digits(a.recipient_domains) + ")、接続元 IP " +
                    core::grouped_digits(a.client_ips) + " 個、期間 " + a.first + " 〜 " + a.last +
                    "\n"
              : "  " + core::grouped_digits(a.messages) + " messages, " +
                    core::grouped_digits(a.recipients) + " recipients (" +
                    core::grouped_digits(a.distinct_recipients) + " distinct, " +
                    core::grouped_digits(a.recipient_domains) + " domains), " +
                    core::grouped_digits(a.client_ips) + " client IPs, " + a.first + " to " +
                    a.last + "\n";
    out += ja ? "  理由:\n" : "  Why:\n";
    for (Reason reason : a.reasons) out += "   - " + explain(reason, a, ja) + "\n";
    for (const auto& sample : a.rejection_samples) {
      out += (ja ? "     受信側の応答: " : "     receiver said: ") + sample + "\n";
    }
    out += ja ? "  対応 (手順⑤): アカウント " + who +
                    " のパスワードを直ちに変更してください (メールボックスとメールサーバーの両方)。"
                    "そのパスワードを使っていた PC "
                    "がマルウェアに感染していないかも確認してください。\n"
              : "  Action (step 5): change the password of " + who +
                    " now (mailbox and mail server). Check the PCs that used this password for "
                    "malware.\n";
  }
  return out;
}

}  // namespace emotriage::logs
