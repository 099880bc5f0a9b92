// MS-OXTNEF: the attachments and body of a TNEF stream (winmail.dat). Our own reader rather than
// libytnef: libytnef keeps its own copies of every attribute with a long record of out-of-bounds
// bugs (CVE-2017-6298 ... 6802, CVE-2017-9058), and its output is files on disk or a struct we
// would walk again; TNEF is a flat list of length-prefixed attributes, small to read safely here.
#include <algorithm>
#include <optional>

#include "core/text.hpp"
#include "office/bytes.hpp"
#include "outlook/detail.hpp"
#include "outlook/outlook.hpp"

namespace emotriage::outlook {
namespace {

using namespace detail;
using office::le16;
using office::le32;

constexpr std::uint32_t kTnefSignature = 0x223E9F78;

// Attribute ids (the low word of the attribute tag).
constexpr std::uint16_t kAttSubject = 0x8004;
constexpr std::uint16_t kAttBody = 0x800C;
constexpr std::uint16_t kAttAttachData = 0x800F;
constexpr std::uint16_t kAttAttachTitle = 0x8010;
constexpr std::uint16_t kAttAttachRendData = 0x9002;
constexpr std::uint16_t kAttMsgProps = 0x9003;
constexpr std::uint16_t kAttAttachment = 0x9005;
constexpr std::uint16_t kAttOemCodepage = 0x9007;
constexpr std::uint8_t kLevelAttachment = 2;

// MAPI property ids carried in attMsgProps / attAttachment.
constexpr std::uint16_t kPropSubject = 0x0037;
constexpr std::uint16_t kPropSenderName = 0x0C1A;
constexpr std::uint16_t kPropSenderEmail = 0x0C1F;
constexpr std::uint16_t kPropBody = 0x1000;
constexpr std::uint16_t kPropRtfCompressed = 0x1009;
constexpr std::uint16_t kPropHtml = 0x1013;
constexpr std::uint16_t kPropDisplayName = 0x3001;
constexpr std::uint16_t kPropAttachData = 0x3701;
constexpr std::uint16_t kPropAttachFilename = 0x3704;
constexpr std::uint16_t kPropAttachLongFilename = 0x3707;
constexpr std::uint16_t kPropInternetCodepage = 0x3FDE;
constexpr std::uint16_t kPropMessageCodepage = 0x3FFD;

// A multi-valued property holds a few values in real files; the cap stops a count that claims
// billions of zero-length values from spinning.
constexpr std::uint32_t kMaxValuesPerProperty = 4096;

struct Property {
  std::uint16_t type = 0;
  std::uint16_t id = 0;
  std::string_view value;  // the first value (variable types: its bytes; fixed: its bytes)
  std::uint32_t number = 0;
};

std::size_t padded(std::size_t n) {
  return (n + 3) & ~std::size_t{3};
}

// Size of one fixed-size value in a property list; nullopt for types of variable size or
// unknown types.
std::optional<std::size_t> fixed_size(std::uint16_t type) {
  switch (type) {
    case 0x0001:  // PT_NULL
    case 0x0002:  // PT_SHORT, padded
    case 0x0003:  // PT_LONG
    case 0x0004:  // PT_FLOAT
    case 0x000A:  // PT_ERROR
    case 0x000B:  // PT_BOOLEAN, padded
      return 4;
    case 0x0005:  // PT_DOUBLE
    case 0x0006:  // PT_CURRENCY
    case 0x0007:  // PT_APPTIME
    case 0x0014:  // PT_I8
    case 0x0040:  // PT_SYSTIME
      return 8;
    case 0x0048:  // PT_CLSID
      return 16;
    default:
      return std::nullopt;
  }
}

// MS-OXTNEF 2.1.3.4: a property list. Stops at the first damaged entry and keeps what came before.
std::vector<Property> read_properties(std::string_view data) {
  std::vector<Property> out;
  const std::uint32_t count = le32(data, 0);
  std::size_t pos = 4;
  for (std::uint32_t i = 0; i < count && pos + 4 <= data.size(); ++i) {
    Property property;
    property.type = le16(data, pos);
    property.id = le16(data, pos + 2);
    pos += 4;
    if (property.id >= 0x8000) {  // named property: GUID, kind, then an id or a name
      if (data.size() - pos < 20) return out;
      const std::uint32_t kind = le32(data, pos + 16);
      pos += 20;
      if (kind == 0) {
        pos += 4;
      } else {
        const std::uint32_t length = le32(data, pos);
        if (data.size() - std::min(pos, data.size()) < 4 + padded(length)) return out;
        pos += 4 + padded(length);
      }
      if (pos > data.size()) return out;
    }
    const bool multi = (property.type & 0x1000) != 0;
    const std::uint16_t base = property.type & 0x0FFF;
    const bool variable =
        base == kPtString8 || base == kPtUnicode || base == kPtBinary || base == kPtObject;
    std::uint32_t values = 1;
    if (multi || variable) {
      if (data.size() - pos < 4) return out;
      values = le32(data, pos);
      pos += 4;
      if (values > kMaxValuesPerProperty) return out;
    }
    for (std::uint32_t v = 0; v < values; ++v) {
      if (variable) {
        if (data.size() - pos < 4) return out;
        const std::uint32_t length = le32(data, pos);
        pos += 4;
        if (length > data.size() - pos) return out;
        if (v == 0) property.value = data.substr(pos, length);
        pos += std::min(padded(length), data.size() - pos);
      } else {
        const auto size = fixed_size(base);
        if (!size || data.size() - pos < *size) return out;
        if (v == 0) {
          property.value = data.substr(pos, *size);
          property.number = le32(data, pos);
        }
        pos += *size;
      }
    }
    out.push_back(property);
  }
  return out;
}

const Property* find(const std::vector<Property>& properties, std::uint16_t id) {
  for (const auto& property : properties) {
    if (property.id == id) return &property;
  }
  return nullptr;
}

std::string property_text(const Property& property, std::uint32_t codepage) {
  if ((property.type & 0x0FFF) == kPtUnicode) return decode_utf16le(property.value);
  return decode_string8(property.value, codepage);
}

struct Attachment {
  std::string title;      // attAttachTitle (8.3 or short name)
  std::string long_name;  // PR_ATTACH_LONG_FILENAME / PR_DISPLAY_NAME
  std::string data;
  bool has_data = false;
};

// What a TNEF stream carries: the files, the bodies the sender's client kept, and the few
// envelope properties some clients write into it.
struct Contents {
  std::vector<Embedded> files;
  std::string body_text, body_html, body_rtf;  // text as UTF-8; HTML as written; RTF decompressed
  std::string subject, sender_name, sender_address;
};

Contents read_tnef(std::string_view tnef, const core::Limits& limits);

}  // namespace

bool is_tnef(std::string_view bytes) {
  return bytes.size() >= 6 && le32(bytes, 0) == kTnefSignature;
}

namespace {

Contents read_tnef(std::string_view tnef, const core::Limits& limits) {
  Contents contents;
  std::vector<Attachment> attachments;
  std::string& body_text = contents.body_text;
  std::string& body_html = contents.body_html;
  std::string& body_rtf = contents.body_rtf;
  std::uint32_t codepage = 0;
  std::uint64_t held = 0;  // bytes copied out, bounded like decoded MIME content
  auto admit = [&](std::size_t n) {
    if (held + n > limits.decoded_bytes) return false;
    held += n;
    return true;
  };

  std::size_t pos = 6;
  while (tnef.size() - pos >= 9) {
    const auto level = static_cast<std::uint8_t>(tnef[pos]);
    const std::uint16_t id = le16(tnef, pos + 1);
    const std::uint32_t length = le32(tnef, pos + 5);
    pos += 9;
    if (length > tnef.size() - pos) break;  // damaged: keep what came before
    const std::string_view data = tnef.substr(pos, length);
    pos += length;
    pos += std::min<std::size_t>(2, tnef.size() - pos);  // checksum, not verified: damage is data

    if (id == kAttAttachRendData && level == kLevelAttachment) {
      if (attachments.size() >= limits.archive_entries) break;
      attachments.emplace_back();
    } else if (id == kAttOemCodepage && data.size() >= 4) {
      codepage = le32(data, 0);
    } else if (id == kAttBody && body_text.empty()) {
      body_text = decode_string8(data, codepage);
    } else if (id == kAttSubject && level != kLevelAttachment && contents.subject.empty()) {
      contents.subject = decode_string8(data, codepage);
    } else if (id == kAttMsgProps) {
      const auto properties = read_properties(data);
      if (const Property* cp = find(properties, kPropMessageCodepage))
        codepage = cp->number;
      else if (const Property* cpid = find(properties, kPropInternetCodepage))
        codepage = cpid->number;
      for (auto [prop, text] : {std::pair{kPropSubject, &contents.subject},
                                std::pair{kPropSenderName, &contents.sender_name},
                                std::pair{kPropSenderEmail, &contents.sender_address}}) {
        if (const Property* p = find(properties, prop); p && text->empty()) {
          *text = property_text(*p, codepage);
        }
      }
      if (const Property* p = find(properties, kPropBody); p && body_text.empty()) {
        body_text = property_text(*p, codepage);
      }
      if (const Property* p = find(properties, kPropHtml); p && admit(p->value.size())) {
        body_html = std::string(p->value);
      }
      if (const Property* p = find(properties, kPropRtfCompressed)) {
        const std::uint64_t room = limits.decoded_bytes - held;
        if (auto rtf = decompress_rtf(p->value, std::min(room, limits.member_bytes))) {
          held += rtf->size();
          body_rtf = std::move(*rtf);
        }
      }
    } else if (!attachments.empty() && level == kLevelAttachment) {
      Attachment& current = attachments.back();
      if (id == kAttAttachTitle) {
        current.title = decode_string8(data, codepage);
      } else if (id == kAttAttachData && !current.has_data && admit(data.size())) {
        current.data = std::string(data);
        current.has_data = true;
      } else if (id == kAttAttachment) {
        const auto properties = read_properties(data);
        for (const std::uint16_t name_id :
             {kPropAttachLongFilename, kPropDisplayName, kPropAttachFilename}) {
          if (const Property* p = find(properties, name_id)) {
            current.long_name = property_text(*p, codepage);
            if (!current.long_name.empty()) break;
          }
        }
        const Property* object = find(properties, kPropAttachData);
        if (object != nullptr && !current.has_data) {
          std::string_view bytes = object->value;
          // An object value starts with its interface id; a message is a TNEF stream after it.
          if ((object->type & 0x0FFF) == kPtObject && bytes.size() >= 16) bytes.remove_prefix(16);
          if (admit(bytes.size())) {
            current.data = std::string(bytes);
            current.has_data = true;
          }
        }
      }
    }
  }

  for (auto& attachment : attachments) {
    if (!attachment.has_data) continue;
    std::string name = !attachment.long_name.empty() ? attachment.long_name : attachment.title;
    contents.files.push_back({std::move(name), std::move(attachment.data)});
  }
  return contents;
}

}  // namespace

std::expected<std::vector<Embedded>, std::string> tnef_extract(std::string_view tnef,
                                                               const core::Limits& limits) {
  if (!is_tnef(tnef)) return std::unexpected("not a TNEF stream (signature 0x223E9F78 missing)");
  Contents contents = read_tnef(tnef, limits);
  std::vector<Embedded> out = std::move(contents.files);
  // One body, the richest the sender's client kept.
  if (!contents.body_html.empty()) {
    out.push_back({"body.html", std::move(contents.body_html)});
  } else if (!contents.body_rtf.empty()) {
    out.push_back({"body.rtf", std::move(contents.body_rtf)});
  } else if (!contents.body_text.empty()) {
    out.push_back({"body.txt", std::move(contents.body_text)});
  }
  return out;
}

std::expected<std::string, std::string> tnef_to_mime(std::string_view tnef,
                                                     const core::Limits& limits, bool with_files) {
  if (!is_tnef(tnef)) return std::unexpected("not a TNEF stream (signature 0x223E9F78 missing)");
  Contents contents = read_tnef(tnef, limits);
  std::string out;
  if (std::string from = format_mailbox(contents.sender_name, contents.sender_address);
      !from.empty()) {
    out += "From: " + from + "\r\n";
  }
  if (!contents.subject.empty()) {
    out += "Subject: " + encode_header_text(core::trim(contents.subject)) + "\r\n";
  }
  out += "MIME-Version: 1.0\r\n";
  std::vector<std::string> parts;
  // One body, the richest the sender's client kept. HTML goes without a charset label: it is in
  // the sender's code page, which the parser detects.
  if (!contents.body_html.empty()) {
    parts.push_back("Content-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                    base64_lines(contents.body_html));
  } else if (!contents.body_rtf.empty()) {
    RtfBody body = rtf_to_body(contents.body_rtf, limits.text_bytes);
    parts.push_back(text_part(body.html ? "html" : "plain", body.text));
  } else if (!contents.body_text.empty()) {
    parts.push_back(text_part("plain", contents.body_text));
  }
  if (with_files) {
    for (const Embedded& file : contents.files) {
      parts.push_back(file_part("application/octet-stream", file.name, file.bytes));
    }
  }
  return out + multipart("mixed", parts, 0);
}

}  // namespace emotriage::outlook
