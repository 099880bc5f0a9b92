#include "mime/parser.hpp"

#include <gmime/gmime.h>
#include <string.h>

#include <chrono>
#include <map>
#include <mutex>

#include "core/hash.hpp"
#include "core/text.hpp"
#include "mime/address.hpp"
#include "mime/charset.hpp"
#include "mime/html.hpp"
#include "mime/params.hpp"
#include "mime/rfc2047.hpp"
#include "mime/structured.hpp"
#include "mime/transfer.hpp"

namespace emotriage::mime {

namespace {

using core::Finding;
using core::Severity;

constexpr std::size_t kMaxReceivedHops = 200;

// GLib objects released on scope exit.
template <class T>
struct GObjectPtr {
  T* ptr = nullptr;
  explicit GObjectPtr(T* p) : ptr(p) {}
  GObjectPtr(const GObjectPtr&) = delete;
  GObjectPtr& operator=(const GObjectPtr&) = delete;
  ~GObjectPtr() {
    if (ptr != nullptr) g_object_unref(ptr);
  }
};

// What GMime's parser reports; translated once per message into findings.
struct WarningSink {
  std::map<int, std::string> items;  // code -> the first item GMime named for it
};

void on_gmime_warning(gint64, GMimeParserWarning code, const gchar* item, gpointer user_data) {
  auto* sink = static_cast<WarningSink*>(user_data);
  sink->items.try_emplace(static_cast<int>(code), item != nullptr ? item : "");
}

void report_gmime_warnings(const WarningSink& sink, core::Message& message) {
  for (const auto& [code, item] : sink.items) {
    switch (static_cast<GMimeParserWarning>(code)) {
      case GMIME_WARN_TRUNCATED_MESSAGE:
        message.add_finding(
            core::malformed_finding("メールが途中で切れています", "the message is truncated", {}));
        break;
      case GMIME_WARN_MALFORMED_MESSAGE:
      case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
        message.add_finding(core::malformed_finding("メールの構造が壊れています",
                                                    "the message structure is broken", item));
        break;
      case GMIME_WARN_MALFORMED_MULTIPART:
      case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
        message.add_finding(core::malformed_finding("マルチパートの区切りが壊れています",
                                                    "a multipart has a missing or broken boundary",
                                                    item));
        break;
      case GMIME_CRIT_INVALID_HEADER_NAME:
        message.add_finding(core::malformed_finding("不正なヘッダー名があります",
                                                    "an invalid header name was found", item));
        break;
      case GMIME_CRIT_CONFLICTING_HEADER:
      case GMIME_CRIT_CONFLICTING_PARAMETER:
        // GMime also calls a repeated Received "conflicting"; only Content-* conflicts change
        // what a reader sees.
        if (!core::istarts_with(item, "content-") && code == GMIME_CRIT_CONFLICTING_HEADER) break;
        message.add_finding(core::malformed_finding(
            "矛盾するヘッダーが重複しています (読む製品によって内容が変わります)",
            "conflicting duplicate headers (different readers see different content)", item));
        break;
      case GMIME_CRIT_NESTING_OVERFLOW:
        message.add_finding(core::limit_finding("gmime_nesting", 100));
        break;
      default:
        break;  // duplicated headers and the like are normal in real mail
    }
  }
}

// Per-message parse state: limits, budgets and where findings go.
class MessageBuilder {
 public:
  MessageBuilder(core::Message& message, const core::Limits& limits)
      : message_(message),
        limits_(limits),
        deadline_(std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(limits.message_millis)) {}

  void fill_envelope(GMimeObject* object, core::Envelope& envelope, const std::string& where);
  void walk(GMimeObject* root);

 private:
  bool over_time() {
    if (timed_out_) return true;
    if (std::chrono::steady_clock::now() > deadline_) {
      timed_out_ = true;
      message_.add_finding(core::limit_finding("message_millis", limits_.message_millis));
    }
    return timed_out_;
  }
  void fill_leaf(GMimePart* part, core::Part& out);
  void decode_text(core::Part& out);
  void describe_part(GMimeObject* object, core::Part& out);

  core::Message& message_;
  const core::Limits& limits_;
  std::chrono::steady_clock::time_point deadline_;
  std::uint64_t decoded_total_ = 0;
  std::uint64_t headers_left_ = limits_.header_count;
  bool timed_out_ = false;
  bool decoded_limit_reported_ = false;
};

std::string header_raw_value(GMimeHeader* header) {
  const char* raw = g_mime_header_get_raw_value(header);
  std::string_view value = raw != nullptr ? std::string_view(raw) : std::string_view();
  return std::string(core::trim(value));
}

void MessageBuilder::fill_envelope(GMimeObject* object, core::Envelope& envelope,
                                   const std::string& where) {
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  int count = list != nullptr ? g_mime_header_list_get_count(list) : 0;
  // header_count budgets the whole message, attached messages included.
  if (static_cast<std::uint64_t>(count) > headers_left_) {
    message_.add_finding(core::limit_finding("header_count", limits_.header_count, where));
    count = static_cast<int>(headers_left_);
  }
  headers_left_ -= static_cast<std::uint64_t>(count);
  bool header_bytes_reported = false;
  std::string to_raw, cc_raw, bcc_raw;
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(list, i);
    const char* name_c = g_mime_header_get_name(header);
    core::Header out;
    core::repair_utf8(name_c != nullptr ? name_c : "", out.name);
    std::string raw = header_raw_value(header);
    if (raw.size() > limits_.header_bytes) {
      if (!header_bytes_reported) {
        message_.add_finding(core::limit_finding("header_bytes", limits_.header_bytes, where));
        header_bytes_reported = true;
      }
      raw.resize(limits_.header_bytes);
    }
    std::string unfolded = unfold(raw);
    if (core::is_ascii(unfolded) && unfolded.find("=?") == std::string::npos &&
        unfolded.find('\x1B') == std::string::npos) {
      // Most headers (Received, Message-ID, ...) are plain ASCII: nothing to decode.
      out.value = unfolded;
      out.raw = std::move(unfolded);
    } else {
      DecodedHeader decoded = decode_header_text(unfolded);
      if (decoded.malformed) {
        message_.add_finding(
            core::malformed_finding("ヘッダー " + out.name + " の文字コードが壊れています",
                                    "header " + out.name + " has broken encoding", raw, where));
      }
      out.value = std::move(decoded.text);
      core::repair_utf8(unfolded, out.raw);
    }

    const std::string& name = out.name;
    auto is = [&](std::string_view wanted) { return core::iequals(name, wanted); };
    auto addresses = [&](std::vector<core::Mailbox>& target) {
      if (!target.empty()) return;
      AddressList list_parsed = parse_address_list(raw);
      if (list_parsed.malformed) {
        message_.add_finding(core::malformed_finding(
            "ヘッダー " + out.name + " のアドレス表記が壊れています",
            "header " + out.name + " has a malformed address list", raw, where));
      }
      target = std::move(list_parsed.mailboxes);
    };
    auto append_list = [&](std::string& acc) {
      if (!acc.empty()) acc += ", ";
      acc += raw;
    };
    if (is("From"))
      addresses(envelope.from);
    else if (is("Sender"))
      addresses(envelope.sender);
    else if (is("Reply-To"))
      addresses(envelope.reply_to);
    else if (is("Return-Path"))
      addresses(envelope.return_path);
    else if (is("To"))
      append_list(to_raw);
    else if (is("Cc"))
      append_list(cc_raw);
    else if (is("Bcc"))
      append_list(bcc_raw);
    else if (is("Subject")) {
      if (envelope.find("Subject") == nullptr) envelope.subject = out.value;
    } else if (is("Date")) {
      if (envelope.date_raw.empty()) {
        envelope.date_raw = out.raw;
        envelope.date = parse_date(out.raw).value_or("");
      }
    } else if (is("Message-ID")) {
      if (envelope.message_id.empty()) {
        auto ids = parse_message_ids(out.raw);
        if (!ids.empty()) envelope.message_id = ids.front();
      }
    } else if (is("In-Reply-To")) {
      if (envelope.in_reply_to.empty()) {
        auto ids = parse_message_ids(out.raw);
        if (!ids.empty()) envelope.in_reply_to = ids.front();
      }
    } else if (is("References")) {
      if (envelope.references.empty()) envelope.references = parse_message_ids(out.raw);
    } else if (is("Received")) {
      if (envelope.received.size() < kMaxReceivedHops) {
        envelope.received.push_back(parse_received(out.raw));
      }
    } else if (is("Authentication-Results")) {
      auto results = parse_authentication_results(out.raw);
      for (auto& result : results) envelope.auth_results.push_back(std::move(result));
    } else if (is("DKIM-Signature")) {
      envelope.dkim_signatures.push_back(parse_dkim_signature(out.raw));
    }
    envelope.headers.push_back(std::move(out));
  }
  std::size_t senders = 0;
  std::string second_sender;
  for (const auto& mailbox : envelope.from) {
    if (mailbox.address.empty()) continue;
    if (++senders == 2) second_sender = mailbox.address;
  }
  if (senders > 1) {
    // Readers show only one sender; the others hide in plain sight.
    message_.add_finding(core::malformed_finding(
        "From に複数の差出人があります (" + std::to_string(senders) + " 件)",
        "the From header names " + std::to_string(senders) + " senders", second_sender, where));
  }
  if (!to_raw.empty()) envelope.to = parse_address_list(to_raw).mailboxes;
  if (!cc_raw.empty()) envelope.cc = parse_address_list(cc_raw).mailboxes;
  if (!bcc_raw.empty()) envelope.bcc = parse_address_list(bcc_raw).mailboxes;
  if (envelope.date_raw.empty() == false && envelope.date.empty()) {
    message_.add_finding(core::malformed_finding("Date ヘッダーを解釈できません",
                                                 "the Date header cannot be parsed",
                                                 envelope.date_raw, where));
  }
}

// Raw value of the first header `name` of this entity (Content-Type etc.), or empty.
std::string entity_header(GMimeObject* object, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  if (list == nullptr) return {};
  int count = g_mime_header_list_get_count(list);
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(list, i);
    const char* header_name = g_mime_header_get_name(header);
    if (header_name != nullptr && core::iequals(header_name, name)) return header_raw_value(header);
  }
  return {};
}

void MessageBuilder::describe_part(GMimeObject* object, core::Part& out) {
  // GMime decides the structure (multipart or not); the project decodes the parameters.
  GMimeContentType* type = g_mime_object_get_content_type(object);
  const char* media = type != nullptr ? g_mime_content_type_get_media_type(type) : nullptr;
  const char* subtype = type != nullptr ? g_mime_content_type_get_media_subtype(type) : nullptr;
  out.content_type =
      core::ascii_lower(std::string(media ? media : "text") + "/" + (subtype ? subtype : "plain"));
  std::string repaired;
  core::repair_utf8(out.content_type, repaired);
  out.content_type = std::move(repaired);

  ParsedField content_type = parse_field_with_params(entity_header(object, "Content-Type"));
  ParsedField disposition = parse_field_with_params(entity_header(object, "Content-Disposition"));
  if (content_type.malformed || disposition.malformed) {
    message_.add_finding(
        core::malformed_finding("Content-Type / Content-Disposition のパラメーターが壊れています",
                                "broken Content-Type / Content-Disposition parameters",
                                entity_header(object, "Content-Type"), out.path));
  }
  if (!content_type.value.empty() && content_type.value.find('/') == std::string::npos &&
      !GMIME_IS_MULTIPART(object) && !GMIME_IS_MESSAGE_PART(object)) {
    // RFC 2045 5.2: an invalid Content-Type means text/plain.
    message_.add_finding(core::malformed_finding(
        "Content-Type が不正です (text/plain として扱います)",
        "invalid Content-Type (treated as text/plain)", content_type.value, out.path));
    out.content_type = "text/plain";
  }
  out.charset = canonical_charset(content_type.param("charset"));
  core::repair_utf8(disposition.value, out.disposition);
  std::string filename(disposition.param("filename"));
  if (filename.empty()) filename = content_type.param("name");
  out.filename = std::move(filename);
  std::string cte =
      core::ascii_lower(core::trim(entity_header(object, "Content-Transfer-Encoding")));
  core::repair_utf8(cte, out.transfer_encoding);
  auto ids = parse_message_ids(entity_header(object, "Content-ID"));
  if (!ids.empty()) out.content_id = ids.front();
  std::string description = entity_header(object, "Content-Description");
  if (!description.empty()) out.description = decode_header_text(description).text;
}

void MessageBuilder::decode_text(core::Part& out) {
  std::string_view bytes = out.content;
  if (bytes.size() > limits_.text_bytes) {
    message_.add_finding(core::limit_finding("text_bytes", limits_.text_bytes, out.path));
    bytes = bytes.substr(0, limits_.text_bytes);
  }
  DecodedText decoded = decode_to_utf8(bytes, out.charset);
  out.decoded_charset = decoded.charset;
  // Line ends become LF so that every later matcher sees one form (compacted in place).
  std::string& text = decoded.text;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    text[kept++] = text[i];
  }
  text.resize(kept);
  out.text = std::move(text);
  if (decoded.invalid > 0) {
    message_.add_finding(
        core::malformed_finding("本文に " + decoded.charset + " として読めないバイトがあります (" +
                                    std::to_string(decoded.invalid) + " 箇所)",
                                "the body has " + std::to_string(decoded.invalid) +
                                    " byte sequences invalid in " + decoded.charset,
                                out.charset, out.path));
  }
  if (decoded.label_mismatch) {
    message_.add_finding(Finding{
        std::string(core::kParseMalformed), Severity::info,
        "本文の文字コード表記 (" + out.charset + ") と実際 (" + decoded.charset + ") が異なります",
        "the body is labelled " + out.charset + " but is " + decoded.charset, out.charset,
        out.path});
  }
  if (out.content_type == "text/html") {
    HtmlText html = html_to_text(out.text);
    out.html_text = std::move(html.text);
    out.links = std::move(html.links);
  }
}

// Reads a GMime stream (a window into the message buffer) whole.
std::string read_stream(GMimeStream* stream) {
  std::string bytes;
  gint64 length = g_mime_stream_length(stream);
  if (length > 0) bytes.reserve(static_cast<std::size_t>(length));
  g_mime_stream_reset(stream);
  char buffer[65536];
  gssize got = 0;
  while ((got = g_mime_stream_read(stream, buffer, sizeof buffer)) > 0) {
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
  return bytes;
}

// The bytes of a part's content without copying them: the parser reads from a memory stream,
// and a part's content is a window onto its buffer. `held` keeps a copy only when the stream is
// of another kind.
std::string_view stream_bytes(GMimeStream* stream, std::string& held) {
  if (GMIME_IS_STREAM_MEM(stream)) {
    GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
    gint64 size = array == nullptr ? -1 : static_cast<gint64>(array->len);
    gint64 start = stream->bound_start;
    gint64 end = stream->bound_end < 0 ? size : stream->bound_end;
    if (array != nullptr && start >= 0 && start <= end && end <= size) {
      return {reinterpret_cast<const char*>(array->data) + start,
              static_cast<std::size_t>(end - start)};
    }
  }
  held = read_stream(stream);
  return held;
}

void MessageBuilder::fill_leaf(GMimePart* part, core::Part& out) {
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  if (wrapper == nullptr) return;
  std::string decoded;
  GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding(wrapper);
  if (encoding == GMIME_CONTENT_ENCODING_BASE64) {
    // Our own decoder: GMime's drops the last bytes of unpadded base64, which changes the
    // attachment's hash (an evasion of hash matching).
    std::string held;
    std::string_view encoded = stream_bytes(g_mime_data_wrapper_get_stream(wrapper), held);
    if (!decode_base64_lenient(encoded, decoded, /*stop_at_padding=*/true)) {
      message_.add_finding(core::malformed_finding("base64 に不正な文字があります",
                                                   "the base64 content has invalid characters", {},
                                                   out.path));
    }
  } else if (encoding == GMIME_CONTENT_ENCODING_DEFAULT ||
             encoding == GMIME_CONTENT_ENCODING_7BIT || encoding == GMIME_CONTENT_ENCODING_8BIT ||
             encoding == GMIME_CONTENT_ENCODING_BINARY) {
    decoded = read_stream(g_mime_data_wrapper_get_stream(wrapper));
  } else {
    // Quoted-printable and uuencode through GMime's filters.
    GObjectPtr<GMimeStream> sink(g_mime_stream_mem_new());
    if (g_mime_data_wrapper_write_to_stream(wrapper, sink.ptr) < 0) {
      message_.add_finding(core::malformed_finding("パートを復号できません",
                                                   "the part cannot be decoded", {}, out.path));
      return;
    }
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(sink.ptr));
    decoded.assign(reinterpret_cast<const char*>(bytes->data), bytes->len);
  }
  std::string_view content = decoded;
  out.decoded_size = content.size();
  out.sha256 = core::sha256_hex(content);
  if (decoded_total_ + content.size() > limits_.decoded_bytes) {
    if (!decoded_limit_reported_) {
      message_.add_finding(core::limit_finding("decoded_bytes", limits_.decoded_bytes, out.path));
      decoded_limit_reported_ = true;
    }
    std::uint64_t room =
        limits_.decoded_bytes > decoded_total_ ? limits_.decoded_bytes - decoded_total_ : 0;
    content = content.substr(0, room);
    out.content_truncated = true;
  }
  decoded_total_ += content.size();
  if (content.size() == decoded.size()) {
    out.content = std::move(decoded);
  } else {
    out.content.assign(content);
  }

  bool text = out.content_type.starts_with("text/");
  bool inline_body = (out.content_type == "text/plain" || out.content_type == "text/html") &&
                     (out.disposition.empty() || out.disposition == "inline");
  out.is_attachment = !inline_body;
  if (text) decode_text(out);
}

void MessageBuilder::walk(GMimeObject* root) {
  struct Pending {
    GMimeObject* object;
    int parent;
    int depth;
    std::string path;
  };
  std::vector<Pending> stack;
  if (root != nullptr) {
    stack.push_back({root, -1, 0, GMIME_IS_MULTIPART(root) ? "0" : "1"});
  }
  bool part_limit_reported = false;
  bool depth_limit_reported = false;
  while (!stack.empty()) {
    Pending item = std::move(stack.back());
    stack.pop_back();
    if (over_time()) break;
    if (message_.parts.size() >= limits_.part_count) {
      if (!part_limit_reported) {
        message_.add_finding(core::limit_finding("part_count", limits_.part_count));
        part_limit_reported = true;
      }
      break;
    }
    if (static_cast<std::uint32_t>(item.depth) > limits_.mime_depth) {
      if (!depth_limit_reported) {
        message_.add_finding(core::limit_finding("mime_depth", limits_.mime_depth, item.path));
        depth_limit_reported = true;
      }
      continue;
    }
    int index = static_cast<int>(message_.parts.size());
    message_.parts.emplace_back();
    core::Part& part = message_.parts.back();
    part.path = item.path;
    part.parent = item.parent;
    part.depth = item.depth;
    describe_part(item.object, part);
    // Child path: "0" (a multipart root) has children "1", "2"; others "P.1", "P.2".
    // A multipart's own path ends in "0" ("0" at the root, "2.0" as an attached message's body);
    // its children replace that 0, as IMAP numbers them.
    auto child_path = [&](int n) {
      if (item.path == "0") return std::to_string(n);
      if (item.path.ends_with(".0"))
        return item.path.substr(0, item.path.size() - 1) + std::to_string(n);
      return item.path + "." + std::to_string(n);
    };
    if (GMIME_IS_MULTIPART(item.object)) {
      message_.parts[static_cast<std::size_t>(index)].is_multipart = true;
      auto* multipart = GMIME_MULTIPART(item.object);
      int count = g_mime_multipart_get_count(multipart);
      // Reverse push keeps pre-order.
      for (int i = count - 1; i >= 0; --i) {
        stack.push_back(
            {g_mime_multipart_get_part(multipart, i), index, item.depth + 1, child_path(i + 1)});
      }
    } else if (GMIME_IS_MESSAGE_PART(item.object)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(item.object));
      if (inner != nullptr) {
        auto envelope = std::make_unique<core::Envelope>();
        fill_envelope(GMIME_OBJECT(inner), *envelope, item.path);
        message_.parts[static_cast<std::size_t>(index)].message = std::move(envelope);
        GMimeObject* body = g_mime_message_get_mime_part(inner);
        if (body != nullptr) {
          std::string body_path = item.path + (GMIME_IS_MULTIPART(body) ? ".0" : ".1");
          stack.push_back({body, index, item.depth + 1, body_path});
        }
      }
    } else if (GMIME_IS_PART(item.object)) {
      fill_leaf(GMIME_PART(item.object), message_.parts[static_cast<std::size_t>(index)]);
    }
  }
}

// Copies the message into the buffer GMime parses, repairing what would make GMime lose the whole
// structure: blank lines before the headers, a boundary parameter whose quote is never closed
// (seen in real phishing to hide parts from parsers), and a missing final line break (GMime keeps
// the CR of a CRLF before a close delimiter at the very end).
GByteArray* prepare_for_gmime(std::string_view raw, core::Message& message) {
  std::size_t start = 0;
  while (start < raw.size() &&
         (raw[start] == ' ' || raw[start] == '\t' || raw[start] == '\r' || raw[start] == '\n')) {
    ++start;
  }
  if (start > 0 && start < raw.size()) {
    message.add_finding(core::malformed_finding(
        "ヘッダーの前に空行があります", "blank lines precede the headers", raw.substr(0, start)));
  }
  std::string_view body = raw.substr(start);
  GByteArray* buffer = g_byte_array_sized_new(static_cast<guint>(body.size() + 3));
  auto append = [&](std::string_view bytes) {
    g_byte_array_append(buffer, reinterpret_cast<const guint8*>(bytes.data()),
                        static_cast<guint>(bytes.size()));
  };
  std::size_t copied = 0;
  bool repaired = false;
  constexpr std::string_view kBoundaryParam = "oundary=\"";
  std::size_t line_start = 0;
  std::size_t scanned_to = 0;
  for (std::size_t pos = 0;
       (pos = core::find_bytes(body, kBoundaryParam, pos)) != std::string_view::npos;
       pos += kBoundaryParam.size()) {
    if (pos < copied) continue;  // inside a header already repaired
    // Line starts are tracked forwards (each byte looked at once): searching back from every
    // occurrence is quadratic on a line made of nothing but this parameter.
    if (const void* nl = memrchr(body.data() + scanned_to, '\n', pos - scanned_to)) {
      line_start = static_cast<std::size_t>(static_cast<const char*>(nl) - body.data()) + 1;
    }
    scanned_to = pos;
    std::string_view line_head = body.substr(line_start, pos - line_start);
    bool in_header = core::istarts_with(line_head, "content-type:") ||
                     (!line_head.empty() && (line_head[0] == ' ' || line_head[0] == '\t'));
    if (!in_header) continue;
    // The header ends at a line break not followed by folding white space; a quote closed on a
    // folded continuation line is fine.
    std::size_t value_start = pos + kBoundaryParam.size();
    std::size_t line_end = value_start;
    bool closed = false;
    while (line_end < body.size()) {
      char c = body[line_end];
      if (c == '"') {
        closed = true;
        break;
      }
      if (c == '\n' && !(line_end + 1 < body.size() &&
                         (body[line_end + 1] == ' ' || body[line_end + 1] == '\t'))) {
        break;
      }
      ++line_end;
    }
    if (closed) continue;
    if (line_end > value_start && body[line_end - 1] == '\r') --line_end;
    append(body.substr(copied, line_end - copied));
    append("\"");
    copied = line_end;
    repaired = true;
  }
  append(body.substr(copied));
  if (repaired) {
    message.add_finding(core::malformed_finding(
        "boundary パラメーターの引用符が閉じていません (補って解析しました)",
        "a boundary parameter's quote is not closed (repaired to read the parts)", {}));
  }
  if (!body.empty() && body.back() != '\n')
    append(body.find("\r\n") != std::string_view::npos ? "\r\n" : "\n");
  return buffer;
}

}  // namespace

void initialize() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

core::Message parse_message(std::string_view raw, std::string locator, const core::Limits& limits) {
  initialize();
  core::Message message;
  message.locator = std::move(locator);
  message.size = raw.size();
  message.sha256 = core::sha256_hex(raw);
  if (raw.size() > limits.message_bytes) {
    message.add_finding(core::limit_finding("message_bytes", limits.message_bytes));
    raw = raw.substr(0, limits.message_bytes);
  }

  // The stream owns the prepared copy.
  GObjectPtr<GMimeStream> stream(
      g_mime_stream_mem_new_with_byte_array(prepare_for_gmime(raw, message)));
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.ptr));
  g_mime_parser_set_format(parser.ptr, GMIME_FORMAT_MESSAGE);
  g_mime_parser_set_respect_content_length(parser.ptr, FALSE);
  GMimeParserOptions* options = g_mime_parser_options_new();
  WarningSink warnings;
  g_mime_parser_options_set_warning_callback(options, on_gmime_warning, &warnings);
  // Header decoding is ours; GMime only needs to find the structure.
  // An entity, not a GMimeMessage: GMime would otherwise decode every address header itself
  // through iconv, work that is thrown away (and wrong for CP932).
  GObjectPtr<GMimeObject> parsed(g_mime_parser_construct_part(parser.ptr, options));
  g_mime_parser_options_free(options);

  if (parsed.ptr == nullptr) {
    message.add_finding(core::malformed_finding("メールとして解析できません (ヘッダーがありません)",
                                                "cannot be parsed as a mail (no header block)",
                                                raw));
    return message;
  }
  MessageBuilder builder(message, limits);
  builder.fill_envelope(parsed.ptr, message.envelope, {});
  builder.walk(parsed.ptr);
  report_gmime_warnings(warnings, message);
  return message;
}

}  // namespace emotriage::mime
