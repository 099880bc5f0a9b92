// The content pass of collect(): what the mail's own text says. Only inline text bodies of the
// top message and of attached (forwarded) messages are read, never attachment content.
#include <algorithm>
#include <optional>

#include "core/text.hpp"
#include "evidence/collector.hpp"
#include "evidence/text.hpp"
#include "evidence/thread.hpp"
#include "evidence/urls.hpp"

namespace emotriage::evidence {
namespace {

// Total text one message may make us fold and scan; the parser caps each part at
// Limits::text_bytes, but 5,000 parts of it would still be too much work for one message.
constexpr std::size_t kMaxTotalTextBytes = 8u << 20;
constexpr std::size_t kMaxBodies = 64;
// Download links reported one by one; more are summarised in the last finding.
constexpr std::size_t kMaxUrlFindings = 10;
// A signature is in the last lines of the new text (E29).
constexpr std::size_t kSignatureLines = 15;
// Greeting lines at the top ("株式会社サンプル商事\n山田様"): names there are the addressee.
constexpr std::size_t kGreetingLines = 2;

struct TextBody {
  std::string part;    // MIME part path
  std::string folded;  // NFKC text
  bool forwarded;      // inside an attached message/rfc822
  std::size_t quote_start = std::string::npos;
  bool inline_forward = false;  // carries Evidence::inline_forward
};

// A stretch of one body read for names, company, lure words and passwords: its new text and its
// quote. An inline forward's body is two: the reporter's note above the block and the
// forwarded mail below it (the block itself is read by inline_forward()).
struct Segment {
  std::string_view fresh, quoted;
  const TextBody* body;
  bool in_inline_forward;
};

std::vector<Segment> segments_of(const std::vector<TextBody>& bodies,
                                 const std::optional<InlineForward>& forward) {
  std::vector<Segment> segments;
  for (const TextBody& body : bodies) {
    std::string_view text = body.folded;
    std::size_t from = 0;
    if (body.inline_forward && forward) {
      segments.push_back({text.substr(0, forward->block_start), {}, &body, false});
      from = std::min(forward->body_start, text.size());
    }
    std::size_t quote = std::clamp(body.quote_start, from, text.size());
    segments.push_back(
        {text.substr(from, quote - from), text.substr(quote), &body, body.inline_forward});
  }
  return segments;
}

bool is_text_body(const core::Part& part) {
  return !part.is_multipart && !part.is_attachment &&
         (part.content_type == "text/plain" || part.content_type == "text/html");
}

// Inline bodies per message (top and each attached one): text/plain where there is one, else
// the HTML rendered to text.
std::vector<TextBody> text_bodies(const core::Message& message) {
  const auto& parts = message.parts;
  auto owner_of = [&](std::size_t index) {
    for (int at = parts[index].parent; at >= 0; at = parts[static_cast<std::size_t>(at)].parent) {
      if (parts[static_cast<std::size_t>(at)].message) return at;
    }
    return -1;
  };
  std::vector<int> owners;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!is_text_body(parts[i])) continue;
    int owner = owner_of(i);
    if (std::ranges::find(owners, owner) == owners.end()) owners.push_back(owner);
  }
  std::vector<TextBody> bodies;
  std::size_t budget = kMaxTotalTextBytes;
  for (int owner : owners) {
    bool has_plain = false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      has_plain |=
          is_text_body(parts[i]) && owner_of(i) == owner && parts[i].content_type == "text/plain";
    }
    for (std::size_t i = 0; i < parts.size() && bodies.size() < kMaxBodies && budget > 0; ++i) {
      const core::Part& part = parts[i];
      if (!is_text_body(part) || owner_of(i) != owner) continue;
      bool html = part.content_type == "text/html";
      if (html && has_plain) continue;
      std::string_view source = html ? part.html_text : part.text;
      source = core::utf8_prefix(source, std::min(budget, kMaxScanBytes));
      budget -= source.size();
      bodies.push_back(TextBody{part.path, fold_width(source), owner >= 0});
    }
  }
  return bodies;
}

// "--", a rule of ASCII dashes/stars/equals/underscores, or a line opening with a box-drawing or
// block rule ("────", "━━", "〓〓", "■■") that Japanese signatures are framed with.
bool is_signature_separator(std::string_view line) {
  line = trim_spaces(line);
  if (line == "--") return true;
  if (line.size() >= 5 && std::string_view("-*=_").find(line[0]) != std::string_view::npos &&
      line.find_first_not_of(line[0]) == std::string_view::npos) {
    return true;
  }
  for (std::string_view rule : {"──", "━━", "〓〓", "■■"}) {
    if (line.starts_with(rule)) return true;
  }
  return false;
}

// Where in the new text a name hit sits: the greeting, the signature, or the body.
struct Layout {
  std::size_t greeting_end = 0;  // byte offset; hits before it are the addressee
  std::size_t signature_start = 0;
};

Layout layout_of(std::string_view text) {
  Layout layout;
  std::vector<std::string_view> lines = split_lines(text);
  std::vector<std::string_view> filled;
  for (std::string_view line : lines) {
    if (!trim_spaces(line).empty()) filled.push_back(line);
  }
  auto offset_of = [&](std::string_view line) {
    return static_cast<std::size_t>(line.data() - text.data());
  };
  if (filled.empty()) return layout;
  std::string_view last_greeting = filled[std::min(kGreetingLines, filled.size()) - 1];
  layout.greeting_end = offset_of(last_greeting) + last_greeting.size();
  layout.signature_start =
      filled.size() > kSignatureLines ? offset_of(filled[filled.size() - kSignatureLines]) : 0;
  for (std::string_view line : lines) {
    if (offset_of(line) >= layout.greeting_end && is_signature_separator(line)) {
      layout.signature_start = std::min(
          layout.signature_start == 0 ? text.size() : layout.signature_start, offset_of(line));
      break;
    }
  }
  // A short mail is all "last lines"; its greeting still is the addressee.
  layout.signature_start = std::max(layout.signature_start, layout.greeting_end);
  return layout;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace

void Collector::content() {
  const core::Envelope& envelope = message_.envelope;
  std::vector<TextBody> bodies = text_bodies(message_);

  // --- Thread ---
  SubjectPrefixes prefixes = parse_subject_prefixes(envelope.subject);
  evidence_.reply_subject = prefixes.replies + prefixes.forwards > 0;
  // A forward legitimately starts a new thread; only a reply must carry In-Reply-To or
  // References (rspamd FAKE_REPLY, reference E06). An input without any headers (a winmail.dat
  // on its own) cannot be judged on them.
  evidence_.reply_without_thread =
      prefixes.replies > 0 && envelope.in_reply_to.empty() && envelope.references.empty() &&
      !core::has_finding(message_.findings, core::kParseHeadersMissing);

  bool lists_recipients = false;
  auto add_participant = [&](QuotedParticipant person) {
    if (evidence_.quoted_participants.size() >= 100) return;
    bool seen = std::ranges::any_of(evidence_.quoted_participants, [&](const auto& known) {
      return person.address.empty() ? known.display_name == person.display_name
                                    : core::iequals(known.address, person.address);
    });
    if (!seen) evidence_.quoted_participants.push_back(std::move(person));
  };
  bool forward_found = false;
  // quoted_participants[forwarded_people_begin, forwarded_people_end) are the inline-forwarded
  // mail's own thread.
  std::size_t forwarded_people_begin = 0, forwarded_people_end = 0;
  for (TextBody& body : bodies) {
    if (!forward_found && !body.forwarded) {
      forward_found = inline_forward(body.folded, body.part, prefixes.forward_first);
      body.inline_forward = forward_found;
    }
    // Only the forwarded mail's text below its block can quote a thread: the block names its
    // sender and recipients, which inline_forward() has read.
    const std::size_t scan_from = body.inline_forward ? evidence_.inline_forward->body_start : 0;
    if (body.inline_forward) forwarded_people_begin = evidence_.quoted_participants.size();
    QuotedThread thread = parse_quoted_thread(std::string_view(body.folded).substr(scan_from));
    // A forwarded message is itself the quote.
    body.quote_start = body.forwarded ? 0
                       : thread.found ? scan_from + thread.start
                                      : std::string::npos;
    evidence_.has_quoted_thread |= thread.found;
    lists_recipients |= thread.lists_recipients;
    for (QuotedParticipant& person : thread.participants) add_participant(std::move(person));
    if (body.inline_forward) forwarded_people_end = evidence_.quoted_participants.size();
    for (std::string& marker : thread.markers) {
      if (evidence_.quote_markers.size() < 5) evidence_.quote_markers.push_back(std::move(marker));
    }
  }
  // Attached messages (forwards, bounces) name people of a thread too, but they are not a reply's
  // quote: their senders need not be among the forwarder's participants.
  bool forwarded_message = false;
  for (const core::Part& part : message_.parts) {
    if (!part.message) continue;
    forwarded_message = true;
    for (const auto* boxes : {&part.message->from, &part.message->to, &part.message->cc}) {
      for (const core::Mailbox& box : *boxes) add_participant({box.display_name, box.address, -1});
    }
    if (evidence_.quote_markers.size() < 5) {
      evidence_.quote_markers.push_back("message/rfc822 " + part.path + ": " +
                                        part.message->subject);
    }
  }

  std::string from_registrable = profile::registrable_domain(evidence_.from_domain);
  bool sender_in_thread = false;
  bool thread_has_ours = false;
  std::string thread_partner;
  for (QuotedParticipant& person : evidence_.quoted_participants) {
    if (auto employee = employee_of(person.address, person.display_name)) {
      person.employee = *employee;
    }
    std::string domain = profile::address_domain(person.address);
    profile::DomainMatch match = matcher_.classify_domain(domain);
    if (person.employee >= 0 || match.kind == profile::DomainKind::own) thread_has_ours = true;
    if (match.kind == profile::DomainKind::partner && thread_partner.empty()) {
      thread_partner = matcher_.profile().partners[static_cast<std::size_t>(match.partner)].name +
                       " (" + domain + ")";
    }
    if ((!domain.empty() && profile::registrable_domain(domain) == from_registrable) ||
        (!person.display_name.empty() && !evidence_.from.display_name.empty() &&
         profile::normalize_name(person.display_name) ==
             profile::normalize_name(evidence_.from.display_name))) {
      sender_in_thread = true;
    }
  }
  bool thread_has_partner = !thread_partner.empty();

  profile::DomainKind sender_kind = evidence_.from_domain_match.kind;
  bool sender_outside =
      sender_kind != profile::DomainKind::own && sender_kind != profile::DomainKind::partner;
  bool reply_like = evidence_.reply_subject || evidence_.has_quoted_thread;
  // Bounces quote the original headers by design.
  std::string local_part = core::ascii_lower(
      std::string_view(evidence_.from.address).substr(0, evidence_.from.address.find('@')));
  bool bounce = local_part == "mailer-daemon" || local_part == "postmaster";
  bool stranger = evidence_.has_quoted_thread && lists_recipients && !from_registrable.empty() &&
                  !sender_in_thread && !bounce;
  bool uses_our_thread = (evidence_.has_quoted_thread || forwarded_message) &&
                         (thread_has_ours || thread_has_partner) && sender_outside;
  bool hijacked = reply_like && (evidence_.reply_without_thread || stranger || uses_our_thread);
  std::string subject_evidence = "Subject: " + envelope.subject;
  if (hijacked) {
    std::vector<std::string> ja, en;
    if (evidence_.reply_without_thread) {
      ja.push_back("件名は返信（" + envelope.subject +
                   "）ですが、In-Reply-To / References ヘッダーがありません");
      en.push_back("the subject is a reply (" + envelope.subject +
                   ") but there is no In-Reply-To or References header");
    }
    if (stranger) {
      ja.push_back("差出人 " + evidence_.from.address +
                   " は引用されたやり取りの参加者ではありません");
      en.push_back("the sender " + evidence_.from.address +
                   " is not a participant of the quoted conversation");
    }
    if (uses_our_thread) {
      ja.push_back(
          "引用されたやり取りには当社または取引先が含まれていますが、差出人は外部のアドレスです");
      en.push_back(
          "the quoted conversation involves our company or a partner, but the sender is "
          "an outside address");
    }
    add("thread.hijacked-reply",
        stranger || uses_our_thread ? core::Severity::high : core::Severity::medium,
        "過去のメールのやり取りを盗用した返信メールの特徴があります: " + join(ja, "、") + "。",
        "This looks like a reply built from a stolen conversation: " + join(en, "; ") + ".",
        evidence_.quote_markers.empty()
            ? subject_evidence
            : subject_evidence + " / " + evidence_.quote_markers.front());
  }
  for (std::size_t index = 0; index < evidence_.quoted_participants.size(); ++index) {
    const QuotedParticipant& person = evidence_.quoted_participants[index];
    if (person.employee < 0) continue;
    bool first_time = std::ranges::none_of(evidence_.employees_referenced, [&](const auto& ref) {
      return ref.employee == person.employee &&
             std::ranges::find(ref.where, "quoted-thread") != ref.where.end();
    });
    reference(person.employee, "quoted-thread",
              index >= forwarded_people_begin && index < forwarded_people_end);
    if (!first_time) continue;
    std::string label = employee_label(person.employee);
    std::string other_ja =
        thread_has_partner ? "相手側（" + thread_partner + "）" : "やり取りの相手側";
    std::string other_en = thread_has_partner ? "the other side (" + thread_partner + ")"
                                              : "the other side of that conversation";
    add("identity.employee-in-quoted-thread",
        hijacked ? core::Severity::high : core::Severity::medium,
        "引用されたやり取りに当社社員 " + label +
            " が含まれています。JPCERT/CC の FAQ のとおり、このやり取りが盗まれたメールボックスは、"
            "この社員の側か" +
            other_ja + "にあります。まずこれらの PC を確認してください。",
        "The quoted conversation includes our employee " + label +
            ". As JPCERT/CC's FAQ explains, the mailbox it was stolen from is on this employee's "
            "side or on " +
            other_en + ": check those PCs first.",
        person.display_name.empty() ? person.address
                                    : person.display_name + " <" + person.address + ">");
  }

  // --- Employees and company in the new text ---
  // A From address in our domain is judged by routing (ours, or forged): saying "the sender is
  // not one of our addresses" would be wrong for it.
  bool ours = sender_is_ours() || evidence_.from_domain_match.kind == profile::DomainKind::own;
  const std::string sender_ja = evidence_.from.address.empty() ? "(不明)" : evidence_.from.address;
  const std::string sender_en =
      evidence_.from.address.empty() ? "(unknown)" : evidence_.from.address;
  std::string lure_text = envelope.subject;
  std::vector<std::string> own_passwords, quoted_passwords;
  for (const auto& [fresh, quoted, body, in_forward] :
       segments_of(bodies, evidence_.inline_forward)) {
    if (!quoted.empty()) {
      for (const profile::NameHit& hit : matcher_.find_employee_names(quoted)) {
        if (!hit.family_only) reference(hit.employee, "quoted-thread", in_forward);
      }
    }
    Layout layout = layout_of(fresh);
    for (const profile::NameHit& hit : matcher_.find_employee_names(fresh)) {
      if (hit.honorific || hit.offset < layout.greeting_end) {
        reference(hit.employee, "recipient", in_forward);
        continue;
      }
      if (hit.family_only) continue;
      bool signature = hit.offset >= layout.signature_start;
      reference(hit.employee, signature ? "signature" : "body", in_forward);
      if (ours || evidence_.from_employee == hit.employee) continue;
      std::string label = employee_label(hit.employee);
      add("identity.employee-in-body", signature ? core::Severity::medium : core::Severity::low,
          std::string(signature ? "署名" : "本文") + "に当社社員 " + label +
              " の名前がありますが、差出人 " + sender_ja + " は当社のアドレスではありません。",
          std::string(signature ? "The signature" : "The body") + " names our employee " + label +
              ", but the sender " + sender_en + " is not one of our addresses.",
          std::string(core::utf8_prefix(hit.matched, 200)), body->part);
    }
    // Our name in the greeting ("株式会社サンプル商事\nご担当者様") addresses us; after it, the
    // mail speaks as us.
    std::string_view after_greeting = fresh.substr(std::min(layout.greeting_end, fresh.size()));
    if (auto company = matcher_.find_company_name(after_greeting)) {
      if (in_forward && evidence_.inline_forward->company_reference.empty()) {
        evidence_.inline_forward->company_reference = *company;
      }
      if (evidence_.company_reference.empty()) {
        evidence_.company_reference = *company;
        if (!ours) {
          add("identity.company-in-body",
              sender_kind == profile::DomainKind::partner ? core::Severity::info
                                                          : core::Severity::low,
              "本文に当社の社名「" + *company + "」がありますが、差出人 " + sender_ja +
                  " は当社のアドレスではありません。",
              "The text names our company \"" + *company + "\", but the sender " + sender_en +
                  " is not one of our addresses.",
              *company, body->part);
        }
      }
    }
    if (lure_text.size() < kMaxScanBytes) {
      lure_text += "\n";
      lure_text += core::utf8_prefix(fresh, kMaxScanBytes - lure_text.size());
    }
    for (std::string& password : password_candidates(fresh)) {
      if (std::ranges::find(own_passwords, password) == own_passwords.end()) {
        own_passwords.push_back(std::move(password));
      }
    }
    if (!quoted.empty()) {
      for (std::string& password : password_candidates(quoted))
        quoted_passwords.push_back(std::move(password));
    }
  }

  // --- Lure words, passwords ---
  evidence_.lure_keywords = lure_keywords(lure_text);
  if (!evidence_.lure_keywords.empty()) {
    std::string words = join(evidence_.lure_keywords, "、");
    add("content.lure-keywords", core::Severity::low,
        "件名・本文に Emotet 型のメールでよく使われる言葉があります: " + words + "。",
        "The subject or text uses wording common in Emotet-style mail: " +
            join(evidence_.lure_keywords, ", ") + ".",
        words);
  }
  evidence_.password_candidates = own_passwords;
  for (std::string& password : quoted_passwords) {
    if (std::ranges::find(evidence_.password_candidates, password) ==
        evidence_.password_candidates.end()) {
      evidence_.password_candidates.push_back(std::move(password));
    }
  }
  if (!own_passwords.empty()) {
    add("content.password-in-body", core::Severity::medium,
        "本文にパスワードが書かれています（" + join(own_passwords, "、") +
            "）。Emotet はパスワード付き ZIP のパスワードを同じメールに書いて送ってきます。",
        "The text gives a password (" + join(own_passwords, ", ") +
            "). Emotet sent encrypted ZIPs with the password in the same mail.",
        join(own_passwords, " "));
  }

  // --- URLs ---
  auto add_url = [&](std::string url, std::string_view where, std::string_view part) {
    if (evidence_.urls.size() >= kMaxUrls) return;
    if (std::ranges::find(evidence_.urls, url, &Url::url) != evidence_.urls.end()) return;
    std::string reason = download_reason(url);
    evidence_.urls.push_back(Url{url, std::string(where), !reason.empty()});
    if (reason.empty()) return;
    std::size_t reported = static_cast<std::size_t>(std::ranges::count_if(
        evidence_.findings, [](const core::Finding& f) { return f.id == "url.download-link"; }));
    if (reported >= kMaxUrlFindings) return;
    add("url.download-link",
        is_weak_download_reason(reason) ? core::Severity::low : core::Severity::medium,
        "本文のリンク " + url + " はファイルのダウンロード先です（" + reason +
            "）。開かず、アクセスもしないでください。",
        "The link " + url + " in the text points at a file download (" + reason +
            "). Do not open or visit it.",
        url, std::string(part));
  };
  auto add_links = [&](const core::Part& part) {
    for (const std::string& link : part.links) {
      std::string lower = core::ascii_lower(core::utf8_prefix(link, 16));
      bool web = lower.starts_with("http://") || lower.starts_with("https://") ||
                 lower.starts_with("ftp://") || lower.starts_with("hxxp");
      if (web && link.size() <= kMaxUrlBytes) add_url(link, "html", part.path);
    }
  };
  for (const TextBody& body : bodies) {
    for (std::string& url : extract_urls(body.folded)) add_url(std::move(url), "text", body.part);
  }
  // Every inline HTML body's links, also an HTML alternative beside the text/plain one read.
  for (const core::Part& part : message_.parts) {
    if (is_text_body(part) && part.content_type == "text/html") add_links(part);
  }
}

}  // namespace emotriage::evidence
