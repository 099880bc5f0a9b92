// Reply/forward subjects and quoted threads. Emotet replayed stolen mail as "Re: RE:" replies
// quoting the real thread (reference 1.1, E06–E08); who appears in the quote tells whose
// mailbox the thread was taken from.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "evidence/evidence.hpp"

namespace emotriage::evidence {

struct SubjectPrefixes {
  int replies = 0;             // Re:, RE:, Re[2]:, 返信:, ＲＥ：, AW:, SV: ...
  int forwards = 0;            // Fw:, FW:, Fwd:, 転送:, WG:, TR: ...
  bool forward_first = false;  // the outermost prefix is a forward ("FW: RE: x")
  std::string base;            // the subject after the prefixes (width-folded)
};

// Stacked prefixes are all counted: "Re: RE: Fw: 請求書" -> 2 replies, 1 forward, "請求書".
SubjectPrefixes parse_subject_prefixes(std::string_view subject);

struct QuotedThread {
  bool found = false;
  std::size_t start = std::string_view::npos;   // byte offset in the scanned text
  std::vector<QuotedParticipant> participants;  // employee left -1 (the profile is not asked)
  bool lists_recipients = false;     // a quoted header block gave To/CC addresses, so the sender
                                     // of a real reply should be among the participants
  std::vector<std::string> markers;  // the first marker lines, for the evidence
};

// Reads a width-folded text (fold_width) for quote markers: "-----Original Message-----" and
// its Japanese/forward variants, Outlook header blocks (差出人/送信日時/宛先/件名, From/Sent/To/
// Subject), "On <date>, <name> <addr> wrote:", "<date> <name> <addr>:", "…さんは書きました:",
// and "> " lines. Offsets refer to `folded_text`.
QuotedThread parse_quoted_thread(std::string_view folded_text);

// A line with its quote depth removed: "> > 差出人: x" -> "差出人: x".
std::string_view unquote(std::string_view line, bool* quoted);

// One line of a quoted header block ("From: x", "*差出人:* x", "送信日時: y"): field and value.
enum class HeaderKey { none, from, sent, to, cc, subject };
std::pair<HeaderKey, std::string_view> header_line(std::string_view line);

// "-----Original Message-----" / "元のメッセージ" (a reply's or Outlook forward's quote) versus
// "---------- Forwarded message ---------" / "-------- 転送メッセージ --------".
enum class SeparatorKind { none, original, forwarded };
SeparatorKind separator_kind(std::string_view line);

// People in one header value of a quoted block: "山田 太郎 <t@x.example>; 鈴木 [mailto:s@y]".
std::vector<QuotedParticipant> parse_people(std::string_view value);

}  // namespace emotriage::evidence
