#include "report/dump.hpp"

#include <sstream>

#include "core/text.hpp"
#include "report/analysis_report.hpp"
#include "report/format.hpp"

namespace emotriage::report {

namespace {

using Json = nlohmann::ordered_json;

Json mailboxes_to_json(const std::vector<core::Mailbox>& list) {
  Json out = Json::array();
  for (const auto& mailbox : list) out.push_back(mailbox_to_json(mailbox));
  return out;
}

Json envelope_to_json(const core::Envelope& envelope) {
  Json out;
  out["message_id"] = envelope.message_id;
  out["date"] = envelope.date;
  out["date_raw"] = envelope.date_raw;
  out["subject"] = envelope.subject;
  out["from"] = envelope.from.empty() ? Json(nullptr) : mailbox_to_json(envelope.from.front());
  out["sender"] =
      envelope.sender.empty() ? Json(nullptr) : mailbox_to_json(envelope.sender.front());
  out["reply_to"] = mailboxes_to_json(envelope.reply_to);
  out["return_path"] =
      envelope.return_path.empty() ? Json(nullptr) : mailbox_to_json(envelope.return_path.front());
  out["to"] = mailboxes_to_json(envelope.to);
  out["cc"] = mailboxes_to_json(envelope.cc);
  out["in_reply_to"] = envelope.in_reply_to;
  out["references"] = envelope.references;
  Json hops = Json::array();
  for (const auto& hop : envelope.received) {
    hops.push_back({{"from_helo", hop.from_helo},
                    {"from_rdns", hop.from_rdns},
                    {"from_ip", hop.from_ip},
                    {"by", hop.by},
                    {"with", hop.with},
                    {"id", hop.id},
                    {"for", hop.for_address},
                    {"auth_sender", hop.auth_sender},
                    {"timestamp", hop.timestamp}});
  }
  out["received"] = std::move(hops);
  Json auth = Json::array();
  for (const auto& result : envelope.auth_results) {
    Json properties = Json::object();
    for (const auto& [key, value] : result.properties) properties[key] = value;
    auth.push_back({{"authserv_id", result.authserv_id},
                    {"method", result.method},
                    {"result", result.result},
                    {"reason", result.reason},
                    {"properties", std::move(properties)}});
  }
  out["authentication_results"] = std::move(auth);
  Json dkim = Json::array();
  for (const auto& signature : envelope.dkim_signatures) {
    dkim.push_back({{"domain", signature.domain},
                    {"selector", signature.selector},
                    {"algorithm", signature.algorithm},
                    {"canonicalization", signature.canonicalization},
                    {"identity", signature.identity},
                    {"signed_headers", signature.signed_headers}});
  }
  out["dkim_signatures"] = std::move(dkim);
  Json headers = Json::array();
  for (const auto& header : envelope.headers) {
    headers.push_back({{"name", header.name}, {"raw", header.raw}, {"value", header.value}});
  }
  out["headers"] = std::move(headers);
  return out;
}

}  // namespace

Json mailbox_to_json(const core::Mailbox& mailbox) {
  return {{"display_name", mailbox.display_name}, {"address", mailbox.address}};
}

Json finding_to_json(const core::Finding& finding, Lang lang) {
  return {{"id", finding.id},
          {"severity", core::to_string(finding.severity)},
          {"message", lang == Lang::ja ? finding.message_ja : finding.message_en},
          {"evidence", finding.evidence},
          {"part", finding.part}};
}

Json message_dump_json(const core::Message& message, const DumpOptions& options,
                       const inspect::Result* inspection) {
  Json out;
  out["source"] = message.locator;
  out["size"] = message.size;
  out["sha256"] = message.sha256;
  Json envelope = envelope_to_json(message.envelope);
  for (auto& [key, value] : envelope.items()) out[key] = std::move(value);
  Json parts = Json::array();
  for (const auto& part : message.parts) {
    Json p;
    p["part"] = part.path;
    p["content_type"] = part.content_type;
    p["multipart"] = part.is_multipart;
    if (!part.is_multipart && !part.message) {
      p["attachment"] = part.is_attachment;
      p["size"] = part.decoded_size;
      p["sha256"] = part.sha256;
    }
    p["charset"] = part.charset;
    if (!part.decoded_charset.empty()) p["decoded_charset"] = part.decoded_charset;
    p["disposition"] = part.disposition;
    p["filename"] = part.filename;
    p["transfer_encoding"] = part.transfer_encoding;
    if (!part.content_id.empty()) p["content_id"] = part.content_id;
    if (!part.description.empty()) p["description"] = part.description;
    if (part.content_truncated) p["content_truncated"] = true;
    const std::string& body = part.html_text.empty() ? part.text : part.html_text;
    if (!body.empty()) p["text_excerpt"] = excerpt(body, options.excerpt_chars);
    if (!part.links.empty()) p["links"] = part.links;
    if (part.message) p["message"] = envelope_to_json(*part.message);
    parts.push_back(std::move(p));
  }
  out["parts"] = std::move(parts);
  if (inspection != nullptr) {
    Json attachments = Json::array();
    for (const auto& node : inspection->attachments)
      attachments.push_back(attachment_to_json(node));
    out["attachments"] = std::move(attachments);
  }
  Json findings = Json::array();
  for (const auto& finding : message.findings)
    findings.push_back(finding_to_json(finding, options.lang));
  if (inspection != nullptr) {
    for (const auto& finding : inspection->findings) {
      findings.push_back(finding_to_json(finding, options.lang));
    }
  }
  out["findings"] = std::move(findings);
  return out;
}

std::string message_dump_text(const core::Message& message, const DumpOptions& options,
                              const inspect::Result* inspection) {
  const Lang lang = options.lang;
  std::ostringstream out;
  auto line = [&](std::string_view ja, std::string_view en, std::string_view value) {
    if (value.empty()) return;
    out << "  " << pick(lang, ja, en) << ": " << one_line(value) << "\n";
  };
  auto mailbox = [](const core::Mailbox& m) {
    if (m.display_name.empty()) return "<" + m.address + ">";
    return "\"" + m.display_name + "\" <" + m.address + ">";
  };
  const auto& env = message.envelope;
  out << "== " << message.locator << " (" << message.size << " bytes, sha256 " << message.sha256
      << ")\n";
  line("件名", "Subject", env.subject);
  if (!env.from.empty()) line("差出人", "From", mailbox(env.from.front()));
  if (!env.sender.empty()) line("送信者", "Sender", mailbox(env.sender.front()));
  for (const auto& m : env.reply_to) line("返信先", "Reply-To", mailbox(m));
  if (!env.return_path.empty())
    line("Return-Path", "Return-Path", mailbox(env.return_path.front()));
  for (const auto& m : env.to) line("宛先", "To", mailbox(m));
  for (const auto& m : env.cc) line("CC", "Cc", mailbox(m));
  line("日時", "Date", env.date.empty() ? env.date_raw : env.date);
  line("Message-ID", "Message-ID", env.message_id);
  line("In-Reply-To", "In-Reply-To", env.in_reply_to);
  if (!env.received.empty()) {
    out << "  " << pick(lang, "経路 (新しい順)", "Route (newest first)") << ":\n";
    for (std::size_t i = 0; i < env.received.size(); ++i) {
      const auto& hop = env.received[i];
      out << "    " << i + 1 << ". from " << (hop.from_helo.empty() ? "?" : hop.from_helo);
      if (!hop.from_ip.empty()) out << " [" << hop.from_ip << "]";
      out << " by " << (hop.by.empty() ? "?" : hop.by);
      if (!hop.with.empty()) out << " with " << hop.with;
      if (!hop.auth_sender.empty())
        out << " " << pick(lang, "認証ユーザー ", "auth ") << hop.auth_sender;
      if (!hop.timestamp.empty()) out << " @ " << hop.timestamp;
      out << "\n";
    }
  }
  for (const auto& result : env.auth_results) {
    out << "  " << pick(lang, "認証結果", "Authentication") << ": " << result.method << "="
        << result.result;
    for (const auto& [key, value] : result.properties) out << " " << key << "=" << value;
    out << " (" << result.authserv_id << ")\n";
  }
  for (const auto& signature : env.dkim_signatures) {
    out << "  DKIM-Signature: d=" << signature.domain << " s=" << signature.selector << "\n";
  }
  out << "  " << pick(lang, "パート", "Parts") << ":\n";
  for (const auto& part : message.parts) {
    out << "    " << std::string(static_cast<std::size_t>(part.depth) * 2, ' ') << part.path << " "
        << part.content_type;
    if (!part.filename.empty()) out << " \"" << one_line(part.filename) << "\"";
    if (!part.charset.empty()) out << " charset=" << part.charset;
    if (!part.decoded_charset.empty() && part.decoded_charset != part.charset) {
      out << " (" << pick(lang, "実際は ", "read as ") << part.decoded_charset << ")";
    }
    if (!part.is_multipart && !part.message) {
      out << " " << part.decoded_size << " bytes";
      if (part.is_attachment) out << pick(lang, " 添付", " attachment");
      out << " sha256=" << part.sha256;
    }
    out << "\n";
    if (part.message) {
      std::string from = part.message->from.empty() ? "" : mailbox(part.message->from.front());
      out << "      " << pick(lang, "添付メール", "attached mail") << ": "
          << one_line(part.message->subject) << " / " << one_line(from) << "\n";
    }
    const std::string& body = part.html_text.empty() ? part.text : part.html_text;
    if (!body.empty()) {
      std::string text = excerpt(body, options.excerpt_chars);
      std::string indented;
      for (char c : text) {
        indented.push_back(c);
        if (c == '\n') indented += "      | ";
      }
      out << "      | " << indented << "\n";
    }
    for (const auto& link : part.links) out << "      -> " << one_line(link) << "\n";
  }
  if (inspection != nullptr && !inspection->attachments.empty()) {
    out << "  " << pick(lang, "添付ファイルの検査", "Attachment inspection") << ":\n"
        << attachments_text(inspection->attachments, lang);
  }
  std::vector<const core::Finding*> findings;
  for (const auto& finding : message.findings) findings.push_back(&finding);
  if (inspection != nullptr) {
    for (const auto& finding : inspection->findings) findings.push_back(&finding);
  }
  if (!findings.empty()) {
    out << "  " << pick(lang, "所見", "Findings") << ":\n";
    for (const auto* finding : findings) {
      out << "    [" << core::to_string(finding->severity) << "] " << finding->id << " "
          << one_line(lang == Lang::ja ? finding->message_ja : finding->message_en);
      if (!finding->part.empty())
        out << " (" << pick(lang, "パート ", "part ") << finding->part << ")";
      if (!finding->evidence.empty()) out << "\n        " << one_line(finding->evidence);
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace emotriage::report
