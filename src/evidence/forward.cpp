// Inline forwards: the reporter pasted the suspicious mail into the body of a "FW:" instead of
// attaching it. The forward's header block (差出人/送信日時/件名, From/Sent/Subject, Gmail's and
// Thunderbird's "Forwarded message" blocks) is all that is left of the original's headers.
#include <algorithm>

#include "core/text.hpp"
#include "evidence/collector.hpp"
#include "evidence/text.hpp"
#include "evidence/thread.hpp"

namespace emotriage::evidence {
namespace {

constexpr std::size_t kMaxLines = 20000;
// Blank lines between a separator and its block, and the lines a block spans (From, Sent, To,
// Cc, Subject plus wrapped recipient lines).
constexpr std::size_t kMaxGap = 2;
constexpr std::size_t kBlockLines = 12;
constexpr std::size_t kMaxValueBytes = 256;
constexpr std::size_t kMaxRecipients = 50;

struct Block {
  std::string_view marker, from, sent, subject;
  std::vector<std::string_view> recipients;  // 宛先/To and Cc values
  std::size_t start = 0, body_start = 0;     // byte offsets in the folded text
};

// The header block starting at lines[start] (after at most kMaxGap blank lines), or nullopt when
// it has no sender or neither date nor subject. `marker` is a line of `lines`, all of which view
// `folded`.
std::optional<Block> read_block(std::string_view folded, const std::vector<std::string_view>& lines,
                                std::size_t start, std::string_view marker) {
  auto offset_of = [&](std::string_view line) {
    return static_cast<std::size_t>(line.data() - folded.data());
  };
  std::size_t at = start;
  for (std::size_t gap = 0; at < lines.size() && gap < kMaxGap && trim_spaces(lines[at]).empty();
       ++gap) {
    ++at;
  }
  Block block{marker, {}, {}, {}, {}, offset_of(marker), 0};
  for (std::size_t end = std::min(lines.size(), at + kBlockLines); at < end; ++at) {
    bool quoted = false;
    std::string_view line = unquote(lines[at], &quoted);
    if (line.empty()) break;
    auto [key, value] = header_line(line);
    std::string_view* slot = key == HeaderKey::from      ? &block.from
                             : key == HeaderKey::sent    ? &block.sent
                             : key == HeaderKey::subject ? &block.subject
                                                         : nullptr;
    if (slot != nullptr && slot->empty()) *slot = value;
    if (key == HeaderKey::to || key == HeaderKey::cc) block.recipients.push_back(value);
  }
  block.body_start = at < lines.size() ? offset_of(lines[at]) : folded.size();
  if (block.from.empty() || (block.sent.empty() && block.subject.empty())) return std::nullopt;
  return block;
}

// The first quote marker of the new text decides: a forward's block, or a reply's quote (then
// there is no inline forward). A "-----Original Message-----" or a bare Outlook block is a
// forward only under a forward subject ("FW:"); Outlook writes the same for replies.
std::optional<Block> find_forward(std::string_view folded, bool forward_subject) {
  std::vector<std::string_view> lines = split_lines(folded.substr(0, kMaxScanBytes));
  if (lines.size() > kMaxLines) lines.resize(kMaxLines);
  for (std::size_t index = 0; index < lines.size(); ++index) {
    bool quoted = false;
    std::string_view line = unquote(lines[index], &quoted);
    if (quoted) return std::nullopt;  // "> " quoting: a reply
    const SeparatorKind separator = separator_kind(line);
    if (separator != SeparatorKind::none) {
      if (separator == SeparatorKind::original && !forward_subject) return std::nullopt;
      return read_block(folded, lines, index + 1, lines[index]);
    }
    const HeaderKey key = header_line(line).first;
    if (key == HeaderKey::from || key == HeaderKey::subject) {
      auto block = read_block(folded, lines, index, lines[index]);
      if (block) return forward_subject ? block : std::nullopt;
    }
  }
  return std::nullopt;
}

std::string bounded(std::string_view value) {
  return std::string(core::utf8_prefix(trim_spaces(value), kMaxValueBytes));
}

}  // namespace

bool Collector::inline_forward(std::string_view folded, const std::string& part,
                               bool forward_subject) {
  const auto block = find_forward(folded, forward_subject);
  if (!block) return false;
  std::vector<QuotedParticipant> people = parse_people(block->from);
  if (people.empty()) return false;
  InlineForward forward;
  forward.sender = {bounded(people.front().display_name), bounded(people.front().address)};
  forward.date = bounded(block->sent);
  forward.subject = bounded(block->subject);
  forward.marker = bounded(block->marker);
  forward.part = part;
  forward.block_start = block->start;
  forward.body_start = block->body_start;
  for (std::string_view value : block->recipients) {
    for (const QuotedParticipant& person : parse_people(value)) {
      if (forward.recipients.size() >= kMaxRecipients) break;
      forward.recipients.push_back({bounded(person.display_name), bounded(person.address)});
    }
  }
  forward.domain = profile::address_domain(forward.sender.address);
  if (!forward.domain.empty()) forward.domain_match = matcher_.classify_domain(forward.domain);
  forward.employee = matcher_.employee_by_address(forward.sender.address);
  if (!forward.employee && !forward.sender.display_name.empty()) {
    const std::vector<int> named = matcher_.employees_by_display_name(forward.sender.display_name);
    if (named.size() == 1) forward.named_employee = named.front();
  }

  const std::string sender =
      forward.sender.display_name.empty()
          ? forward.sender.address
          : forward.sender.display_name + " <" + forward.sender.address + ">";
  std::string ja =
      "このメールは、別のメールを本文に貼り付けた転送 (インライン転送) です。転送元は 差出人 " +
      sender + "、送信日時 " + (forward.date.empty() ? "不明" : forward.date) + "、件名「" +
      forward.subject + "」。";
  std::string en =
      "This mail forwards another one inline (pasted into the body). The original: "
      "from " +
      sender + ", sent " + (forward.date.empty() ? "(unknown)" : forward.date) + ", subject \"" +
      forward.subject + "\".";
  if (forward.employee) {
    ja += "転送元の差出人は当社社員 " + employee_label(*forward.employee) + " のアドレスです。";
    en += " The original sender is our employee " + employee_label(*forward.employee) + ".";
  } else if (forward.named_employee) {
    ja += "転送元の差出人の表示名は当社社員 " + employee_label(*forward.named_employee) +
          " ですが、アドレスは違います。";
    en += " The original sender's display name is our employee " +
          employee_label(*forward.named_employee) + ", but the address is not theirs.";
  }
  switch (forward.domain_match.kind) {
    case profile::DomainKind::own:
      ja += "転送元の差出人は当社のドメインです。";
      en += " The original sender is in our domain.";
      break;
    case profile::DomainKind::freemail:
      ja += "転送元の差出人はフリーメール (" + forward.domain + ") です。";
      en += " The original sender uses free mail (" + forward.domain + ").";
      break;
    case profile::DomainKind::lookalike_own:
    case profile::DomainKind::lookalike_partner:
      ja += "転送元の差出人のドメイン " + forward.domain + " は " + forward.domain_match.imitated +
            " に似せたドメインです。";
      en += " The original sender's domain " + forward.domain + " imitates " +
            forward.domain_match.imitated + ".";
      break;
    default:
      break;
  }
  ja +=
      "元のメールのヘッダー (経路・認証結果) は失われているため、送信元が本物かは確かめられません。"
      "報告者に、不審なメールを「添付ファイルとして転送」(.msg / .eml) "
      "で送り直してもらってください。";
  en +=
      " The original's headers (route, authentication) are lost, so whether that sender is "
      "real cannot be checked. Ask the reporter to send the suspicious mail again as an "
      "attachment (.msg / .eml).";
  add("forward.inline", core::Severity::info, std::move(ja), std::move(en),
      forward.marker + " / " + sender, part);
  evidence_.inline_forward = std::move(forward);
  const InlineForward& stored = *evidence_.inline_forward;
  if (stored.employee) reference(*stored.employee, "from-address", true);
  if (stored.named_employee) reference(*stored.named_employee, "display-name", true);
  // Whoever received the original was targeted by it; their name in the block is no thread
  // stolen from them.
  for (const core::Mailbox& recipient : stored.recipients) {
    if (auto employee = employee_of(recipient.address, recipient.display_name)) {
      reference(*employee, "recipient", true);
    }
  }
  return true;
}

}  // namespace emotriage::evidence
