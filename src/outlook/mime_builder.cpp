// Outlook properties (from a .msg or a PST) rebuilt as an RFC 822/MIME message: transport
// headers or headers from the properties, bodies, attachments by value, embedded messages.
#include <algorithm>

#include "core/text.hpp"
#include "mime/charset.hpp"
#include "outlook/detail.hpp"
#include "outlook/properties.hpp"

namespace emotriage::outlook::detail {

namespace {

// Header fields (text) and recipient lists stay far below these in real mail; the caps keep a
// hostile file from building a giant header the parser would then cut anyway.
constexpr std::uint64_t kMaxTextPropertyBytes = 1u << 20;
constexpr std::size_t kMaxRecipients = 1000;
// Embedded .msg in .msg: Outlook users forward a mail as an attachment a few times at most.
constexpr std::uint32_t kMaxEmbeddedDepth = 8;

}  // namespace

std::string PropertySource::text(std::uint16_t id, std::uint32_t codepage) const {
  if (auto bytes = raw(id, kPtUnicode, kMaxTextPropertyBytes)) return decode_utf16le(*bytes);
  if (auto bytes = raw(id, kPtString8, kMaxTextPropertyBytes)) {
    return decode_string8(*bytes, codepage);
  }
  return {};
}

namespace {

// Property ids (MS-OXPROPS).
constexpr std::uint16_t kSubject = 0x0037;
constexpr std::uint16_t kClientSubmitTime = 0x0039;
constexpr std::uint16_t kSentRepresentingName = 0x0042;
constexpr std::uint16_t kSentRepresentingAddrType = 0x0064;
constexpr std::uint16_t kSentRepresentingEmail = 0x0065;
constexpr std::uint16_t kTransportHeaders = 0x007D;
constexpr std::uint16_t kSenderName = 0x0C1A;
constexpr std::uint16_t kSenderAddrType = 0x0C1E;
constexpr std::uint16_t kSenderEmail = 0x0C1F;
constexpr std::uint16_t kRecipientType = 0x0C15;
constexpr std::uint16_t kDeliveryTime = 0x0E06;
constexpr std::uint16_t kBody = 0x1000;
constexpr std::uint16_t kRtfCompressed = 0x1009;
constexpr std::uint16_t kHtml = 0x1013;
constexpr std::uint16_t kInternetMessageId = 0x1035;
constexpr std::uint16_t kInternetReferences = 0x1039;
constexpr std::uint16_t kInReplyTo = 0x1042;
constexpr std::uint16_t kDisplayName = 0x3001;
constexpr std::uint16_t kAddrType = 0x3002;
constexpr std::uint16_t kEmailAddress = 0x3003;
constexpr std::uint16_t kCreationTime = 0x3007;
constexpr std::uint16_t kAttachData = 0x3701;
constexpr std::uint16_t kAttachFilename = 0x3704;
constexpr std::uint16_t kAttachLongFilename = 0x3707;
constexpr std::uint16_t kAttachMimeTag = 0x370E;
constexpr std::uint16_t kAttachContentId = 0x3712;
constexpr std::uint16_t kSmtpAddress = 0x39FE;
constexpr std::uint16_t kInternetCodepage = 0x3FDE;
constexpr std::uint16_t kMessageCodepage = 0x3FFD;
constexpr std::uint16_t kSenderSmtp = 0x5D01;
constexpr std::uint16_t kSentRepresentingSmtp = 0x5D02;

struct Budget {
  const core::Limits& limits;
  std::uint64_t used = 0;  // attachment bytes held for the whole message
  std::size_t parts = 0;
  std::vector<core::Finding>* findings;
  bool member_cut = false, total_cut = false, parts_cut = false, recipients_cut = false;

  void note_limit(std::string_view name, std::uint64_t value, bool& reported) {
    if (reported || findings == nullptr) return;
    reported = true;
    findings->push_back(core::limit_finding(name, value));
  }
};

struct Address {
  std::string name, address, exchange_dn;
};

bool is_exchange_dn(std::string_view address) {
  return address.starts_with('/');
}

Address address_of(const PropertySource& s, std::uint32_t codepage, std::uint16_t name_id,
                   std::uint16_t smtp_id, std::uint16_t email_id, std::uint16_t type_id) {
  Address out;
  out.name = s.text(name_id, codepage);
  const std::string smtp = s.text(smtp_id, codepage);
  const std::string email = s.text(email_id, codepage);
  const std::string type = s.text(type_id, codepage);
  // An Exchange (EX) address is an X.500 DN, not a mail address; the SMTP form is the address.
  if (core::iequals(type, "EX") || is_exchange_dn(email)) out.exchange_dn = email;
  if (!smtp.empty()) {
    out.address = smtp;
  } else if (out.exchange_dn.empty()) {
    out.address = email;
  }
  return out;
}

std::string mailbox_text(const Address& a) {
  return format_mailbox(a.name, a.address);
}

// RFC 5322 field name (printable ASCII but the colon), then the colon; white space before the
// colon is the obsolete syntax that mailers still accept.
bool is_header_line(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] > ' ' && line[i] < 127 && line[i] != ':') ++i;
  if (i == 0) return false;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == ':';
}

// Transport headers without the Content-* and MIME-Version fields (the rebuilt body has its own),
// lines ended with CRLF, up to the first empty line.
std::string transport_headers(std::string_view headers) {
  std::string out;
  bool dropping = false;
  std::size_t pos = 0;
  while (pos < headers.size()) {
    std::size_t end = headers.find('\n', pos);
    if (end == std::string_view::npos) end = headers.size();
    std::string_view line = headers.substr(pos, end - pos);
    pos = end + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) {
      if (out.empty()) continue;  // a leading blank line
      break;
    }
    const bool continuation = line.front() == ' ' || line.front() == '\t';
    if (!continuation) {
      dropping = core::istarts_with(line, "content-") || core::istarts_with(line, "mime-version");
      // A line that is not "field-name:" is not a header; kept lines must all be headers, or
      // the rebuilt text has no header block at all (junk in a damaged .msg).
      if (!is_header_line(line)) dropping = true;
    } else if (out.empty()) {
      continue;
    }
    if (dropping) continue;
    out += line;
    out += "\r\n";
  }
  return out;
}

// Picks a boundary that occurs in none of the parts, in one pass over them (hostile names can
// hold many candidates): the prefix, then one more digit than the longest run of digits that
// follows the prefix anywhere — such a run cannot occur. Usually "=_emotriage_<depth>_0".
std::string boundary_for(const std::vector<std::string>& parts, std::uint32_t depth) {
  const std::string prefix = "=_emotriage_" + std::to_string(depth) + "_";
  std::size_t longest_digits = 0;
  for (const std::string& part : parts) {
    for (std::size_t at = part.find(prefix); at != std::string::npos;
         at = part.find(prefix, at + 1)) {
      std::size_t digits = 0;
      const std::size_t start = at + prefix.size();
      while (start + digits < part.size() && part[start + digits] >= '0' &&
             part[start + digits] <= '9') {
        ++digits;
      }
      longest_digits = std::max(longest_digits, digits);
    }
  }
  return prefix + std::string(longest_digits + 1, '0');
}

}  // namespace

std::string multipart(std::string_view subtype, const std::vector<std::string>& parts,
                      std::uint32_t depth) {
  const std::string boundary = boundary_for(parts, depth);
  std::string out =
      "Content-Type: multipart/" + std::string(subtype) + "; boundary=\"" + boundary + "\"\r\n\r\n";
  for (const auto& part : parts) out += "--" + boundary + "\r\n" + part + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

std::string text_part(std::string_view subtype, std::string_view utf8) {
  return "Content-Type: text/" + std::string(subtype) +
         "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64_lines(utf8);
}

std::string file_part(std::string_view content_type, std::string_view name,
                      std::string_view bytes) {
  std::string out = "Content-Type: " + std::string(content_type);
  if (!name.empty()) out += "; " + filename_parameter("name", name);
  out += "\r\nContent-Disposition: attachment";
  if (!name.empty()) out += "; " + filename_parameter("filename", name);
  return out + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64_lines(bytes);
}

namespace {

class Rebuilder {
 public:
  explicit Rebuilder(Budget& budget) : budget_(budget) {}

  std::string message(const PropertySource& props, std::uint32_t inherited_codepage,
                      std::uint32_t depth) {
    std::uint32_t codepage = inherited_codepage;
    if (auto cp = props.fixed(kMessageCodepage)) {
      codepage = static_cast<std::uint32_t>(*cp);
    } else if (auto cpid = props.fixed(kInternetCodepage)) {
      codepage = static_cast<std::uint32_t>(*cpid);
    }
    std::string out = headers(props, codepage);
    out += "MIME-Version: 1.0\r\n";

    std::vector<std::string> parts;
    if (std::string body = bodies(props, codepage); !body.empty()) parts.push_back(body);
    const std::size_t attachments = props.attachment_count();
    for (std::size_t index = 0; index < attachments; ++index) {
      if (budget_.parts >= budget_.limits.part_count) {
        budget_.note_limit("part_count", budget_.limits.part_count, budget_.parts_cut);
        break;
      }
      ++budget_.parts;
      const auto attachment = props.attachment(index);
      if (!attachment) continue;
      if (std::string part = attachment_part(*attachment, codepage, depth); !part.empty()) {
        parts.push_back(std::move(part));
      }
    }
    if (parts.empty()) return out + text_part("plain", "");
    if (parts.size() == 1) return out + parts.front();
    return out + multipart("mixed", parts, depth);
  }

 private:
  std::string headers(const PropertySource& props, std::uint32_t codepage) {
    if (std::string transport = transport_headers(props.text(kTransportHeaders, codepage));
        !transport.empty()) {
      return transport;
    }
    std::string out;
    const Address sender =
        address_of(props, codepage, kSenderName, kSenderSmtp, kSenderEmail, kSenderAddrType);
    const Address represented =
        address_of(props, codepage, kSentRepresentingName, kSentRepresentingSmtp,
                   kSentRepresentingEmail, kSentRepresentingAddrType);
    const bool has_represented = !represented.address.empty() || !represented.name.empty();
    const Address& from = has_represented ? represented : sender;
    if (std::string text = mailbox_text(from); !text.empty()) out += "From: " + text + "\r\n";
    if (has_represented && !sender.address.empty() &&
        !core::iequals(sender.address, represented.address)) {
      out += "Sender: " + mailbox_text(sender) + "\r\n";
    }
    if (!from.exchange_dn.empty()) {
      out += "X-Outlook-Sender-Exchange-DN: " + encode_header_text(from.exchange_dn) + "\r\n";
    }
    recipients(props, codepage, out);
    if (std::string subject = props.text(kSubject, codepage); !subject.empty()) {
      out += "Subject: " + encode_header_text(subject) + "\r\n";
    }
    for (const std::uint16_t id : {kClientSubmitTime, kDeliveryTime, kCreationTime}) {
      if (auto time = props.fixed(id)) {
        if (std::string date = filetime_to_rfc5322(*time); !date.empty()) {
          out += "Date: " + date + "\r\n";
          break;
        }
      }
    }
    const std::pair<std::uint16_t, std::string_view> ids[] = {{kInternetMessageId, "Message-ID"},
                                                              {kInReplyTo, "In-Reply-To"},
                                                              {kInternetReferences, "References"}};
    for (const auto& [id, name] : ids) {
      if (std::string value = props.text(id, codepage); !value.empty()) {
        out += std::string(name) + ": " + encode_header_text(value) + "\r\n";
      }
    }
    return out;
  }

  void recipients(const PropertySource& props, std::uint32_t codepage, std::string& out) {
    std::vector<std::string> to, cc;
    const std::size_t count = props.recipient_count();
    for (std::size_t index = 0; index < count; ++index) {
      if (index >= kMaxRecipients) {
        budget_.note_limit("recipients", kMaxRecipients, budget_.recipients_cut);
        break;
      }
      const auto recipient = props.recipient(index);
      if (!recipient) continue;
      const Address address =
          address_of(*recipient, codepage, kDisplayName, kSmtpAddress, kEmailAddress, kAddrType);
      std::string text = mailbox_text(address);
      if (text.empty()) continue;
      // Bcc recipients are not in the sent mail's headers; Outlook keeps them in the sender's copy.
      const auto type = recipient->fixed(kRecipientType).value_or(1) & 0x0F;
      if (type == 1) to.push_back(std::move(text));
      if (type == 2) cc.push_back(std::move(text));
    }
    auto list = [&](std::string_view name, const std::vector<std::string>& mailboxes) {
      if (mailboxes.empty()) return;
      out += std::string(name) + ": ";
      for (std::size_t i = 0; i < mailboxes.size(); ++i) {
        out += (i == 0 ? "" : ",\r\n ") + mailboxes[i];
      }
      out += "\r\n";
    };
    list("To", to);
    list("Cc", cc);
  }

  std::string bodies(const PropertySource& props, std::uint32_t codepage) {
    const std::uint64_t max_text = budget_.limits.text_bytes;
    std::string plain = props.text(kBody, codepage);
    if (plain.size() > max_text) plain.resize(core::utf8_prefix(plain, max_text).size());
    std::string html;
    if (auto bytes = props.raw(kHtml, kPtBinary, max_text)) {
      const auto cpid = props.fixed(kInternetCodepage);
      html = mime::decode_to_utf8(
                 *bytes, cpid ? codepage_label(static_cast<std::uint32_t>(*cpid)) : std::string())
                 .text;
    } else {
      html = props.text(kHtml, codepage);
    }
    if (html.empty()) {
      if (auto compressed = props.raw(kRtfCompressed, kPtBinary, budget_.limits.decoded_bytes)) {
        if (auto rtf = decompress_rtf(*compressed, budget_.limits.decoded_bytes)) {
          RtfBody body = rtf_to_body(*rtf, max_text);
          if (body.html) {
            html = std::move(body.text);
          } else if (core::trim(plain).empty()) {
            plain = std::move(body.text);
          }
        }
      }
    }
    if (!plain.empty() && !html.empty()) {
      return multipart("alternative", {text_part("plain", plain), text_part("html", html)}, 0);
    }
    if (!html.empty()) return text_part("html", html);
    if (!plain.empty()) return text_part("plain", plain);
    return {};
  }

  std::string attachment_part(const PropertySource& props, std::uint32_t codepage,
                              std::uint32_t depth) {
    std::string name = props.text(kAttachLongFilename, codepage);
    if (name.empty()) name = props.text(kAttachFilename, codepage);
    if (name.empty()) name = props.text(kDisplayName, codepage);

    if (const auto embedded = props.embedded_message()) {
      if (depth + 1 >= kMaxEmbeddedDepth) {
        budget_.note_limit("mime_depth", kMaxEmbeddedDepth, depth_cut_);
        return {};
      }
      std::string header = "Content-Type: message/rfc822\r\nContent-Disposition: attachment";
      if (!name.empty()) header += "; " + filename_parameter("filename", name);
      return header + "\r\n\r\n" + message(*embedded, codepage, depth + 1);
    }

    bool complete = true;
    const std::uint64_t room = budget_.limits.decoded_bytes > budget_.used
                                   ? budget_.limits.decoded_bytes - budget_.used
                                   : 0;
    const std::uint64_t cap = std::min(budget_.limits.member_bytes, room);
    auto data = props.raw(kAttachData, kPtBinary, cap, &complete);
    if (!data) return {};  // by reference or an OLE object: no bytes to carry
    budget_.used += data->size();
    if (!complete) {
      if (cap == room) {
        budget_.note_limit("decoded_bytes", budget_.limits.decoded_bytes, budget_.total_cut);
      } else {
        budget_.note_limit("member_bytes", budget_.limits.member_bytes, budget_.member_cut);
      }
    }
    std::string type = core::ascii_lower(core::trim(props.text(kAttachMimeTag, codepage)));
    const bool valid_type =
        type.find('/') != std::string::npos && std::ranges::all_of(type, [](char c) {
          return c > 0x20 && c < 0x7F && c != ';' && c != '"';
        });
    // The bytes go out as one base64 leaf; a container type (an S/MIME multipart/signed blob)
    // would make the parser look for parts that are not there.
    if (!valid_type || type.starts_with("multipart/") || type.starts_with("message/")) {
      type = "application/octet-stream";
    }
    std::string out = file_part(type, name, *data);
    if (std::string id = props.text(kAttachContentId, codepage); !id.empty()) {
      out.insert(0, "Content-ID: <" + encode_header_text(id) + ">\r\n");
    }
    return out;
  }

  Budget& budget_;
  bool depth_cut_ = false;
};

}  // namespace

std::string build_mime(const PropertySource& message, const core::Limits& limits,
                       std::vector<core::Finding>* findings) {
  Budget budget{limits, 0, 0, findings};
  return Rebuilder(budget).message(message, 0, 0);
}

}  // namespace emotriage::outlook::detail
