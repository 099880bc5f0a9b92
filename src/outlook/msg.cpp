// MS-OXMSG: an Outlook .msg compound file rebuilt as an RFC 822/MIME message. The compound file
// is read with office::Cfb (bounded, shared with the Office analysis); the property streams,
// recipients, attachments and embedded messages are read here.
#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "core/text.hpp"
#include "mime/charset.hpp"
#include "office/bytes.hpp"
#include "office/cfb.hpp"
#include "outlook/detail.hpp"
#include "outlook/outlook.hpp"

namespace emotriage::outlook {
namespace {

using namespace detail;

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
constexpr std::uint16_t kAttachMethod = 0x3705;
constexpr std::uint16_t kAttachLongFilename = 0x3707;
constexpr std::uint16_t kAttachMimeTag = 0x370E;
constexpr std::uint16_t kAttachContentId = 0x3712;
constexpr std::uint16_t kSmtpAddress = 0x39FE;
constexpr std::uint16_t kInternetCodepage = 0x3FDE;
constexpr std::uint16_t kMessageCodepage = 0x3FFD;
constexpr std::uint16_t kSenderSmtp = 0x5D01;
constexpr std::uint16_t kSentRepresentingSmtp = 0x5D02;

constexpr std::uint32_t kAttachEmbeddedMessage = 5;

// Header fields (text) and recipient lists stay far below these in real mail; the caps keep a
// hostile file from building a giant header the parser would then cut anyway.
constexpr std::uint64_t kMaxTextPropertyBytes = 1u << 20;
constexpr std::size_t kMaxRecipients = 1000;
// Embedded .msg in .msg: Outlook users forward a mail as an attachment a few times at most.
constexpr std::uint32_t kMaxEmbeddedDepth = 8;

// The property stream header: 32 bytes in the top-level message, 24 in an embedded message,
// 8 in recipient and attachment storages (MS-OXMSG 2.4).
constexpr std::size_t kTopHeaderBytes = 32;
constexpr std::size_t kEmbeddedHeaderBytes = 24;
constexpr std::size_t kObjectHeaderBytes = 8;

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

// The properties of one storage: fixed values from __properties_version1.0, variable ones from
// their __substg1.0_IIIITTTT streams.
class Storage {
 public:
  Storage(const office::Cfb& cfb, const std::vector<std::vector<int>>& children, int index,
          std::size_t header_bytes)
      : cfb_(cfb), children_(children), index_(index) {
    for (const int child : children_[static_cast<std::size_t>(index)]) {
      const office::CfbEntry& entry = cfb.entries()[static_cast<std::size_t>(child)];
      if (core::iequals(entry.name, "__properties_version1.0")) {
        has_property_stream_ = true;
        read_fixed(cfb.read(entry, 1u << 20), header_bytes);
      } else if (auto tag = substg_tag(entry.name)) {
        streams_.emplace(*tag, child);
      }
    }
  }

  std::optional<std::uint64_t> fixed(std::uint16_t id) const {
    for (const std::uint16_t type : {kPtLong, kPtSystime, kPtShort, kPtBoolean}) {
      if (auto it = fixed_.find(tag(id, type)); it != fixed_.end()) return it->second;
    }
    return std::nullopt;
  }
  std::string text(std::uint16_t id, std::uint32_t codepage) const {
    if (auto bytes = raw(id, kPtUnicode, kMaxTextPropertyBytes)) return decode_utf16le(*bytes);
    if (auto bytes = raw(id, kPtString8, kMaxTextPropertyBytes)) {
      return decode_string8(*bytes, codepage);
    }
    return {};
  }
  // The bytes of a variable-size property, at most max_bytes; `complete` tells whether all.
  std::optional<std::string> raw(std::uint16_t id, std::uint16_t type, std::uint64_t max_bytes,
                                 bool* complete = nullptr) const {
    const auto it = streams_.find(tag(id, type));
    if (it == streams_.end()) return std::nullopt;
    return cfb_.read(cfb_.entries()[static_cast<std::size_t>(it->second)], max_bytes, complete);
  }
  // An embedded message has a property stream; an embedded OLE object does not.
  bool has_property_stream() const { return has_property_stream_; }
  // The sub-storage holding an embedded message (__substg1.0_3701000D), or -1.
  int object_storage(std::uint16_t id) const {
    const auto it = streams_.find(tag(id, kPtObject));
    if (it == streams_.end()) return -1;
    return cfb_.entries()[static_cast<std::size_t>(it->second)].is_storage ? it->second : -1;
  }
  // Child storages whose name starts with `prefix` (recipients, attachments), in name order.
  std::vector<int> substorages(std::string_view prefix) const {
    std::vector<int> out;
    for (const int child : children_[static_cast<std::size_t>(index_)]) {
      const office::CfbEntry& entry = cfb_.entries()[static_cast<std::size_t>(child)];
      if (entry.is_storage && core::istarts_with(entry.name, prefix)) out.push_back(child);
    }
    std::ranges::sort(out, [&](int a, int b) {
      return cfb_.entries()[static_cast<std::size_t>(a)].name <
             cfb_.entries()[static_cast<std::size_t>(b)].name;
    });
    return out;
  }

 private:
  static std::uint32_t tag(std::uint16_t id, std::uint16_t type) {
    return (std::uint32_t{id} << 16) | type;
  }
  static std::optional<std::uint32_t> substg_tag(std::string_view name) {
    constexpr std::string_view kPrefix = "__substg1.0_";
    if (name.size() != kPrefix.size() + 8 || !core::istarts_with(name, kPrefix)) return {};
    std::uint32_t value = 0;
    const char* first = name.data() + kPrefix.size();
    const auto [end, error] = std::from_chars(first, first + 8, value, 16);
    if (error != std::errc() || end != first + 8) return {};
    return value;
  }
  void read_fixed(std::string_view stream, std::size_t header_bytes) {
    for (std::size_t at = header_bytes; at + 16 <= stream.size(); at += 16) {
      const std::uint32_t property_tag = office::le32(stream, at);
      const std::uint64_t value =
          office::le32(stream, at + 8) | (std::uint64_t{office::le32(stream, at + 12)} << 32);
      fixed_.emplace(property_tag, value);
    }
  }

  const office::Cfb& cfb_;
  const std::vector<std::vector<int>>& children_;
  int index_;
  std::map<std::uint32_t, std::uint64_t> fixed_;
  std::map<std::uint32_t, int> streams_;
  bool has_property_stream_ = false;
};

struct Address {
  std::string name, address, exchange_dn;
};

bool is_exchange_dn(std::string_view address) {
  return address.starts_with('/');
}

Address address_of(const Storage& s, std::uint32_t codepage, std::uint16_t name_id,
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
      // A line without a colon is not a header; kept lines must all be headers.
      if (line.find(':') == std::string_view::npos) {
        dropping = true;
      }
    } else if (out.empty()) {
      continue;
    }
    if (dropping) continue;
    out += line;
    out += "\r\n";
  }
  return out;
}

// Picks a boundary that occurs in none of the parts.
std::string boundary_for(const std::vector<std::string>& parts, std::uint32_t depth) {
  for (unsigned n = 0;; ++n) {
    std::string boundary = "=_emotriage_" + std::to_string(depth) + "_" + std::to_string(n);
    const bool clash = std::ranges::any_of(
        parts, [&](const std::string& p) { return p.find(boundary) != std::string::npos; });
    if (!clash) return boundary;
  }
}

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

class Rebuilder {
 public:
  Rebuilder(const office::Cfb& cfb, Budget& budget) : cfb_(cfb), budget_(budget) {
    children_.resize(cfb.entries().size());
    for (std::size_t i = 1; i < cfb.entries().size(); ++i) {
      const std::size_t parent = cfb.entries()[i].parent;
      if (parent < children_.size()) children_[parent].push_back(static_cast<int>(i));
    }
  }

  // The message in storage `index` as MIME text.
  std::string message(int index, std::size_t header_bytes, std::uint32_t inherited_codepage,
                      std::uint32_t depth) {
    const Storage props(cfb_, children_, index, header_bytes);
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
    for (const int attachment : props.substorages("__attach_version1.0_#")) {
      if (budget_.parts >= budget_.limits.part_count) {
        budget_.note_limit("part_count", budget_.limits.part_count, budget_.parts_cut);
        break;
      }
      ++budget_.parts;
      if (std::string part = attachment_part(attachment, codepage, depth); !part.empty()) {
        parts.push_back(std::move(part));
      }
    }
    if (parts.empty()) return out + text_part("plain", "");
    if (parts.size() == 1) return out + parts.front();
    return out + multipart("mixed", parts, depth);
  }

 private:
  std::string headers(const Storage& props, std::uint32_t codepage) {
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

  void recipients(const Storage& props, std::uint32_t codepage, std::string& out) {
    std::vector<std::string> to, cc;
    std::size_t count = 0;
    for (const int index : props.substorages("__recip_version1.0_#")) {
      if (++count > kMaxRecipients) {
        budget_.note_limit("recipients", kMaxRecipients, budget_.recipients_cut);
        break;
      }
      const Storage recipient(cfb_, children_, index, kObjectHeaderBytes);
      const Address address =
          address_of(recipient, codepage, kDisplayName, kSmtpAddress, kEmailAddress, kAddrType);
      std::string text = mailbox_text(address);
      if (text.empty()) continue;
      // Bcc recipients are not in the sent mail's headers; Outlook keeps them in the sender's copy.
      const auto type = recipient.fixed(kRecipientType).value_or(1) & 0x0F;
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

  std::string bodies(const Storage& props, std::uint32_t codepage) {
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

  std::string attachment_part(int index, std::uint32_t codepage, std::uint32_t depth) {
    const Storage props(cfb_, children_, index, kObjectHeaderBytes);
    std::string name = props.text(kAttachLongFilename, codepage);
    if (name.empty()) name = props.text(kAttachFilename, codepage);
    if (name.empty()) name = props.text(kDisplayName, codepage);

    const int embedded = props.object_storage(kAttachData);
    const bool is_message =
        embedded >= 0 && (props.fixed(kAttachMethod).value_or(0) == kAttachEmbeddedMessage ||
                          Storage(cfb_, children_, embedded, 0).has_property_stream());
    if (is_message) {
      if (depth + 1 >= kMaxEmbeddedDepth) {
        budget_.note_limit("mime_depth", kMaxEmbeddedDepth, depth_cut_);
        return {};
      }
      std::string header = "Content-Type: message/rfc822\r\nContent-Disposition: attachment";
      if (!name.empty()) header += "; " + filename_parameter("filename", name);
      return header + "\r\n\r\n" + message(embedded, kEmbeddedHeaderBytes, codepage, depth + 1);
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
    std::string out = "Content-Type: " + type;
    if (!name.empty()) out += "; " + filename_parameter("name", name);
    out += "\r\nContent-Disposition: attachment";
    if (!name.empty()) out += "; " + filename_parameter("filename", name);
    out += "\r\nContent-Transfer-Encoding: base64\r\n";
    if (std::string id = props.text(kAttachContentId, codepage); !id.empty()) {
      out += "Content-ID: <" + encode_header_text(id) + ">\r\n";
    }
    return out + "\r\n" + base64_lines(*data);
  }

  const office::Cfb& cfb_;
  Budget& budget_;
  std::vector<std::vector<int>> children_;
  bool depth_cut_ = false;
};

}  // namespace

std::expected<std::string, std::string> msg_to_mime(std::string_view msg_bytes,
                                                    const core::Limits& limits,
                                                    std::vector<core::Finding>* findings) {
  auto cfb = office::Cfb::open(msg_bytes);
  if (!cfb) return std::unexpected(cfb.error());
  if (cfb->find("__properties_version1.0") < 0) {
    return std::unexpected("compound file without a message property stream");
  }
  Budget budget{limits, 0, 0, findings};
  Rebuilder rebuilder(*cfb, budget);
  std::string mime = rebuilder.message(0, kTopHeaderBytes, 0, 0);
  if (cfb->damaged() && findings != nullptr) {
    findings->push_back(core::malformed_finding(
        "Outlook メッセージファイル (.msg) の内部構造が壊れています。読めた部分だけを解析しました",
        "the Outlook .msg compound file is damaged; only what could be read was analysed",
        "CFB chain or directory link out of range"));
  }
  return mime;
}

}  // namespace emotriage::outlook
