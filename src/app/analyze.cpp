#include "app/analyze.hpp"

#include <optional>

#include "app/pipeline.hpp"
#include "core/text.hpp"
#include "evidence/evidence.hpp"
#include "mime/parser.hpp"
#include "outlook/outlook.hpp"

namespace emotriage::app {

namespace {

// Enough for a digest of forwarded reports; beyond it the rest stays part of the outer mail.
constexpr std::size_t kMaxAttachedMessages = 50;
// A mail attached as a file inside a mail attached as a file…: each level is parsed anew, so the
// chain is bounded on its own (a forward of a forward of a forward is already rare), and so is
// the whole tree: one .msg can name the same next-level .msg from many attachments.
constexpr unsigned kMaxAttachedFileDepth = 8;

// What the mails attached as files of one mail's whole tree may still take.
struct AttachedFileBudget {
  std::size_t mails = kMaxAttachedMessages;
  std::uint64_t bytes = 0;  // bytes parsed anew (set from Limits::decoded_bytes)
};

bool is_inside(const core::Message& message, std::size_t index, std::size_t ancestor) {
  for (int p = message.parts[index].parent; p >= 0;
       p = message.parts[static_cast<std::size_t>(p)].parent) {
    if (static_cast<std::size_t>(p) == ancestor) return true;
  }
  return false;
}

bool is_inside_attached(const core::Message& message, std::size_t index) {
  for (int p = message.parts[index].parent; p >= 0;
       p = message.parts[static_cast<std::size_t>(p)].parent) {
    if (message.parts[static_cast<std::size_t>(p)].message) return true;
  }
  return false;
}

// Who passed the attached mail on: the carrier's sender, date and subject (forward.attached).
core::Finding forwarded_by(const core::Message& outer, const std::string& part) {
  const core::Envelope& carrier = outer.envelope;
  std::string sender = "(unknown)";
  if (!carrier.from.empty()) {
    const core::Mailbox& from = carrier.from.front();
    sender =
        from.display_name.empty() ? from.address : from.display_name + " <" + from.address + ">";
  }
  const std::string date = carrier.date.empty() ? carrier.date_raw : carrier.date;
  return core::Finding{"forward.attached",
                       core::Severity::info,
                       "このメールは、" + sender + " が" +
                           (date.empty() ? "" : " " + date + " に") +
                           "添付ファイルとして転送したメール (件名「" + carrier.subject +
                           "」) に入っていました。"
                           "判定はこの添付されたメール自身の差出人と経路によります。",
                       "This mail came attached to a mail that " + sender + " sent" +
                           (date.empty() ? "" : " on " + date) + " (subject \"" + carrier.subject +
                           "\"); it is judged by its own sender and route.",
                       "From: " + sender + " / Subject: " + carrier.subject,
                       part};
}

// Moves each top-level attached message (message/rfc822 part) out into a Message of its own, so
// that a forwarded Emotet mail is judged by its own sender and route, not by the colleague who
// forwarded it. The outer keeps the attached parts' text (what the forward shows) but no longer
// owns their attachments.
std::vector<core::Message> split_attached(core::Message& outer) {
  std::vector<core::Message> inner_messages;
  for (std::size_t i = 0; i < outer.parts.size(); ++i) {
    if (!outer.parts[i].message || is_inside_attached(outer, i)) continue;
    if (inner_messages.size() == kMaxAttachedMessages) {
      outer.add_finding(
          core::limit_finding("attached_messages", kMaxAttachedMessages, outer.parts[i].path));
      break;
    }
    core::Message inner;
    inner.locator = outer.locator + "#part=" + outer.parts[i].path;
    inner.envelope = *outer.parts[i].message;
    inner.add_finding(forwarded_by(outer, outer.parts[i].path));
    std::vector<int> new_index(outer.parts.size(), -1);
    for (std::size_t j = i + 1; j < outer.parts.size() && is_inside(outer, j, i); ++j) {
      core::Part& source = outer.parts[j];
      core::Part copy;
      copy.path = source.path;
      copy.parent = source.parent == static_cast<int>(i)
                        ? -1
                        : new_index[static_cast<std::size_t>(source.parent)];
      copy.depth = source.depth;
      copy.content_type = source.content_type;
      copy.charset = source.charset;
      copy.decoded_charset = source.decoded_charset;
      copy.disposition = source.disposition;
      copy.filename = source.filename;
      copy.transfer_encoding = source.transfer_encoding;
      copy.content_id = source.content_id;
      copy.description = source.description;
      copy.is_multipart = source.is_multipart;
      copy.is_attachment = source.is_attachment;
      copy.decoded_size = source.decoded_size;
      copy.sha256 = source.sha256;
      copy.content = std::move(source.content);
      copy.content_truncated = source.content_truncated;
      copy.text = source.text;
      copy.html_text = source.html_text;
      copy.links = source.links;
      if (source.message) copy.message = std::make_unique<core::Envelope>(*source.message);
      source.is_attachment = false;
      inner.size += copy.decoded_size;
      new_index[j] = static_cast<int>(inner.parts.size());
      inner.parts.push_back(std::move(copy));
    }
    inner_messages.push_back(std::move(inner));
  }
  return inner_messages;
}

// An attached file that is itself a mail: an Outlook .msg (how Outlook users forward a mail), or
// a saved .eml sent as a plain file (application/octet-stream). Recognised by content; an .eml
// needs its name too, since many text files start with a "Name: value" line.
std::optional<ingest::Format> attached_mail_file(const core::Part& part) {
  if (!part.is_attachment || part.is_multipart || part.message || part.content.empty() ||
      part.content_truncated) {
    return std::nullopt;
  }
  if (ingest::sniff(std::string_view(part.content).substr(0, 8)) == ingest::Kind::outlook_msg) {
    if (outlook::is_message_file(part.content)) return ingest::Format::outlook_msg;
    return std::nullopt;
  }
  if (core::ascii_lower(part.filename).ends_with(".eml") &&
      ingest::sniff(std::string_view(part.content).substr(0, 4096)) == ingest::Kind::message) {
    return ingest::Format::rfc822;
  }
  return std::nullopt;
}

// Moves each top-level attached mail file out into a Message of its own, parsed from its bytes,
// for the same reason as split_attached. The outer no longer owns the file: its attachments
// belong to the attached mail, which is judged by its own sender and route. A file that does not
// read as a mail stays an attachment of the outer and is inspected as a file.
std::vector<core::Message> split_attached_files(core::Message& outer, const core::Limits& limits,
                                                unsigned depth, std::size_t already_split,
                                                AttachedFileBudget& budget) {
  std::vector<core::Message> inner_messages;
  for (std::size_t i = 0; i < outer.parts.size(); ++i) {
    core::Part& part = outer.parts[i];
    if (is_inside_attached(outer, i)) continue;
    const auto format = attached_mail_file(part);
    if (!format) continue;
    if (depth >= kMaxAttachedFileDepth) {
      outer.add_finding(core::limit_finding("mime_depth", kMaxAttachedFileDepth, part.path));
      break;
    }
    if (already_split + inner_messages.size() == kMaxAttachedMessages || budget.mails == 0 ||
        budget.bytes < part.content.size()) {
      outer.add_finding(core::limit_finding("attached_messages", kMaxAttachedMessages, part.path));
      break;
    }
    ingest::RawMessage raw;
    raw.locator = outer.locator + "#part=" + part.path;
    raw.format = *format;
    raw.original_size = part.content.size();
    // Moved, not copied (an attached mail file may be tens of MB); put back if it is no mail.
    raw.bytes = std::move(part.content);
    core::Message inner = parse_raw(raw, limits);
    if (inner.parts.empty()) {  // not readable as a mail (a damaged .msg): inspected as a file
      part.content = std::move(raw.bytes);
      continue;
    }
    --budget.mails;
    budget.bytes -= raw.original_size;
    part.content.clear();  // moved out above: cleared so it is empty whatever the move left
    part.is_attachment = false;
    inner.add_finding(forwarded_by(outer, part.path));
    inner_messages.push_back(std::move(inner));
  }
  return inner_messages;
}

// Outlook may carry a mail's own body inside winmail.dat (application/ms-tnef, found by content):
// that body joins the mail's inline bodies, so its URLs, links and lure words are evidence. The
// file itself is still inspected as an attachment.
void add_tnef_bodies(core::Message& message, const core::Limits& limits) {
  const std::size_t count = message.parts.size();
  for (std::size_t i = 0; i < count; ++i) {
    const core::Part& tnef = message.parts[i];
    if (!tnef.is_attachment || tnef.is_multipart || !outlook::is_tnef(tnef.content)) continue;
    auto mime_text = outlook::tnef_to_mime(tnef.content, limits, /*with_files=*/false);
    if (!mime_text) continue;
    core::Message rebuilt = mime::parse_message(*mime_text, message.locator, limits);
    for (core::Part& body : rebuilt.parts) {
      if (body.is_multipart || body.is_attachment ||
          (body.content_type != "text/plain" && body.content_type != "text/html")) {
        continue;
      }
      body.path = message.parts[i].path + "/body";
      body.parent = message.parts[i].parent;
      body.depth = message.parts[i].depth;
      body.content.clear();  // its bytes are inspected as the TNEF's body.* file
      message.parts.push_back(std::move(body));
      break;  // a TNEF stream carries one body
    }
  }
}

void match_urls_and_ips(const intel::IocSet& ioc, const verdict::Analysis& analysis,
                        std::vector<core::Finding>& findings) {
  for (const auto& url : analysis.evidence.urls) ioc.match_url(url.url, findings);
  for (const auto& hop : analysis.message.envelope.received) {
    if (!hop.from_ip.empty()) ioc.match_ip(hop.from_ip, hop.raw, findings);
  }
}

void match_attachment_urls(const intel::IocSet& ioc, const core::Attachment& node,
                           std::vector<core::Finding>& findings) {
  for (const auto& url : node.urls) ioc.match_url(url, findings);
  for (const auto& child : node.children) match_attachment_urls(ioc, child, findings);
}

}  // namespace

namespace {

verdict::Analysis analyze_at_depth(core::Message&& message, const AnalysisContext& context,
                                   const core::Limits& limits, unsigned file_depth,
                                   AttachedFileBudget& budget) {
  verdict::Analysis analysis;
  analysis.message = std::move(message);
  std::vector<core::Message> attached;
  std::size_t attached_parts = 0;
  if (!context.inspect_only) {
    attached = split_attached(analysis.message);
    attached_parts = attached.size();
    for (auto& inner :
         split_attached_files(analysis.message, limits, file_depth, attached.size(), budget)) {
      attached.push_back(std::move(inner));
    }
    add_tnef_bodies(analysis.message, limits);
    analysis.evidence = evidence::collect(analysis.message, *context.matcher);
  }

  inspect::Options options;
  options.limits = limits;
  options.passwords = analysis.evidence.password_candidates;
  inspect::ScanHook extract;
  if (context.extractor != nullptr) extract = context.extractor->hook(analysis.message.locator);
  if (context.yara != nullptr || context.ioc != nullptr || extract) {
    options.scan = [&context, &extract](std::string_view bytes, const core::Attachment& node,
                                        std::vector<core::Finding>& findings) {
      if (context.yara != nullptr) context.yara->scan(bytes, node, findings);
      if (context.ioc != nullptr) context.ioc->match_attachment(node, findings);
      if (extract) extract(bytes, node, findings);
    };
  }
  analysis.inspection = inspect::inspect_message(analysis.message, options);
  if (context.ioc != nullptr) {
    match_urls_and_ips(*context.ioc, analysis, analysis.inspection.findings);
    for (const auto& node : analysis.inspection.attachments) {
      match_attachment_urls(*context.ioc, node, analysis.inspection.findings);
    }
  }
  if (context.inspect_only) return analysis;
  analysis.verdict = verdict::decide(
      {analysis.message, analysis.evidence, analysis.inspection, context.matcher->profile()});
  // Recursion is bounded by Limits::mime_depth for message/rfc822 parts (each level is one level
  // of MIME nesting) and by kMaxAttachedFileDepth for mails attached as files (parsed anew).
  for (std::size_t i = 0; i < attached.size(); ++i) {
    const unsigned depth = i < attached_parts ? file_depth : file_depth + 1;
    analysis.attached.push_back(
        analyze_at_depth(std::move(attached[i]), context, limits, depth, budget));
    if (!analysis.message.envelope.from.empty()) {
      analysis.attached.back().forwarded_by = analysis.message.envelope.from.front();
    }
  }
  return analysis;
}

}  // namespace

verdict::Analysis analyze_message(core::Message&& message, const AnalysisContext& context,
                                  const core::Limits& limits) {
  AttachedFileBudget budget;
  budget.bytes = limits.decoded_bytes;
  return analyze_at_depth(std::move(message), context, limits, 0, budget);
}

}  // namespace emotriage::app
